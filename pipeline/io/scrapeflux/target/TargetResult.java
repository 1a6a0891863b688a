package io.scrapeflux.target;

import io.scrapeflux.model.Labels;

/** What became of one discovered target: scraped, dropped by relabeling, or rejected with an error. */
public sealed interface TargetResult {

    /** Labels as discovered, with the job's {@code __} defaults, before relabeling. */
    Labels discoveredLabels();

    /** The target is scraped. */
    record Active(Target target) implements TargetResult {
        @Override
        public Labels discoveredLabels() {
            return target.discoveredLabels();
        }
    }

    /** A relabel rule dropped the target; its discovered labels are kept for the targets API. */
    record Dropped(Labels discoveredLabels) implements TargetResult {
    }

    /**
     * Building the target failed; {@code message} is worded as Prometheus words it ({@code no address},
     * {@code "a/b" is not a valid hostname}, {@code error parsing scrape interval: ...}). Prometheus
     * shows such a target nowhere, it only logs and counts it.
     */
    record Failed(Labels discoveredLabels, String message) implements TargetResult {
    }
}
