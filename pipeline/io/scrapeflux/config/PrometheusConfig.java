package io.scrapeflux.config;

import java.util.List;

/**
 * A whole loaded {@code prometheus.yml}: the root of the config model.
 *
 * @param warnings what the file asks for that scrapeflux does not do (server-only sections such as
 *                 {@code alerting} or {@code rule_files}), each located; shown by {@code check config}
 *                 and logged when the config is applied, never dropped silently
 */
public record PrometheusConfig(
        GlobalConfig global,
        List<ScrapeConfig> scrapeConfigs,
        List<RemoteWriteConfig> remoteWrite,
        String source,
        String originalYaml,
        List<ConfigError> warnings) {

    public PrometheusConfig {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A config without warnings. */
    public PrometheusConfig(GlobalConfig global, List<ScrapeConfig> scrapeConfigs, List<RemoteWriteConfig> remoteWrite,
            String source, String originalYaml) {
        this(global, scrapeConfigs, remoteWrite, source, originalYaml, List.of());
    }

    public ScrapeConfig job(String jobName) {
        for (ScrapeConfig sc : scrapeConfigs) {
            if (sc.jobName().equals(jobName)) {
                return sc;
            }
        }
        return null;
    }

    /** Leaves out {@code originalYaml}: it holds secrets in clear text and must never reach a log. */
    @Override
    public String toString() {
        return "PrometheusConfig[source=" + source + ", global=" + global + ", scrapeConfigs=" + scrapeConfigs
                + ", remoteWrite=" + remoteWrite + "]";
    }
}
