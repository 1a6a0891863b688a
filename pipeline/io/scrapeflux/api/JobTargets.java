package io.scrapeflux.api;

import java.util.List;

/**
 * The targets of one job at one moment, as {@link Scrapeflux#targets()} emits them.
 *
 * @param job             the job name
 * @param active          targets being scraped, in discovery order
 * @param droppedTargets  discovered targets that relabeling dropped
 * @param targetErrors    discovered targets that could not become targets (no address, bad labels...),
 *                        each as {@code instance <i> in group <source>: <reason>}
 * @param discoveryErrors latest failure of each discoverer of the job that is failing now (its last good
 *                        targets stay in force while it retries with backoff), as {@code <provider>: <error>}
 */
public record JobTargets(String job, List<ScrapeTarget> active, long droppedTargets, List<String> targetErrors,
        List<String> discoveryErrors) {

    public JobTargets {
        active = List.copyOf(active);
        targetErrors = List.copyOf(targetErrors);
        discoveryErrors = List.copyOf(discoveryErrors);
    }
}
