package io.scrapeflux.api;

/**
 * Counters of a pipeline's scrape engine since it was built; {@link Scrapeflux#stats()} takes a snapshot.
 *
 * @param scrapes        scrapes attempted, successful or not
 * @param failures       scrapes that ended with {@code up 0}
 * @param skippedScrapes due scrapes not started because the {@link Scrapeflux#scrapes()} subscriber was
 *                       behind (or gone): the cost of a slow subscriber
 * @param missedTicks    interval ticks that came while the target's previous scrape still ran
 * @param samples        samples handed to {@link Scrapeflux#scrapes()} (scraped, report series, staleness markers)
 */
public record ScrapeStats(long scrapes, long failures, long skippedScrapes, long missedTicks, long samples) {
}
