package io.scrapeflux.api;

import java.time.Duration;
import java.util.Map;

/**
 * One active target of a job as {@link Scrapeflux#targets()} shows it: an immutable snapshot.
 *
 * @param job              the job (scrape pool)
 * @param labels           final target labels after relabeling ({@code job}, {@code instance}, ...)
 * @param discoveredLabels labels as discovered, before relabeling ({@code __address__}, {@code __meta_*}, ...)
 * @param scrapeUrl        the URL scraped
 * @param interval         its scrape interval
 * @param timeout          its scrape timeout
 * @param health           outcome of its last scrape
 * @param lastError        the last scrape's error as Prometheus words it; empty when it succeeded
 */
public record ScrapeTarget(String job, Map<String, String> labels, Map<String, String> discoveredLabels,
        String scrapeUrl, Duration interval, Duration timeout, Health health, String lastError) {

    public ScrapeTarget {
        labels = Map.copyOf(labels);
        discoveredLabels = Map.copyOf(discoveredLabels);
    }

    /** Target health as Prometheus reports it: unknown until the first scrape ends. */
    public enum Health {
        UP, DOWN, UNKNOWN
    }
}
