package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The {@code global} block, defaults applied. */
public record GlobalConfig(
        Duration scrapeInterval,
        Duration scrapeTimeout,
        Duration evaluationInterval,
        List<ScrapeProtocol> scrapeProtocols,
        Map<String, String> externalLabels,
        Limits limits,
        NameValidationScheme metricNameValidationScheme,
        String metricNameEscapingScheme,
        boolean convertClassicHistogramsToNhcb,
        boolean alwaysScrapeClassicHistograms,
        boolean extraScrapeMetrics) {

    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);

    public static final GlobalConfig DEFAULT = new GlobalConfig(DEFAULT_SCRAPE_INTERVAL, DEFAULT_SCRAPE_TIMEOUT,
            DEFAULT_SCRAPE_INTERVAL, ScrapeProtocol.DEFAULTS, Map.of(), Limits.NONE, NameValidationScheme.UTF8,
            "allow-utf-8", false, false, false);
}
