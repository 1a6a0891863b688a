package io.scrapeflux.api;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;

/**
 * The samples of one scrape of one target, as {@link Scrapeflux#scrapes()} delivers them: scraped
 * samples after {@code metric_relabel_configs}, the report series ({@code up},
 * {@code scrape_duration_seconds}, ...) and staleness markers for series that disappeared.
 *
 * <p>A view over the engine's columnar batch: nothing is copied per sample, and label sets are shared
 * between scrapes. Immutable and safe to keep, though keeping many batches keeps their arrays alive.
 * Failed scrapes are batches too ({@code up 0} and staleness markers), never error signals.
 */
public final class ScrapeBatch {

    private final io.scrapeflux.scrape.ScrapeBatch batch;

    ScrapeBatch(io.scrapeflux.scrape.ScrapeBatch batch) {
        this.batch = batch;
    }

    /** The job of the scraped target. */
    public String job() {
        return batch.target().scrapePool();
    }

    /** The scraped URL. */
    public String scrapeUrl() {
        return batch.target().scrapeUrl();
    }

    /** The target's final labels ({@code job}, {@code instance}, ...). */
    public Labels targetLabels() {
        return batch.target().labels();
    }

    /** When the scrape started, in Unix milliseconds (the scheduler's clock). */
    public long timestampMs() {
        return batch.scrapeTimestampMs();
    }

    /** Number of samples. */
    public int size() {
        return batch.size();
    }

    /** Labels of sample {@code i}, its metric name included as {@code __name__}. */
    public Labels labels(int i) {
        return batch.labels(i);
    }

    /** Metric name of sample {@code i}. */
    public String name(int i) {
        return batch.labels(i).get(Labels.METRIC_NAME);
    }

    public double value(int i) {
        return batch.value(i);
    }

    /** Timestamp of sample {@code i} in Unix milliseconds (the scrape's unless the target set one it may keep). */
    public long timestampMs(int i) {
        return batch.timestampMs(i);
    }

    /** Whether sample {@code i} is a staleness marker: its series is gone (target down, removed, or series vanished). */
    public boolean isStale(int i) {
        return StaleNaN.isStale(batch.value(i));
    }

    @Override
    public String toString() {
        return "ScrapeBatch[" + job() + " " + scrapeUrl() + " @" + timestampMs() + ", " + size() + " samples]";
    }
}
