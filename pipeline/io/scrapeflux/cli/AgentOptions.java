package io.scrapeflux.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What the command line decides for a running agent.
 *
 * @param configFile      the config to load; null means the embedded default
 * @param listenAddress   where the web server binds
 * @param enableLifecycle whether {@code /-/reload} and {@code /-/quit} work
 * @param storagePath     directory for state that outlives a restart (remote-write WAL)
 */
public record AgentOptions(Path configFile, InetSocketAddress listenAddress, boolean enableLifecycle, Path storagePath) {
}
