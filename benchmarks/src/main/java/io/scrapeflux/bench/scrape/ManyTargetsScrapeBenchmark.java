package io.scrapeflux.bench.scrape;

import com.sun.management.OperatingSystemMXBean;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Limits;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.config.SourceLocation;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeClient;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.scrape.ScrapeMetrics;
import io.scrapeflux.target.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Not JMH: the scrape engine at scale. N targets (default 10,000) spread over a few in-process HTTP
 * servers on 127.0.0.1, scraped every 10 s for a while; prints missed ticks, skipped and failed scrapes,
 * process CPU per million samples over the steady-state window (the in-process servers' CPU included)
 * and heap after GC.
 *
 * <pre>java -cp target/benchmarks.jar io.scrapeflux.bench.scrape.ManyTargetsScrapeBenchmark [targets] [seconds] [samplesPerTarget]</pre>
 */
public final class ManyTargetsScrapeBenchmark {

    private ManyTargetsScrapeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 90;
        int samplesPerTarget = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int servers = 20;
        Duration interval = Duration.ofSeconds(10);

        byte[] body = payload(samplesPerTarget);
        List<DisposableServer> running = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            running.add(HttpServer.create().host("127.0.0.1").port(0)
                    .handle((req, res) -> res.header("Content-Type", "text/plain; version=0.0.4")
                            .sendByteArray(Mono.just(body)))
                    .bindNow());
        }
        ScrapeConfig cfg = new ScrapeConfig("bench", interval, interval, ScrapeProtocol.DEFAULTS,
                ScrapeProtocol.PrometheusText0_0_4, "/metrics", "http", false, true, false, false, Map.of(),
                HttpClientConfig.DEFAULT, Limits.NONE, NameValidationScheme.UTF8, "underscores", false, List.of(),
                List.of(), List.of(), SourceLocation.NONE);
        List<Target> list = new ArrayList<>(targets);
        for (int i = 0; i < targets; i++) {
            String hostPort = "127.0.0.1:" + running.get(i % servers).port();
            list.add(new Target("bench", Labels.of("job", "bench", "instance", hostPort, "shard", Integer.toString(i)),
                    Labels.EMPTY, "http://" + hostPort + "/metrics?target=" + i, interval, interval));
        }

        ScrapeClient client = ScrapeClient.create();
        ScrapeManager manager = ScrapeManager.builder().client(client).outletCapacity(4096).build();
        AtomicLong delivered = new AtomicLong();
        manager.batches().subscribe(b -> delivered.addAndGet(b.size()));

        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long start = System.nanoTime();
        manager.reconcile("bench", cfg, list);
        long warmup = Math.min(30, seconds / 3);
        Thread.sleep(warmup * 1000);
        long cpu0 = os.getProcessCpuTime();
        long samples0 = delivered.get();
        long maxHeap = 0;
        for (long s = warmup; s < seconds; s++) {
            Thread.sleep(1000);
            maxHeap = Math.max(maxHeap, memory.getHeapMemoryUsage().getUsed());
        }
        long cpu1 = os.getProcessCpuTime();
        long samples1 = delivered.get();
        ScrapeMetrics m = manager.metrics();
        System.gc();
        long heapAfterGc = memory.getHeapMemoryUsage().getUsed();
        double window = (System.nanoTime() - start) / 1e9 - warmup;
        double samplesM = (samples1 - samples0) / 1e6;
        System.out.printf("targets=%d interval=10s samples/target=%d run=%ds window=%.0fs%n", targets,
                samplesPerTarget, seconds, window);
        System.out.printf("scrapes=%d failures=%d missed_ticks=%d skipped=%d%n", m.scrapes(), m.failures(),
                m.missedTicks(), m.scrapesSkipped());
        System.out.printf("samples in window=%.2fM (%.0f/s) cpu=%.1fs cpu_per_1M_samples=%.2fs%n", samplesM,
                samplesM * 1e6 / window, (cpu1 - cpu0) / 1e9, (cpu1 - cpu0) / 1e9 / samplesM);
        System.out.printf("heap_max_sampled=%dMiB heap_after_gc=%dMiB%n", maxHeap >> 20, heapAfterGc >> 20);
        Map<String, Long> errors = new java.util.TreeMap<>();
        manager.targets("bench").values().forEach(h -> errors.merge(
                h.health() + " " + h.lastError().replaceAll("\"http[^\"]*\"", "<url>"), 1L, Long::sum));
        System.out.println("last outcome per target: " + errors);
        manager.dispose();
        client.dispose();
        running.forEach(DisposableServer::disposeNow);
    }

    private static byte[] payload(int samples) {
        StringBuilder sb = new StringBuilder("# TYPE bench_metric gauge\n");
        for (int i = 0; i < samples; i++) {
            sb.append("bench_metric{kind=\"k").append(i % 7).append("\",index=\"").append(i).append("\"} ")
                    .append(i * 1.5).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
