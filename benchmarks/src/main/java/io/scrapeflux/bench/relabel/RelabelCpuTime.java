package io.scrapeflux.bench.relabel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The {@link RelabelBenchmark} cases measured in CPU time of the benchmark thread instead of wall time.
 * On the shared build machine (load average far above its two cores) JMH's wall-clock numbers mostly
 * measure time spent waiting for a core; thread CPU time is much less disturbed by that. Run with
 * {@code java -cp target/benchmarks.jar io.scrapeflux.bench.relabel.RelabelCpuTime}.
 */
public final class RelabelCpuTime {

    private static final int OPS = 500_000;
    private static final int ROUNDS = 7;

    private RelabelCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String name : new String[] {"example", "kubernetes", "static_label_pair", "unchanged"}) {
            RelabelBenchmark b = new RelabelBenchmark();
            b.name = name;
            b.setup();
            Object sink = null;
            for (int i = 0; i < 4 * OPS; i++) {
                sink = b.relabel(); // warm-up: let the JIT compile the chain
            }
            long[] nsPerOp = new long[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < OPS; i++) {
                    sink = b.relabel();
                }
                nsPerOp[r] = (mx.getCurrentThreadCpuTime() - t0) / OPS;
            }
            Arrays.sort(nsPerOp);
            System.out.printf("%-18s cpu ns/op: min %d, median %d, max %d (%s)%n", name, nsPerOp[0],
                    nsPerOp[ROUNDS / 2], nsPerOp[ROUNDS - 1], sink == null ? "dropped" : "kept");
        }
    }
}
