package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One {@code scrape_configs} entry with global defaults already inherited, so every field
 * holds the value in force for the job. */
public record ScrapeConfig(
        String jobName,
        Duration scrapeInterval,
        Duration scrapeTimeout,
        List<ScrapeProtocol> scrapeProtocols,
        ScrapeProtocol fallbackScrapeProtocol,
        String metricsPath,
        String scheme,
        boolean honorLabels,
        boolean honorTimestamps,
        boolean trackTimestampsStaleness,
        boolean enableCompression,
        Map<String, List<String>> params,
        HttpClientConfig http,
        Limits limits,
        NameValidationScheme metricNameValidationScheme,
        String metricNameEscapingScheme,
        boolean extraScrapeMetrics,
        List<RelabelConfig> relabelConfigs,
        List<RelabelConfig> metricRelabelConfigs,
        List<SdConfig> sdConfigs,
        SourceLocation location) {
}
