package io.scrapeflux.scrape;

import java.time.Duration;

/**
 * What the API and UI show about one target: outcome of its last scrape. An immutable snapshot that
 * the target's loop replaces after every scrape.
 *
 * @param health             up after a successful scrape, down after a failed one, unknown before the first
 * @param lastScrapeMs       start of the last scrape in Unix milliseconds; 0 before the first
 * @param lastScrapeDuration how long the last scrape took
 * @param lastError          the last scrape's error text as Prometheus words it; empty when it succeeded
 */
public record TargetHealth(Health health, long lastScrapeMs, Duration lastScrapeDuration, String lastError) {

    public static final TargetHealth UNKNOWN = new TargetHealth(Health.UNKNOWN, 0, Duration.ZERO, "");

    /** Prometheus's target health values; {@link #toString()} gives the API spelling. */
    public enum Health {
        UP("up"), DOWN("down"), UNKNOWN("unknown");

        private final String apiName;

        Health(String apiName) {
            this.apiName = apiName;
        }

        @Override
        public String toString() {
            return apiName;
        }
    }
}
