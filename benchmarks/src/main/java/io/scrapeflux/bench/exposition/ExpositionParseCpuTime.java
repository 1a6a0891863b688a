package io.scrapeflux.bench.exposition;

import io.scrapeflux.exposition.ExpositionException;
import io.scrapeflux.exposition.ExpositionParser;
import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.exposition.OpenMetricsParser;
import io.scrapeflux.exposition.PrometheusTextParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The steady-state pass of {@link ExpositionParseBenchmark} timed by the thread's CPU time instead of
 * the wall clock, for a shared machine: time spent descheduled is left out, so the low percentiles
 * approach what an idle machine gives (contention for caches and execution units still shows). One
 * payload per run, so that no other payload's parsing shapes the compiled code.
 *
 * <pre>java -cp target/benchmarks.jar io.scrapeflux.bench.exposition.ExpositionParseCpuTime deferred|checked SECONDS PAYLOAD</pre>
 */
public final class ExpositionParseCpuTime {

    private static long sink;

    private ExpositionParseCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        boolean deferred = args[0].equals("deferred");
        int seconds = Integer.parseInt(args[1]);
        String payload = args[2];
        byte[] body = Files.readAllBytes(Path.of(System.getProperty("scrapeflux.bench.data", "src/test/resources"),
                "exposition", payload));
        ExpositionParser p = payload.contains(".om.") ? new OpenMetricsParser() : new PrometheusTextParser();
        p.deferSeriesChecks(deferred);
        long warm = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < warm) {
            pass(p, body);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int reps = Math.max(1, 500_000 / body.length);
        long[] ns = new long[2000];
        int n = 0;
        for (long until = System.nanoTime() + seconds * 1_000_000_000L; System.nanoTime() < until && n < ns.length; n++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int r = 0; r < reps; r++) {
                pass(p, body);
            }
            ns[n] = (threads.getCurrentThreadCpuTime() - start) / reps;
        }
        long[] sorted = Arrays.copyOf(ns, n);
        Arrays.sort(sorted);
        System.out.printf("%s %s: p10 %.1f us (%.0f MiB/s), median %.1f us (%.0f MiB/s), %d samples of %d passes [%d]%n",
                deferred ? "deferred" : "checked", payload, sorted[n / 10] / 1e3, mibPerSecond(body, sorted[n / 10]),
                sorted[n / 2] / 1e3, mibPerSecond(body, sorted[n / 2]), n, reps, sink & 1);
    }

    private static double mibPerSecond(byte[] body, long nanos) {
        return body.length / (nanos / 1e9) / (1 << 20);
    }

    private static void pass(ExpositionParser p, byte[] body) throws ExpositionException {
        p.reset(body, 0, body.length);
        long h = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                h += p.seriesHash() + p.seriesOffset() + p.seriesLength() + Double.doubleToRawLongBits(p.value());
            }
        }
        sink += h;
    }
}
