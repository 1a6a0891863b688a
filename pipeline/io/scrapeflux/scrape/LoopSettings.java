package io.scrapeflux.scrape;

import io.scrapeflux.config.Limits;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.model.Labels;
import java.util.function.UnaryOperator;

/**
 * The per-scrape semantics a pool's loops share, taken from its {@link ScrapeConfig} once.
 *
 * @param metricRelabeler metric_relabel_configs compiled; returns null when a series is dropped
 */
record LoopSettings(
        boolean honorLabels,
        boolean honorTimestamps,
        boolean trackTimestampsStaleness,
        boolean extraScrapeMetrics,
        Limits limits,
        ScrapeProtocol fallbackProtocol,
        UnaryOperator<Labels> metricRelabeler) {

    static LoopSettings of(ScrapeConfig cfg, UnaryOperator<Labels> metricRelabeler) {
        return new LoopSettings(cfg.honorLabels(), cfg.honorTimestamps(), cfg.trackTimestampsStaleness(),
                cfg.extraScrapeMetrics(), cfg.limits() == null ? Limits.NONE : cfg.limits(),
                cfg.fallbackScrapeProtocol(), metricRelabeler);
    }
}
