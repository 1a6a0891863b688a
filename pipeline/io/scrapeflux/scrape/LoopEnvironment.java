package io.scrapeflux.scrape;

import java.util.function.LongSupplier;
import reactor.core.scheduler.Scheduler;

/**
 * What every loop of a manager shares: time, output, counters, buffers, parsers. Loops tick on their
 * fetcher's {@linkplain ScrapeFetcher#tickScheduler scheduler} when {@code ticksOnFetcher} and it has
 * one, else on {@code scheduler}, which is also the clock of timestamps.
 */
record LoopEnvironment(
        Scheduler scheduler,
        boolean ticksOnFetcher,
        LongSupplier nanoClock,
        BatchOutlet outlet,
        ScrapeMetrics metrics,
        BufferPool buffers,
        ParserFactory parsers,
        long offsetSeed,
        int cacheMaxEntries) {
}
