package io.scrapeflux.scrape;

import java.util.function.LongSupplier;
import reactor.core.scheduler.Scheduler;

/** What every loop of a manager shares: time, output, counters, buffers, parsers. */
record LoopEnvironment(
        Scheduler scheduler,
        LongSupplier nanoClock,
        BatchOutlet outlet,
        ScrapeMetrics metrics,
        BufferPool buffers,
        ParserFactory parsers,
        long offsetSeed,
        int cacheMaxEntries) {
}
