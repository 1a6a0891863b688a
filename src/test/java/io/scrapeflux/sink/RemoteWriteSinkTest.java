package io.scrapeflux.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.scrapeflux.sink.RemoteWriteTesting.await;
import static io.scrapeflux.sink.RemoteWriteTesting.config;
import static io.scrapeflux.sink.RemoteWriteTesting.queue;
import static io.scrapeflux.sink.WireFormat.batch;
import static io.scrapeflux.sink.WireFormat.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.QueueConfig;
import io.scrapeflux.config.RemoteWriteConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.target.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.scheduler.VirtualTimeScheduler;

class RemoteWriteSinkTest {

    private static final String PATH = "/api/v1/write";

    @TempDir
    Path storage;

    private WireMockServer server;
    private final List<RemoteWriteSink> sinks = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    @AfterEach
    void stopAll() {
        for (RemoteWriteSink s : sinks) {
            s.shutdown().block(Duration.ofSeconds(30));
        }
        server.stop();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + PATH;
    }

    private RemoteWriteSink start(RemoteWriteConfig cfg, Map<String, String> external, RemoteWriteSink.Options o)
            throws Exception {
        RemoteWriteSink s = RemoteWriteSink.start(cfg, external, null, o);
        sinks.add(s);
        return s;
    }

    private RemoteWriteSink start(QueueConfig qc) throws Exception {
        return start(config(url(), "q", qc, Map.of()), Map.of(), RemoteWriteSink.Options.defaults(storage));
    }

    private List<LoggedRequest> requests() {
        return server.findAll(postRequestedFor(urlEqualTo(PATH)));
    }

    private static ScrapeBatch numbered(int from, int n) {
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = row(Labels.of("__name__", "m", "i", Integer.toString((from + i) % 7)), from + i, 1000L + from + i);
        }
        return batch(1000, rows);
    }

    @Test
    void sendsValidRemoteWrite1RequestsWithHeadersAndKeepsSeriesOrderAcrossShards() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        RemoteWriteConfig cfg = config(url(), "wire", queue(4, 7), Map.of("X-Scope-OrgID", "tenant-a"));
        RemoteWriteSink sink = start(cfg, Map.of("cluster", "c1", "job", "ext-job"), RemoteWriteSink.Options.defaults(storage));

        int series = 20;
        int scrapes = 15;
        for (int s = 0; s < scrapes; s++) {
            Object[][] rows = new Object[series + 1][];
            for (int k = 0; k < series; k++) {
                rows[k] = row(Labels.of("__name__", "metric_" + (k % 3), "job", "node", "k", "v" + k), s * 100.0 + k,
                        10_000L + s * 1000);
            }
            rows[series] = row(Labels.of("__name__", "gone"), s == scrapes - 1 ? StaleNaN.VALUE : 1.0, 10_000L + s * 1000);
            sink.write(batch(10_000L + s * 1000, rows)).block(Duration.ofSeconds(30));
        }
        int total = scrapes * (series + 1);
        await("all samples acknowledged", () -> sink.metrics().samplesSent.get() == total);

        Map<String, List<Long>> tsBySeries = new HashMap<>();
        Set<String> seen = new HashSet<>();
        boolean staleSeen = false;
        for (LoggedRequest r : requests()) {
            assertThat(r.getHeader("Content-Encoding")).isEqualTo("snappy");
            assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-protobuf");
            assertThat(r.getHeader("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
            assertThat(r.getHeader("User-Agent")).startsWith("scrapeflux/");
            assertThat(r.getHeader("X-Scope-OrgID")).isEqualTo("tenant-a");
            List<WireFormat.Received> got = WireFormat.decodeCompressed(r.getBody());
            assertThat(got.size()).isBetween(1, 7);
            for (WireFormat.Received x : got) {
                assertThat(x.get("cluster")).isEqualTo("c1");
                assertThat(x.get("job")).as("external label never overrides").isEqualTo("node".equals(x.get("job"))
                        ? "node" : "ext-job");
                tsBySeries.computeIfAbsent(x.series(), k -> new ArrayList<>()).add(x.timestampMs());
                assertThat(seen.add(x.series() + "@" + x.timestampMs())).as("no duplicate").isTrue();
                if ("gone".equals(x.get("__name__")) && StaleNaN.isStale(x.value())) {
                    staleSeen = true;
                    assertThat(x.valueBits()).isEqualTo(StaleNaN.BITS);
                }
            }
        }
        assertThat(seen).hasSize(total);
        assertThat(staleSeen).isTrue();
        assertThat(tsBySeries).hasSize(series + 1);
        tsBySeries.forEach((s, ts) -> assertThat(ts).as("order of %s", s).isSorted().hasSize(scrapes));
        assertThat(sink.metrics().shards.get()).isEqualTo(4);
        await("nothing pending", () -> sink.metrics().samplesPending.get() == 0);
        assertThat(sink.metrics().highestSentTimestampMs.get()).isEqualTo(10_000L + (scrapes - 1) * 1000);
        assertThat(sink.metrics().bytesSent.get()).isPositive();
    }

    @Test
    void targetsSpreadOverShardsAndEverySeriesStaysInOrder() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204).withFixedDelay(5)));
        RemoteWriteSink sink = start(config(url(), "targets", queue(4, 25), Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        int targets = 12;
        int series = 10;
        int scrapes = 20;
        Target[] t = new Target[targets];
        for (int k = 0; k < targets; k++) {
            t[k] = new Target("job", Labels.of("instance", "127.0.0.1:" + (9100 + k), "job", "job"), Labels.EMPTY,
                    "http://127.0.0.1:" + (9100 + k) + "/metrics", Duration.ofSeconds(1), Duration.ofSeconds(1));
        }
        for (int s = 0; s < scrapes; s++) {
            for (int k = 0; k < targets; k++) {
                Labels[] ls = new Labels[series];
                double[] vs = new double[series];
                long[] ts = new long[series];
                for (int i = 0; i < series; i++) {
                    ls[i] = Labels.of("__name__", "m" + i, "instance", "127.0.0.1:" + (9100 + k), "job", "job");
                    vs[i] = s;
                    ts[i] = 10_000L + s * 1000;
                }
                sink.write(new ScrapeBatch(t[k], ts[0], ls, vs, ts, series)).block(Duration.ofSeconds(30));
            }
        }
        int total = targets * series * scrapes;
        await("all samples acknowledged", () -> sink.metrics().samplesSent.get() == total);
        Map<String, List<Long>> tsBySeries = new HashMap<>();
        for (LoggedRequest r : requests()) {
            List<WireFormat.Received> got = WireFormat.decodeCompressed(r.getBody());
            assertThat(got.size()).isBetween(1, 25);
            for (WireFormat.Received x : got) {
                assertThat(x.value()).isEqualTo((x.timestampMs() - 10_000L) / 1000);
                tsBySeries.computeIfAbsent(x.series(), k -> new ArrayList<>()).add(x.timestampMs());
            }
        }
        assertThat(tsBySeries).hasSize(targets * series);
        tsBySeries.forEach((s, ts) -> assertThat(ts).as("order of %s", s).isSorted().doesNotHaveDuplicates()
                .hasSize(scrapes));
    }

    @Test
    void aSpoolOfThePerSampleFormatIsSentBeforeNewSamplesAndNothingIsLost() throws Exception {
        // Spools written before chunks held [u32 series hash][TimeSeries field] per sample. Fake one.
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY);
        try (DiskQueue old = DiskQueue.open(storage.resolve("remote_write").resolve("legacy"), DiskQueue.Options.DEFAULT)) {
            for (int r = 0; r < 3; r++) {
                enc.reset();
                enc.append(numbered(r * 10, 10));
                byte[] raw = WriteRequestEncoder.toWriteRequest(enc.buffer(), 0, enc.length());
                java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream();
                for (int p = 0, i = 0; p < raw.length; i++) {
                    int e = WriteRequestEncoder.entryLength(raw, p);
                    int hash = ((r * 10 + i) % 7) * 0x01010101; // the old shard hash: per series (label i)
                    record.write(new byte[] {(byte) (hash >>> 24), (byte) (hash >>> 16), (byte) (hash >>> 8), (byte) hash});
                    record.write(raw, p, e);
                    p += e;
                }
                old.append(record.toByteArray(), 0, record.size(), 10);
            }
        }
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        RemoteWriteSink sink = start(config(url(), "legacy", queue(3, 4), Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        sink.write(numbered(30, 10)).block(Duration.ofSeconds(30));
        await("old and new sent", () -> sink.metrics().samplesSent.get() == 40);
        Map<String, List<Long>> tsBySeries = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        for (LoggedRequest r : requests()) {
            for (WireFormat.Received x : WireFormat.decodeCompressed(r.getBody())) {
                assertThat(seen.add(x.timestampMs())).isTrue();
                assertThat(x.value()).isEqualTo(x.timestampMs() - 1000);
                tsBySeries.computeIfAbsent(x.series(), k -> new ArrayList<>()).add(x.timestampMs());
            }
        }
        assertThat(seen).hasSize(40);
        tsBySeries.forEach((s, ts) -> assertThat(ts).as("order of %s", s).isSorted());
        assertThat(Files.readString(storage.resolve("remote_write/legacy/format"))).contains("chunks from ");
    }

    @Test
    void cancelledWritesLeaveTheQueueWorking() throws Exception {
        // Shutting the agent down cancels writes in flight; that must not break the spool for what follows.
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        RemoteWriteSink sink = start(queue(1, 100));
        for (int i = 0; i < 300; i++) {
            sink.write(numbered(i * 5, 5)).subscribe().dispose();
        }
        sink.write(numbered(10_000, 5)).block(Duration.ofSeconds(30));
        await("the last batch sent", () -> sink.metrics().samplesSent.get() >= 5
                && sink.metrics().samplesPending.get() == 0);
        sink.shutdown().block(Duration.ofSeconds(30));
        assertThat(sink.metrics().samplesFailed.get()).isZero();
    }

    @Test
    void writesHandedOverJustBeforeShutdownAreSpooledAndLaterOnesRefused() throws Exception {
        // Writes from other threads wait briefly to be taken together; a shutdown must neither lose them
        // nor leave a later write waiting forever.
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        RemoteWriteSink first = RemoteWriteSink.start(config(url(), "handover", queue(1, 10), Map.of()), Map.of(),
                null, RemoteWriteSink.Options.defaults(storage).withShutdownGrace(Duration.ZERO));
        List<CompletableFuture<Void>> handedOver = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // three producers, one write each
            handedOver.add(first.write(numbered(i * 10, 10)).toFuture());
        }
        first.shutdown().block(Duration.ofSeconds(30));
        for (CompletableFuture<Void> w : handedOver) {
            assertThat(w).succeedsWithin(Duration.ofSeconds(5));
        }
        assertThat(first.write(numbered(100, 10)).toFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingCause().isInstanceOf(IllegalStateException.class)
                .withMessageContaining("shut down");
        server.resetAll();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        RemoteWriteSink second = start(config(url(), "handover", queue(1, 10), Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        await("the spooled writes sent", () -> second.metrics().samplesSent.get() == 30);
    }

    @Test
    void serverErrorIsRetriedUntilAccepted() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("tsdb busy")).willSetStateTo("ok"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        RemoteWriteSink sink = start(queue(1, 100));
        sink.write(numbered(0, 5)).block(Duration.ofSeconds(30));
        await("sent after retry", () -> sink.metrics().samplesSent.get() == 5);
        List<LoggedRequest> reqs = requests();
        assertThat(reqs).hasSize(2);
        assertThat(reqs.get(1).getBody()).isEqualTo(reqs.get(0).getBody());
        assertThat(sink.metrics().samplesRetried.get()).isEqualTo(5);
        assertThat(sink.metrics().samplesFailed.get()).isZero();
        assertThat(sink.metrics().requestsFailed.get()).isEqualTo(1);
    }

    @Test
    void clientErrorIsNotRetriedButDroppedAndCounted() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400).withBody("out of order sample")));
        RemoteWriteSink sink = start(queue(1, 100));
        sink.write(numbered(0, 5)).block(Duration.ofSeconds(30));
        await("dropped", () -> sink.metrics().samplesFailed.get() == 5);
        sink.write(numbered(5, 3)).block(Duration.ofSeconds(30));
        await("next batch dropped too, queue not stuck", () -> sink.metrics().samplesFailed.get() == 8);
        assertThat(requests()).hasSize(2);
        assertThat(sink.metrics().samplesRetried.get()).isZero();
        assertThat(sink.metrics().samplesSent.get()).isZero();
        await("nothing pending", () -> sink.metrics().samplesPending.get() == 0);
    }

    @Test
    void tooManyRequestsIsDroppedWhenRetryOn429IsOff() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429)));
        RemoteWriteSink sink = start(queue(1, 100, false, Duration.ofMillis(5), Duration.ofMillis(20)));
        sink.write(numbered(0, 4)).block(Duration.ofSeconds(30));
        await("dropped", () -> sink.metrics().samplesFailed.get() == 4);
        assertThat(requests()).hasSize(1);
        assertThat(sink.metrics().samplesRetried.get()).isZero();
    }

    @Test
    void tooManyRequestsIsRetriedWhenRetryOn429IsOn() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("again"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(429)).willSetStateTo("ok"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(204)));
        RemoteWriteSink sink = start(queue(1, 100, true, Duration.ofMillis(5), Duration.ofMillis(20)));
        sink.write(numbered(0, 4)).block(Duration.ofSeconds(30));
        await("sent", () -> sink.metrics().samplesSent.get() == 4);
        assertThat(requests()).hasSize(3);
        assertThat(sink.metrics().samplesRetried.get()).isEqualTo(8);
        assertThat(sink.metrics().samplesFailed.get()).isZero();
    }

    @Test
    void retryAfterIsHonouredOverTheBackoff() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")).willSetStateTo("ok"));
        server.stubFor(post(urlEqualTo(PATH)).inScenario("r").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(204)));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        try {
            RemoteWriteSink sink = start(config(url(), "q", queue(1, 100, true, Duration.ofMillis(10),
                    Duration.ofMillis(10)), Map.of()), Map.of(), RemoteWriteSink.Options.defaults(storage)
                    .withRetryTimer(clock));
            sink.write(numbered(0, 3)).block(Duration.ofSeconds(30));
            await("first attempt failed", () -> sink.metrics().requestsFailed.get() == 1);
            // The backoff (10 ms) has long passed in virtual time: only Retry-After (30 s) may hold the retry.
            clock.advanceTimeBy(Duration.ofSeconds(29));
            Thread.sleep(200); // a wrongly scheduled retry would show up here
            assertThat(requests()).hasSize(1);
            clock.advanceTimeBy(Duration.ofSeconds(1));
            await("retried after Retry-After", () -> sink.metrics().samplesSent.get() == 3);
            assertThat(requests()).hasSize(2);
        } finally {
            clock.dispose();
        }
    }

    @Test
    void exponentialBackoffSpacesRetries() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(502)));
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        try {
            RemoteWriteSink sink = start(config(url(), "q", queue(1, 100, true, Duration.ofSeconds(1),
                    Duration.ofSeconds(4)), Map.of()), Map.of(), RemoteWriteSink.Options.defaults(storage)
                    .withRetryTimer(clock));
            sink.write(numbered(0, 2)).block(Duration.ofSeconds(30));
            await("attempt 1", () -> requests().size() == 1);
            await("retry scheduled", () -> sink.metrics().requestsFailed.get() == 1);
            clock.advanceTimeBy(Duration.ofSeconds(1));
            await("attempt 2 after 1 s", () -> requests().size() == 2);
            await("retry scheduled", () -> sink.metrics().requestsFailed.get() == 2);
            clock.advanceTimeBy(Duration.ofMillis(1999));
            Thread.sleep(200);
            assertThat(requests()).as("2 s backoff not over").hasSize(2);
            clock.advanceTimeBy(Duration.ofMillis(1));
            await("attempt 3 after 2 s", () -> requests().size() == 3);
            await("retry scheduled", () -> sink.metrics().requestsFailed.get() == 3);
            clock.advanceTimeBy(Duration.ofSeconds(4));
            await("attempt 4 after 4 s", () -> requests().size() == 4);
            await("retry scheduled", () -> sink.metrics().requestsFailed.get() == 4);
            clock.advanceTimeBy(Duration.ofMillis(3999));
            Thread.sleep(200);
            assertThat(requests()).as("capped at max_backoff 4 s, not 8 s").hasSize(4);
            clock.advanceTimeBy(Duration.ofMillis(1));
            await("attempt 5 after 4 s", () -> requests().size() == 5);
        } finally {
            clock.dispose();
        }
    }

    @Test
    void receiverDownThenUpLosesNothing() throws Exception {
        int port = server.port();
        RemoteWriteConfig cfg = config(url(), "down", queue(2, 10), Map.of());
        server.stop(); // connection refused
        RemoteWriteSink sink = start(cfg, Map.of(), RemoteWriteSink.Options.defaults(storage));
        for (int i = 0; i < 10; i++) {
            sink.write(numbered(i * 10, 10)).block(Duration.ofSeconds(30));
        }
        await("retrying", () -> sink.metrics().requestsFailed.get() >= 2);
        assertThat(sink.metrics().samplesPending.get()).isEqualTo(100);
        server = new WireMockServer(options().bindAddress("127.0.0.1").port(port));
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204))); // before start: never a 404
        server.start();
        await("delivered", () -> sink.metrics().samplesSent.get() == 100);
        Set<Long> ts = new HashSet<>();
        for (LoggedRequest r : requests()) {
            for (WireFormat.Received x : WireFormat.decodeCompressed(r.getBody())) {
                assertThat(ts.add(x.timestampMs())).as("exactly once").isTrue();
            }
        }
        assertThat(ts).hasSize(100);
    }

    @Test
    void unacknowledgedDataIsSentByTheNextProcessAfterRestart() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        RemoteWriteSink first = RemoteWriteSink.start(config(url(), "restart", queue(1, 10), Map.of()), Map.of(), null,
                RemoteWriteSink.Options.defaults(storage).withShutdownGrace(Duration.ZERO));
        for (int i = 0; i < 5; i++) {
            first.write(numbered(i * 10, 10)).block(Duration.ofSeconds(30));
        }
        await("failing", () -> first.metrics().requestsFailed.get() >= 1);
        first.shutdown().block(Duration.ofSeconds(30));
        server.resetAll();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        RemoteWriteSink second = start(config(url(), "restart", queue(1, 10), Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        await("replayed", () -> second.metrics().samplesSent.get() == 50);
        second.shutdown().block(Duration.ofSeconds(30));
        sinks.remove(second);
        RemoteWriteSink third = start(config(url(), "restart", queue(1, 10), Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(third.metrics().samplesSent.get()).as("acknowledged data is not replayed").isZero();
        // A request still in flight when the first sink shut down may also have landed (at-least-once:
        // its acknowledgement was never recorded), so count distinct samples.
        Set<Long> ts = new HashSet<>();
        for (LoggedRequest r : requests()) {
            WireFormat.decodeCompressed(r.getBody()).forEach(x -> ts.add(x.timestampMs()));
        }
        assertThat(ts).hasSize(50);
    }

    @Test
    void recoveredSamplesNeverShareARequestWithNewOnes() throws Exception {
        // Samples left on disk by a previous process may have reached the receiver already; Prometheus
        // refuses a re-sent sample as out of order with a 400, which must not take fresh samples down too.
        QueueConfig slowDeadline = new QueueConfig(1000, 1, 1, 10, Duration.ofSeconds(30), Duration.ofMillis(5),
                Duration.ofMillis(20), true, Duration.ZERO);
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        RemoteWriteSink first = RemoteWriteSink.start(config(url(), "mix", slowDeadline, Map.of()), Map.of(), null,
                RemoteWriteSink.Options.defaults(storage).withShutdownGrace(Duration.ZERO));
        first.write(numbered(0, 5)).block(Duration.ofSeconds(30)); // on disk; at most a failed attempt at shutdown
        first.shutdown().block(Duration.ofSeconds(30));

        server.resetAll();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        RemoteWriteSink second = start(config(url(), "mix", slowDeadline, Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        second.write(numbered(100, 10)).block(Duration.ofSeconds(30));
        await("all sent", () -> second.metrics().samplesSent.get() == 15);

        List<Set<Boolean>> generations = new ArrayList<>();
        for (LoggedRequest r : requests()) {
            Set<Boolean> g = new HashSet<>();
            WireFormat.decodeCompressed(r.getBody()).forEach(x -> g.add(x.timestampMs() >= 1100));
            generations.add(g);
        }
        // Without the boundary the 5 recovered and the first 5 new samples would fill one 10-sample request.
        // (The first sink's last attempt may land as well: delivery at shutdown is at-least-once.)
        assertThat(generations).isNotEmpty().allMatch(g -> g.size() == 1);
    }

    @Test
    void slowReceiverWithBacklogScalesShardsUpAndKeepsSeriesOrder() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204).withFixedDelay(20)));
        QueueConfig qc = new QueueConfig(100, 1, 4, 10, Duration.ofMillis(20), Duration.ofMillis(5),
                Duration.ofMillis(20), true, Duration.ZERO);
        RemoteWriteSink sink = start(config(url(), "scale", qc, Map.of()), Map.of(),
                RemoteWriteSink.Options.defaults(storage).withShardUpdateInterval(Duration.ofMillis(300)));
        int total = 3000;
        for (int i = 0; i < total; i += 100) {
            sink.write(numbered(i, 100)).block(Duration.ofSeconds(30));
        }
        await("resharded up", () -> sink.metrics().shards.get() > 1);
        await("all delivered", () -> sink.metrics().samplesSent.get() == total);
        Map<String, Long> lastTs = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        for (LoggedRequest r : requests()) {
            for (WireFormat.Received x : WireFormat.decodeCompressed(r.getBody())) {
                Long prev = lastTs.put(x.series(), x.timestampMs());
                assertThat(prev == null || prev < x.timestampMs()).as("order of %s", x.series()).isTrue();
                assertThat(seen.add(x.timestampMs())).isTrue();
            }
        }
        assertThat(seen).hasSize(total);
        assertThat(sink.metrics().desiredShards.get()).isBetween(1L, 4L);
    }

    @Test
    void samplesOlderThanTheAgeLimitAreNotSentAndCounted() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        QueueConfig qc = new QueueConfig(100, 1, 1, 10, Duration.ofMillis(20), Duration.ofMillis(5),
                Duration.ofMillis(20), true, Duration.ofMinutes(5));
        RemoteWriteSink sink = start(config(url(), "age", qc, Map.of()), Map.of(), RemoteWriteSink.Options.defaults(storage));
        long now = System.currentTimeMillis();
        sink.write(batch(now, row(Labels.of("__name__", "old"), 1.0, now - Duration.ofHours(1).toMillis()),
                row(Labels.of("__name__", "fresh"), 2.0, now))).block(Duration.ofSeconds(30));
        await("fresh sent", () -> sink.metrics().samplesSent.get() == 1);
        assertThat(sink.metrics().samplesTooOld.get()).isEqualTo(1);
        assertThat(WireFormat.decodeCompressed(requests().get(0).getBody())).singleElement()
                .satisfies(x -> assertThat(x.get("__name__")).isEqualTo("fresh"));
    }

    private static RemoteWriteConfig withHttp(RemoteWriteConfig c, HttpClientConfig http) {
        return new RemoteWriteConfig(c.url(), c.name(), c.remoteTimeout(), c.headers(), c.writeRelabelConfigs(), http,
                c.queueConfig(), false, false, c.protobufMessage(), c.location());
    }

    @Test
    void basicAuthAndBearerCredentialsFileAreSent() throws Exception {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        HttpClientConfig basic = new HttpClientConfig(new BasicAuth("user", null, Secret.of("pa:ss"), null), null, null,
                TlsConfig.DEFAULT, null, null, false, Map.of(), true, false, Map.of());
        RemoteWriteSink a = start(withHttp(config(url(), "basic", queue(1, 10), Map.of()), basic), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        a.write(numbered(0, 1)).block(Duration.ofSeconds(30));
        await("basic sent", () -> a.metrics().samplesSent.get() == 1);
        assertThat(requests().get(0).getHeader("Authorization")).isEqualTo("Basic "
                + java.util.Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8)));

        Path token = storage.resolve("token");
        Files.writeString(token, "t1\n");
        HttpClientConfig bearer = new HttpClientConfig(null, new Authorization("Bearer", null, token.toString()), null,
                TlsConfig.DEFAULT, null, null, false, Map.of(), true, false, Map.of());
        RemoteWriteSink b = start(withHttp(config(url(), "bearer", queue(1, 10), Map.of()), bearer), Map.of(),
                RemoteWriteSink.Options.defaults(storage));
        b.write(numbered(0, 1)).block(Duration.ofSeconds(30));
        await("bearer sent", () -> b.metrics().samplesSent.get() == 1);
        Files.writeString(token, "t2");
        b.write(numbered(1, 1)).block(Duration.ofSeconds(30));
        await("bearer sent again", () -> b.metrics().samplesSent.get() == 2);
        List<LoggedRequest> reqs = requests();
        assertThat(reqs.get(1).getHeader("Authorization")).isEqualTo("Bearer t1");
        assertThat(reqs.get(2).getHeader("Authorization")).as("file re-read per request").isEqualTo("Bearer t2");
    }

    @Test
    void httpsWithInsecureSkipVerifyDelivers() throws Exception {
        WireMockServer tls = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
        tls.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        tls.start();
        try {
            TlsConfig insecure = new TlsConfig(null, null, null, null, null, null, null, true, null, null);
            HttpClientConfig http = new HttpClientConfig(null, null, null, insecure, null, null, false, Map.of(), true,
                    false, Map.of());
            RemoteWriteSink sink = start(withHttp(config("https://127.0.0.1:" + tls.httpsPort() + PATH, "tls",
                    queue(1, 10), Map.of()), http), Map.of(), RemoteWriteSink.Options.defaults(storage));
            sink.write(numbered(0, 3)).block(Duration.ofSeconds(30));
            await("sent over TLS", () -> sink.metrics().samplesSent.get() == 3);
            assertThat(tls.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
        } finally {
            tls.stop();
        }
    }

    @Test
    void severalEntriesAreIndependentQueues() throws Exception {
        server.stubFor(post(urlEqualTo("/a")).willReturn(aResponse().withStatus(204)));
        server.stubFor(post(urlEqualTo("/b")).willReturn(aResponse().withStatus(503)));
        String base = "http://127.0.0.1:" + server.port();
        List<RemoteWriteSink> all = RemoteWriteSink.startAll(List.of(config(base + "/a", "", queue(1, 10), Map.of()),
                config(base + "/b", "", queue(1, 10), Map.of())), Map.of(), c -> null,
                RemoteWriteSink.Options.defaults(storage));
        sinks.addAll(all);
        assertThat(all.get(0).name()).isNotEqualTo(all.get(1).name()).hasSize(6);
        FanOutSink fan = new FanOutSink(all);
        fan.write(numbered(0, 5)).block(Duration.ofSeconds(30));
        await("a delivered while b is down", () -> all.get(0).metrics().samplesSent.get() == 5);
        assertThat(all.get(1).metrics().samplesSent.get()).isZero();
        assertThat(storage.resolve("remote_write").resolve(all.get(0).name())).isDirectory();
        assertThat(storage.resolve("remote_write").resolve(all.get(1).name())).isDirectory();
    }
}
