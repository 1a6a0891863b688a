package io.scrapeflux.scrape;

import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.exposition.ExpositionParsers;
import io.scrapeflux.model.Labels;
import io.scrapeflux.relabel.RelabelChain;
import io.scrapeflux.target.Target;
import java.util.function.UnaryOperator;

/**
 * Prometheus's per-scrape semantics for bodies obtained some other way (pushed, read from a file,
 * or in a benchmark): the same processing a {@link ScrapeManager} loop applies, series cache and
 * staleness tracking included, without scheduling or HTTP. Not thread-safe: one body at a time.
 */
public final class BodyProcessor {

    private final ScrapeProcessor processor;
    private final ScrapeMetrics metrics = new ScrapeMetrics();

    private BodyProcessor(Target target, LoopSettings settings) {
        this.processor = new ScrapeProcessor(target, settings, ExpositionParsers::forContentType, metrics, 1 << 21);
    }

    /** A processor for {@code target} under job config {@code cfg} (metric_relabel_configs, limits, honor_*). */
    public static BodyProcessor create(Target target, ScrapeConfig cfg) {
        UnaryOperator<Labels> relabeler = cfg.metricRelabelConfigs() == null || cfg.metricRelabelConfigs().isEmpty()
                ? UnaryOperator.identity()
                : RelabelChain.compile(cfg.metricRelabelConfigs(), cfg.metricNameValidationScheme() == null
                        ? NameValidationScheme.UTF8 : cfg.metricNameValidationScheme())::apply;
        return new BodyProcessor(target, LoopSettings.of(cfg, relabeler));
    }

    /**
     * Processes one body as a scrape that started at {@code timestampMs} and took {@code durationSeconds}.
     * A body that cannot be parsed or breaks a limit gives the batch of a failed scrape ({@code up} 0,
     * staleness markers), as a loop would emit.
     */
    public ScrapeBatch process(byte[] body, int length, String contentType, long timestampMs, double durationSeconds) {
        try {
            return processor.success(body, length, contentType, timestampMs, durationSeconds, length);
        } catch (ScrapeFailure f) {
            return processor.failure(timestampMs, durationSeconds, 0, true);
        }
    }

    /** Series the cache remembers. */
    public int cachedSeries() {
        return processor.cacheSize();
    }
}
