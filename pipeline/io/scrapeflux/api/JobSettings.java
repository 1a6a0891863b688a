package io.scrapeflux.api;

import io.scrapeflux.api.internal.ConfigSnippets;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.PromDuration;
import io.scrapeflux.config.ScrapeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a job built in code ({@link Scrapeflux.Builder#job}) scrapes its targets. Immutable: every
 * {@code with*} method returns a changed copy. Unset settings take Prometheus's defaults (interval 1m,
 * timeout 10s or the interval if shorter, {@code /metrics}, {@code http}); validation is the config
 * file's, so anything a {@code scrape_configs} entry may not hold is an {@link InvalidConfigException}
 * signal of the pipeline.
 *
 * <pre>{@code
 * JobSettings api = JobSettings.defaults().withInterval(Duration.ofSeconds(15)).withMetricsPath("/stats")
 *         .withRelabelConfigs("- {source_labels: [__meta_zone], target_label: zone}");
 * }</pre>
 */
public final class JobSettings {

    private static final JobSettings DEFAULTS = new JobSettings(null, null, null, null, List.of(), null, null, null);

    private final Duration interval;
    private final Duration timeout;
    private final String metricsPath;
    private final String scheme;
    private final List<String> staticTargets;
    private final String relabelConfigs;
    private final String metricRelabelConfigs;
    private final String extraYaml;

    private JobSettings(Duration interval, Duration timeout, String metricsPath, String scheme,
            List<String> staticTargets, String relabelConfigs, String metricRelabelConfigs, String extraYaml) {
        this.interval = interval;
        this.timeout = timeout;
        this.metricsPath = metricsPath;
        this.scheme = scheme;
        this.staticTargets = List.copyOf(staticTargets);
        this.relabelConfigs = relabelConfigs;
        this.metricRelabelConfigs = metricRelabelConfigs;
        this.extraYaml = extraYaml;
    }

    public static JobSettings defaults() {
        return DEFAULTS;
    }

    /** {@code scrape_interval}. */
    public JobSettings withInterval(Duration interval) {
        return new JobSettings(Objects.requireNonNull(interval), timeout, metricsPath, scheme, staticTargets,
                relabelConfigs, metricRelabelConfigs, extraYaml);
    }

    /** {@code scrape_timeout}. */
    public JobSettings withTimeout(Duration timeout) {
        return new JobSettings(interval, Objects.requireNonNull(timeout), metricsPath, scheme, staticTargets,
                relabelConfigs, metricRelabelConfigs, extraYaml);
    }

    /** {@code metrics_path}. */
    public JobSettings withMetricsPath(String path) {
        return new JobSettings(interval, timeout, Objects.requireNonNull(path), scheme, staticTargets,
                relabelConfigs, metricRelabelConfigs, extraYaml);
    }

    /** {@code scheme}: {@code http} or {@code https}. */
    public JobSettings withScheme(String scheme) {
        return new JobSettings(interval, timeout, metricsPath, Objects.requireNonNull(scheme), staticTargets,
                relabelConfigs, metricRelabelConfigs, extraYaml);
    }

    /** Adds {@code host:port} addresses as one {@code static_configs} group. */
    public JobSettings withStaticTargets(String... addresses) {
        List<String> all = new ArrayList<>(staticTargets);
        all.addAll(List.of(addresses));
        return new JobSettings(interval, timeout, metricsPath, scheme, all, relabelConfigs, metricRelabelConfigs,
                extraYaml);
    }

    /** {@code relabel_configs}, written as the YAML list a config file holds. */
    public JobSettings withRelabelConfigs(String yamlList) {
        return new JobSettings(interval, timeout, metricsPath, scheme, staticTargets,
                Objects.requireNonNull(yamlList), metricRelabelConfigs, extraYaml);
    }

    /** {@code metric_relabel_configs}, written as the YAML list a config file holds. */
    public JobSettings withMetricRelabelConfigs(String yamlList) {
        return new JobSettings(interval, timeout, metricsPath, scheme, staticTargets, relabelConfigs,
                Objects.requireNonNull(yamlList), extraYaml);
    }

    /**
     * Any other keys of a {@code scrape_configs} entry, as YAML ({@code honor_labels: true},
     * {@code basic_auth: ...}, {@code file_sd_configs: ...}); keys set by the other methods must not repeat.
     */
    public JobSettings withYaml(String yaml) {
        return new JobSettings(interval, timeout, metricsPath, scheme, staticTargets, relabelConfigs,
                metricRelabelConfigs, Objects.requireNonNull(yaml));
    }

    /** The job as the config stage reads it; {@code job.<name>} names it in errors. */
    ScrapeConfig toScrapeConfig(String jobName) throws ConfigException {
        return ConfigSnippets.job(jobName, yaml(), "job." + jobName);
    }

    /** The settings as the keys of one {@code scrape_configs} entry. */
    String yaml() {
        StringBuilder y = new StringBuilder();
        if (interval != null) {
            y.append("scrape_interval: ").append(PromDuration.format(interval)).append('\n');
        }
        if (timeout != null) {
            y.append("scrape_timeout: ").append(PromDuration.format(timeout)).append('\n');
        }
        if (metricsPath != null) {
            y.append("metrics_path: ").append(ConfigSnippets.quote(metricsPath)).append('\n');
        }
        if (scheme != null) {
            y.append("scheme: ").append(ConfigSnippets.quote(scheme)).append('\n');
        }
        if (!staticTargets.isEmpty()) {
            y.append("static_configs:\n  - targets: [")
                    .append(String.join(", ", staticTargets.stream().map(ConfigSnippets::quote).toList()))
                    .append("]\n");
        }
        if (relabelConfigs != null) {
            y.append("relabel_configs:\n").append(ConfigSnippets.indent(relabelConfigs, 2));
        }
        if (metricRelabelConfigs != null) {
            y.append("metric_relabel_configs:\n").append(ConfigSnippets.indent(metricRelabelConfigs, 2));
        }
        if (extraYaml != null) {
            y.append(extraYaml).append('\n');
        }
        return y.toString();
    }

    @Override
    public String toString() {
        return "JobSettings[" + yaml().replace('\n', ';') + "]";
    }
}
