package io.scrapeflux.target;

import io.scrapeflux.model.Labels;
import java.time.Duration;

/**
 * A scrape target after relabeling, as Prometheus's {@code scrape.Target}: immutable; health lives elsewhere.
 *
 * @param scrapePool       the job name
 * @param labels           final target labels (no {@code __}-prefixed labels; {@code instance} set)
 * @param discoveredLabels labels as discovered, before relabeling (with the job's {@code __} defaults)
 * @param scrapeUrl        scheme://address/metrics_path?params, as Prometheus builds it
 * @param interval         this target's scrape interval (from {@code __scrape_interval__})
 * @param timeout          this target's scrape timeout (from {@code __scrape_timeout__})
 */
public record Target(
        String scrapePool,
        Labels labels,
        Labels discoveredLabels,
        String scrapeUrl,
        Duration interval,
        Duration timeout) {

    /** Identity used to key scrape loops: same labels and URL means the same target. */
    public String identity() {
        return scrapeUrl + labels;
    }
}
