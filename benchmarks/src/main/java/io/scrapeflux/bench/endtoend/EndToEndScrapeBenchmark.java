package io.scrapeflux.bench.endtoend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Limits;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.config.SourceLocation;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.scrape.ScrapeClient;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.scrape.ScrapeMetrics;
import io.scrapeflux.sink.SeriesTransform;
import io.scrapeflux.sink.WriteRequestEncoder;
import io.scrapeflux.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * One whole scrape of one target through the real code path, per invocation: the interval tick of a
 * {@link ScrapeManager} loop → HTTP GET through {@link ScrapeClient} (Reactor Netty, pooled keep-alive
 * connection) to an in-process server on 127.0.0.1 → parse → series cache → staleness → report series
 * → batch → the batches() subscriber encodes it for remote write 1.0 ({@link WriteRequestEncoder},
 * warm series cache, one external label) and snappy-compresses the WriteRequest body, as the remote
 * write queue does before sending. Not included: the remote-write queue's disk spool and the POST.
 *
 * <p>The manager runs on {@link ManualTicks}, so the benchmark thread fires the loop's tick and parks
 * until the subscriber has compressed the batch (the work itself runs on Netty's event loop, as in the
 * agent). {@link OperationsPerInvocation} is the number of samples a scrape emits (payload + 5 report
 * series, checked at setup), so JMH's ns/op is <b>ns per sample</b> and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is <b>bytes per sample</b>, the in-process server's allocation included.
 * Scrapes run one after another, so the time includes two thread hand-overs per scrape (benchmark
 * thread → event loop → benchmark thread); the trial's teardown prints how the time split, which shows
 * how much of a noisy result was waiting for a CPU.
 *
 * <pre>
 * mvn -B -o -q -Pbench package -DskipTests
 * java -jar target/benchmarks.jar EndToEndScrapeBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 * Payloads come from {@code src/test/resources/exposition/} (run from the repository root) or the
 * directory in {@code -Dscrapeflux.bench.payloads=...}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EndToEndScrapeBenchmark {

    /** Samples one scrape of node_exporter_1.5.prom emits: 507 in the body + 5 report series. */
    static final int NODE_EXPORTER_SAMPLES = 512;
    /** Samples one scrape of ksm_like_10k.prom emits: 10,000 in the body + 5 report series. */
    static final int KSM_SAMPLES = 10_005;

    @Benchmark
    @OperationsPerInvocation(NODE_EXPORTER_SAMPLES)
    public long nodeExporter(NodeExporterTarget target) {
        return target.scrapeOnce();
    }

    @Benchmark
    @OperationsPerInvocation(KSM_SAMPLES)
    public long ksm10k(KsmTarget target) {
        return target.scrapeOnce();
    }

    @State(Scope.Thread)
    public static class NodeExporterTarget extends Pipeline {
        public NodeExporterTarget() {
            super("node_exporter_1.5.prom", NODE_EXPORTER_SAMPLES);
        }
    }

    @State(Scope.Thread)
    public static class KsmTarget extends Pipeline {
        public KsmTarget() {
            super("ksm_like_10k.prom", KSM_SAMPLES);
        }
    }

    /** Server, scrape manager with one target, and the remote-write encoding subscriber. */
    public abstract static class Pipeline {

        private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
        private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

        private final String payload;
        private final int expectedSamples;

        private ByteBuf payloadBuffer;
        private LoopResources serverLoops;
        private DisposableServer server;
        private ScrapeClient client;
        private ScrapeManager manager;
        private ScrapeMetrics metrics;
        private final ManualTicks ticks = new ManualTicks();

        // written only by the batches() subscriber (one Netty thread at a time)
        private final WriteRequestEncoder encoder =
                new WriteRequestEncoder(SeriesTransform.externalLabels(Map.of("cluster", "bench")));
        private volatile long delivered;
        private volatile int lastSamples;
        private volatile int lastCompressedBytes;

        private volatile Thread waiter;
        private volatile long deliveredAt;
        // diagnostics for a loaded machine: where the time of an operation went
        private long tickAt;
        private long scrapeNanos;
        private long handOverNanos;
        private long retriedTicks;
        private long failuresAtStart;

        protected Pipeline(String payload, int expectedSamples) {
            this.payload = payload;
            this.expectedSamples = expectedSamples;
        }

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Path dir = Path.of(System.getProperty("scrapeflux.bench.payloads", "src/test/resources/exposition"));
            byte[] body = Files.readAllBytes(dir.resolve(payload));
            // the server gets its own event loop so it does not queue behind the scrape client's
            serverLoops = LoopResources.create("e2e-server", 1, true);
            // one off-heap copy of the payload, shared by every response, so that -prof gc counts the
            // scraper's allocation rather than the test server's
            payloadBuffer = Unpooled.directBuffer(body.length).writeBytes(body);
            ByteBuf shared = Unpooled.unreleasableBuffer(payloadBuffer);
            server = HttpServer.create().runOn(serverLoops).host("127.0.0.1").port(0)
                    .handle((req, res) -> res.header(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                            .send(Mono.fromSupplier(shared::duplicate)))
                    .bindNow();
            String hostPort = "127.0.0.1:" + server.port();
            Duration interval = Duration.ofSeconds(10);
            ScrapeConfig cfg = new ScrapeConfig("bench", interval, interval, ScrapeProtocol.DEFAULTS,
                    ScrapeProtocol.PrometheusText0_0_4, "/metrics", "http", false, true, false, true, Map.of(),
                    HttpClientConfig.DEFAULT, Limits.NONE, NameValidationScheme.UTF8, "underscores", false,
                    List.of(), List.of(), List.of(), SourceLocation.NONE);
            Target target = new Target("bench", Labels.of("job", "bench", "instance", hostPort), Labels.EMPTY,
                    "http://" + hostPort + "/metrics", interval, interval);

            client = ScrapeClient.create();
            manager = ScrapeManager.builder().client(client).scheduler(ticks).build();
            metrics = manager.metrics();
            manager.batches().subscribe(this::remoteWrite);
            manager.reconcile("bench", cfg, List.of(target));
            if (ticks.periodicTasks() != 1) {
                throw new IllegalStateException("expected one scrape loop, found " + ticks.periodicTasks());
            }
            // the first scrapes fill the series caches (scrape and remote write) and opens the connection
            scrapeOnce();
            scrapeOnce();
            if (lastSamples != expectedSamples || metrics.failures() != 0) {
                throw new IllegalStateException(payload + ": a scrape emitted " + lastSamples + " samples (expected "
                        + expectedSamples + "), failures " + metrics.failures());
            }
            failuresAtStart = metrics.failures();
            System.out.printf("%n# %s: %d samples/scrape, snappy WriteRequest %.1f B/sample%n", payload,
                    lastSamples, (double) lastCompressedBytes / lastSamples);
        }

        /** The remote-write half, on the scrape's Netty thread: the snappy-compressed chunks of the WriteRequest. */
        private void remoteWrite(ScrapeBatch batch) {
            encoder.reset();
            encoder.append(batch);
            lastCompressedBytes = encoder.length();
            lastSamples = batch.size();
            deliveredAt = System.nanoTime();
            delivered++; // single writer
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        /** Fires the loop's tick and waits until the scrape's batch has been encoded and compressed. */
        long scrapeOnce() {
            long want = delivered + 1;
            waiter = Thread.currentThread();
            // The loop asks for its next tick just after handing over the previous batch; a tick that
            // comes earlier is dropped (counted as missed), so fire again until one is taken.
            while (true) {
                long missed = metrics.missedTicks();
                ticks.tick();
                if (metrics.missedTicks() == missed) {
                    long now = System.nanoTime();
                    if (deliveredAt != 0) {
                        handOverNanos += now - deliveredAt;
                    }
                    tickAt = now;
                    break;
                }
                retriedTicks++;
                // not a spin: on two busy cores a spinning benchmark thread keeps the event loop that
                // is finishing the scrape off the CPU
                Thread.yield();
            }
            long deadline = System.nanoTime() + STALL_NANOS;
            while (delivered < want) {
                LockSupport.parkNanos(this, 1_000_000);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no batch within 30 s; scrapes " + metrics.scrapes()
                            + ", failures " + metrics.failures());
                }
            }
            scrapeNanos += deliveredAt - tickAt;
            return lastCompressedBytes;
        }

        @TearDown(Level.Iteration)
        public void checkNoFailures() {
            if (metrics.failures() != failuresAtStart) {
                throw new IllegalStateException(payload + ": " + (metrics.failures() - failuresAtStart)
                        + " scrapes failed during the iteration; the numbers would mix in failed scrapes");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            long n = Math.max(1, metrics.scrapes());
            System.out.printf("%n# %s: %d scrapes, %d failures, %d ticks fired again (loop not yet ready);"
                    + " mean tick → batch compressed %.1f µs, batch compressed → next tick taken %.1f µs"
                    + " (thread wake-up; large on a loaded machine)%n", payload, metrics.scrapes(),
                    metrics.failures(), retriedTicks, scrapeNanos / 1e3 / n, handOverNanos / 1e3 / n);
            manager.dispose();
            client.dispose();
            server.disposeNow();
            serverLoops.disposeLater().block(Duration.ofSeconds(10));
            payloadBuffer.release();
        }
    }
}
