package io.scrapeflux.scrape;

import io.scrapeflux.model.Labels;
import io.scrapeflux.target.Target;

/**
 * The samples of one scrape of one target, in columns, as the scrape loop hands them downstream:
 * scraped samples after metric relabeling, report series ({@code up}, {@code scrape_duration_seconds},
 * ...) and staleness markers ({@link io.scrapeflux.model.StaleNaN}).
 *
 * <p>Series label sets come from the target's series cache and are shared between scrapes, so a batch
 * costs three arrays, not an object per sample. A batch is immutable once emitted.
 */
public final class ScrapeBatch {

    private final Target target;
    private final long scrapeTimestampMs;
    private final Labels[] series;
    private final double[] values;
    private final long[] timestampsMs;
    private final int size;

    public ScrapeBatch(Target target, long scrapeTimestampMs, Labels[] series, double[] values, long[] timestampsMs,
            int size) {
        if (size > series.length || size > values.length || size > timestampsMs.length) {
            throw new IllegalArgumentException("size " + size + " exceeds the column arrays");
        }
        this.target = target;
        this.scrapeTimestampMs = scrapeTimestampMs;
        this.series = series;
        this.values = values;
        this.timestampsMs = timestampsMs;
        this.size = size;
    }

    public Target target() {
        return target;
    }

    /** When the scrape started, in Unix milliseconds; the default timestamp of its samples. */
    public long scrapeTimestampMs() {
        return scrapeTimestampMs;
    }

    public int size() {
        return size;
    }

    /** Final labels of sample {@code i}, {@code __name__} included. */
    public Labels labels(int i) {
        return series[i];
    }

    public double value(int i) {
        return values[i];
    }

    public long timestampMs(int i) {
        return timestampsMs[i];
    }
}
