package io.scrapeflux.scrape;

import java.util.concurrent.atomic.LongAdder;

/**
 * Self-metrics of the scrape engine as plain counters, one holder per {@link ScrapeManager}, so the
 * web stage can expose them (names below are the ones it should register) without this package
 * knowing any metrics library.
 */
public final class ScrapeMetrics {

    /** {@code scrapeflux_scrapes_total}: scrapes attempted (successful or not). */
    final LongAdder scrapes = new LongAdder();
    /** {@code scrapeflux_scrape_failures_total}: scrapes that ended with up=0. */
    final LongAdder failures = new LongAdder();
    /** {@code scrapeflux_scrape_missed_ticks_total}: interval ticks that fired while the previous scrape of the target still ran. */
    final LongAdder missedTicks = new LongAdder();
    /** {@code scrapeflux_scrapes_skipped_total}: due scrapes not started because downstream had no room for their batch. */
    final LongAdder scrapesSkipped = new LongAdder();
    /** {@code scrapeflux_scrape_samples_total}: samples emitted (scraped after relabeling, report series, staleness markers). */
    final LongAdder samples = new LongAdder();
    /** {@code scrapeflux_scrape_exceeded_body_size_limit_total}. */
    final LongAdder exceededBodySizeLimit = new LongAdder();
    /** {@code scrapeflux_scrape_exceeded_sample_limit_total}. */
    final LongAdder exceededSampleLimit = new LongAdder();
    /** {@code scrapeflux_scrape_exceeded_label_limits_total}. */
    final LongAdder exceededLabelLimits = new LongAdder();
    /** {@code scrapeflux_scrape_pool_exceeded_target_limit_total}: reconciles that found a pool over its target_limit. */
    final LongAdder exceededTargetLimit = new LongAdder();
    /** {@code scrapeflux_scrape_duplicate_samples_total}: repeated series within one scrape, dropped. */
    final LongAdder duplicateSamples = new LongAdder();
    /** {@code scrapeflux_scrape_cache_flush_forced_total}: series caches flushed because failed scrapes kept growing them. */
    final LongAdder cacheFlushForced = new LongAdder();

    public long scrapes() {
        return scrapes.sum();
    }

    public long failures() {
        return failures.sum();
    }

    public long missedTicks() {
        return missedTicks.sum();
    }

    public long scrapesSkipped() {
        return scrapesSkipped.sum();
    }

    public long samples() {
        return samples.sum();
    }

    public long exceededBodySizeLimit() {
        return exceededBodySizeLimit.sum();
    }

    public long exceededSampleLimit() {
        return exceededSampleLimit.sum();
    }

    public long exceededLabelLimits() {
        return exceededLabelLimits.sum();
    }

    public long exceededTargetLimit() {
        return exceededTargetLimit.sum();
    }

    public long duplicateSamples() {
        return duplicateSamples.sum();
    }

    public long cacheFlushForced() {
        return cacheFlushForced.sum();
    }
}
