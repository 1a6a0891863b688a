package io.scrapeflux.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.target.TargetSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The seed's kind of agent config, end to end: a static job and a file_sd job scraped from local servers. */
class PipelineEndToEndTest {

    private DisposableServer nodeA;
    private DisposableServer nodeB;

    @TempDir
    Path dir;

    private static DisposableServer serve(String body) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/metrics", (req, res) -> res.header("Content-Type", "text/plain; version=0.0.4")
                        .sendString(Mono.just(body))))
                .bindNow();
    }

    @BeforeEach
    void servers() {
        nodeA = serve("# TYPE requests_total counter\nrequests_total{path=\"/\"} 7\nrequests_total{path=\"/x\"} 3\n");
        nodeB = serve("temperature_celsius 21.5\n");
    }

    @AfterEach
    void stop() {
        nodeA.disposeNow();
        nodeB.disposeNow();
    }

    @Test
    void staticAndFileSdJobsAreScrapedAndSamplesArriveThroughTheFlux() throws Exception {
        Path targets = dir.resolve("targets.json");
        Files.writeString(targets, "[{\"targets\": [\"127.0.0.1:" + nodeB.port() + "\"], \"labels\": {\"room\": \"lab\"}}]");
        PrometheusConfig cfg = ConfigLoader.parse("""
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                scrape_configs:
                  - job_name: static
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {env: test}
                  - job_name: files
                    file_sd_configs:
                      - files: ['%s']
                    relabel_configs:
                      - source_labels: [room]
                        regex: lab
                        action: keep
                """.formatted(nodeA.port(), targets), "e2e.yml");

        Map<String, Map<Labels, Double>> lastByJob = new ConcurrentHashMap<>();
        try (Pipeline sf = Pipeline.fromConfig(cfg)) {
            Map<String, TargetSet> sets = new HashMap<>();
            sf.targets().subscribe(m -> { synchronized (sets) { sets.clear(); sets.putAll(m); } });
            sf.scrapes().subscribe(batch -> record(lastByJob, batch));
            sf.start();
            sf.ready().block(Duration.ofSeconds(30));

            await(() -> lastByJob.containsKey("static") && lastByJob.containsKey("files"));

            Map<Labels, Double> st = lastByJob.get("static");
            String instA = "127.0.0.1:" + nodeA.port();
            assertThat(st).containsEntry(Labels.of("__name__", "requests_total", "path", "/", "env", "test",
                    "instance", instA, "job", "static"), 7.0);
            assertThat(st).containsEntry(Labels.of("__name__", "up", "env", "test", "instance", instA, "job", "static"), 1.0);
            Map<Labels, Double> fs = lastByJob.get("files");
            assertThat(fs).containsEntry(Labels.of("__name__", "temperature_celsius", "room", "lab",
                    "instance", "127.0.0.1:" + nodeB.port(), "job", "files"), 21.5);
            synchronized (sets) {
                assertThat(sets.get("files").active()).hasSize(1);
                assertThat(sets.get("static").active()).hasSize(1);
            }
        }
    }

    private static void record(Map<String, Map<Labels, Double>> sink, ScrapeBatch batch) {
        Map<Labels, Double> m = new HashMap<>();
        boolean up = false;
        for (int i = 0; i < batch.size(); i++) {
            m.put(batch.labels(i), batch.value(i));
            up |= batch.labels(i).get("__name__").equals("up") && batch.value(i) == 1.0;
        }
        if (up) { // a loaded machine may time out a first scrape; keep the first successful one
            sink.putIfAbsent(batch.target().scrapePool(), m);
        }
    }

    private static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60s");
            }
            Thread.sleep(50);
        }
    }
}
