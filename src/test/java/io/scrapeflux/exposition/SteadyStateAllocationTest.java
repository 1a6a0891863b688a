package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The pass the scrape cache runs on every scrape (series bytes, hash, value, timestamp) allocates
 * nothing per sample, whatever the value forms in the payload (17-digit values included), with series
 * checks in {@code next()} or deferred.
 */
class SteadyStateAllocationTest {

    @Test
    void steadyStatePassAllocatesNothingPerSample() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[][] payloads = {{"node_exporter_1.5.prom", "text"}, {"alltypes.237mfs.prom.txt", "text"},
            {"alltypes.5mfs.om.txt", "om"}, {"1histogram.om.txt", "om"}};
        for (String[] payload : payloads) {
            for (boolean deferred : new boolean[] {false, true}) {
                ExpositionParser p = payload[1].equals("om") ? new OpenMetricsParser() : new PrometheusTextParser();
                p.deferSeriesChecks(deferred);
                assertAllocatesNothing(threads, p, payload[0], deferred);
            }
        }
    }

    private static void assertAllocatesNothing(com.sun.management.ThreadMXBean threads, ExpositionParser p, String payload,
            boolean deferred) throws ExpositionException {
        byte[] body = Payloads.load(payload);
        long sink = 0;
        // Until the JIT has compiled the hot path, interpreted VarHandle access may allocate; warm up
        // until five passes in a row allocate nothing (bounded, not timed).
        for (int i = 0, clean = 0; i < 5000 && clean < 5; i++) {
            long b0 = threads.getCurrentThreadAllocatedBytes();
            sink += pass(p, body);
            clean = threads.getCurrentThreadAllocatedBytes() - b0 == 0 ? clean + 1 : 0;
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
            sink += pass(p, body);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 20 passes over %s, deferred checks %s (%d)", payload, deferred,
                sink & 1).isLessThan(1024);
    }

    private static long pass(ExpositionParser p, byte[] body) throws ExpositionException {
        p.reset(body, 0, body.length);
        long h = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                h += p.seriesHash() + p.seriesOffset() + p.seriesLength() + Double.doubleToRawLongBits(p.value())
                        + (p.hasTimestamp() ? p.timestampMs() : 0);
            }
        }
        return h;
    }
}
