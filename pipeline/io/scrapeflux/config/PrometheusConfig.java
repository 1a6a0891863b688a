package io.scrapeflux.config;

import java.util.List;

/** A whole loaded {@code prometheus.yml}: the root of the config model. */
public record PrometheusConfig(
        GlobalConfig global,
        List<ScrapeConfig> scrapeConfigs,
        List<RemoteWriteConfig> remoteWrite,
        String source,
        String originalYaml) {

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
