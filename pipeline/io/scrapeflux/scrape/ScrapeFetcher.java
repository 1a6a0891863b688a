package io.scrapeflux.scrape;

import io.scrapeflux.target.Target;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The network side of a loop: fetches one body of a target into a buffer. One per scrape pool. */
@FunctionalInterface
interface ScrapeFetcher {

    /**
     * Fetches {@code target}'s metrics into {@code into} (already {@linkplain BodyBuffer#open opened};
     * the fetcher appends and {@linkplain BodyBuffer#finish finishes} it) and emits the response's
     * Content-Type ({@code ""} when absent). Fails with a {@link ScrapeFailure} for HTTP-level problems
     * (status, limits); other errors are transport failures.
     */
    Mono<String> fetch(Target target, BodyBuffer into);

    /**
     * The scheduler whose thread runs {@code target}'s requests, so a loop ticking there hands nothing
     * to another thread; {@code null} when there is none (the manager's scheduler is used).
     */
    default Scheduler tickScheduler(Target target) {
        return null;
    }
}
