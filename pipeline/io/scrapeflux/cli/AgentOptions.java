package io.scrapeflux.cli;

import io.scrapeflux.web.WebConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What the command line decides for a running agent.
 *
 * @param configFile      the config to load; null means the embedded default
 * @param listenAddress   where the web server binds
 * @param enableLifecycle whether {@code /-/reload} and {@code /-/quit} work
 * @param storagePath     directory for state that outlives a restart (remote-write WAL)
 * @param webConfig       TLS and basic auth of the web server ({@code --web.config.file}); {@link WebConfig#NONE} when absent
 * @param kubernetesPushDown whether pod jobs narrow their Kubernetes watch by their leading keep rules
 */
public record AgentOptions(Path configFile, InetSocketAddress listenAddress, boolean enableLifecycle, Path storagePath,
        WebConfig webConfig, boolean kubernetesPushDown) {

    /** With Kubernetes push-down on (the default). */
    public AgentOptions(Path configFile, InetSocketAddress listenAddress, boolean enableLifecycle, Path storagePath,
            WebConfig webConfig) {
        this(configFile, listenAddress, enableLifecycle, storagePath, webConfig, true);
    }

    /** Without a web config file: plain HTTP, no authentication. */
    public AgentOptions(Path configFile, InetSocketAddress listenAddress, boolean enableLifecycle, Path storagePath) {
        this(configFile, listenAddress, enableLifecycle, storagePath, WebConfig.NONE);
    }
}
