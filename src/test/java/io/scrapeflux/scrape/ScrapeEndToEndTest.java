package io.scrapeflux.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.SdConfig;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.DiscoveryManager;
import io.scrapeflux.discovery.StaticDiscoverer;
import io.scrapeflux.discovery.file.FileDiscoverer;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeTestSupport.Cfg;
import io.scrapeflux.target.Target;
import io.scrapeflux.target.TargetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The whole path with real pieces: config file → discovery (static and file_sd) → target building →
 * scrape over HTTP from local servers → samples on the public flux. Asserts on events, not durations.
 */
class ScrapeEndToEndTest {

    private DisposableServer appServer;
    private DisposableServer nodeServer;
    private DisposableServer slowServer;
    private ScrapeManager scrapes;
    private DiscoveryManager discovery;
    private Disposable wiring;

    @TempDir
    Path dir;

    @BeforeAll
    static void blockHound() {
        ScrapeTestSupport.blockHound();
    }

    @BeforeEach
    void startServers() {
        appServer = serve("app_requests_total{path=\"/\"} 42\n");
        nodeServer = serve("node_load1 0.5\n");
        slowServer = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("Content-Type", "text/plain")
                        .sendString(Mono.just("late 1\n").delayElement(Duration.ofSeconds(20))))
                .bindNow();
        scrapes = ScrapeManager.builder().build();
    }

    private static DisposableServer serve(String body) {
        return HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("Content-Type", "text/plain; version=0.0.4").sendString(Mono.just(body)))
                .bindNow();
    }

    @AfterEach
    void stop() {
        if (wiring != null) {
            wiring.dispose();
        }
        if (discovery != null) {
            discovery.dispose();
        }
        scrapes.dispose();
        appServer.disposeNow();
        nodeServer.disposeNow();
        slowServer.disposeNow();
    }

    @Test
    void staticAndFileSdJobsAreScrapedThroughThePublicFlux() throws Exception {
        Files.writeString(dir.resolve("nodes.json"),
                "[{\"targets\": [\"127.0.0.1:" + nodeServer.port() + "\"], \"labels\": {\"env\": \"test\"}}]");
        Path yml = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: app
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: node
                    file_sd_configs:
                      - files: ['%s']
                """.formatted(appServer.port(), dir.resolve("nodes.json")));
        PrometheusConfig config = ConfigLoader.load(yml);
        discovery = new DiscoveryManager(new DiscovererRegistry(
                List.of(new StaticDiscoverer.Factory(), new FileDiscoverer.Factory())));
        Map<String, List<SdConfig>> sd = new LinkedHashMap<>();
        for (ScrapeConfig job : config.scrapeConfigs()) {
            sd.put(job.jobName(), job.sdConfigs());
        }
        wiring = discovery.updates().subscribe(update -> {
            ScrapeConfig job = config.job(update.job());
            List<Target> active = new TargetBuilder(job).targetSet(new ArrayList<>(update.groups().values())).active();
            scrapes.reconcile(update.job(), job, active);
        });
        discovery.apply(sd);

        Map<String, Labels> firstSample = new LinkedHashMap<>();
        scrapes.batches()
                .filter(b -> ScrapeTestSupport.value(b, "up") == 1.0)
                .doOnNext(b -> firstSample.putIfAbsent(b.target().scrapePool(), b.labels(0)))
                .map(b -> b.target().scrapePool())
                .distinct()
                .take(2)
                .collectList()
                .block(Duration.ofSeconds(60));
        assertThat(firstSample.get("app")).isEqualTo(Labels.of("__name__", "app_requests_total", "path", "/",
                "job", "app", "instance", "127.0.0.1:" + appServer.port()));
        assertThat(firstSample.get("node")).isEqualTo(Labels.of("__name__", "node_load1", "env", "test",
                "job", "node", "instance", "127.0.0.1:" + nodeServer.port()));
        assertThat(scrapes.pools()).isEqualTo(Set.of("app", "node"));
    }

    @Test
    void aSlowBodyHitsTheScrapeTimeout() {
        String hostPort = "127.0.0.1:" + slowServer.port();
        Target t = new Target("slow", Labels.of("job", "slow", "instance", hostPort), Labels.EMPTY,
                "http://" + hostPort + "/metrics", Duration.ofSeconds(1), Duration.ofMillis(300));
        Cfg cfg = new Cfg();
        cfg.job = "slow";
        scrapes.reconcile("slow", cfg.build(), List.of(t));
        ScrapeBatch b = scrapes.batches().next().block(Duration.ofSeconds(60));
        assertThat(ScrapeTestSupport.value(b, "up")).isEqualTo(0.0);
        assertThat(scrapes.health(t).orElseThrow().lastError())
                .isEqualTo("Get \"http://" + hostPort + "/metrics\": context deadline exceeded");
    }
}
