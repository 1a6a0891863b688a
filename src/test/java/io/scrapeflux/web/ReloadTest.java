package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.Target;
import io.scrapeflux.target.TargetBuilder;
import io.scrapeflux.target.TargetSet;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Hot reload through the {@link Reloader} seam: a valid config is applied without restarting unchanged
 * jobs; an invalid one leaves the old config running and sets the reload metric to 0.
 */
class ReloadTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final List<Disposable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() {
        cleanup.forEach(Disposable::dispose);
    }

    private double gauge(String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name))
                .map(s -> ((GaugeSnapshot) s).getDataPoints().get(0).getValue()).findFirst().orElseThrow();
    }

    @Test
    void trackerReportsSuccessAndFailureAndKeepsTheReason() {
        AtomicReference<Mono<Void>> next = new AtomicReference<>(Mono.empty());
        ReloadTracker tracker = new ReloadTracker(() -> next.get(), registry, CLOCK);
        assertThat(gauge("scrapeflux_config_last_reload_successful")).isEqualTo(1);
        assertThat(gauge("scrapeflux_config_last_reload_success_timestamp_seconds")).isEqualTo(1767323045.0);

        next.set(Mono.fromCallable(() -> {
            return ConfigLoader.parse("scrape_configs:\n  - job_name: x\n    scrape_intervall: 1m\n", "bad.yml");
        }).then());
        assertThatThrownBy(() -> tracker.reload().block()).hasMessageContaining("scrape_intervall");
        assertThat(gauge("scrapeflux_config_last_reload_successful")).isZero();
        assertThat(tracker.lastReloadSuccessful()).isFalse();

        next.set(Mono.empty());
        tracker.reload().block();
        assertThat(gauge("scrapeflux_config_last_reload_successful")).isEqualTo(1);
    }

    /** Run in a child JVM that inherited an ignored SIGHUP, as under {@code nohup}. */
    public static final class SighupProbe {
        public static void main(String[] args) {
            System.out.println("installed=" + SighupReload.install(Mono::empty));
        }
    }

    @Test
    void sighupIgnoredAtStartIsReportedInsteadOfSilentlyDoingNothing() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("/bin/sh", "-c", "trap '' HUP; exec \"$0\" -Xmx64m -cp \"$1\" \"$2\"",
                javaBin, System.getProperty("java.class.path"), SighupProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("installed=false").contains("SIGHUP is ignored by this process")
                .contains("POST /-/reload");
    }

    @Test
    void sighupCallsTheReloader() throws Exception {
        java.util.concurrent.CountDownLatch reloaded = new java.util.concurrent.CountDownLatch(1);
        org.junit.jupiter.api.Assumptions.assumeTrue(SighupReload.install(() -> Mono.fromRunnable(reloaded::countDown)),
                "no SIGHUP on this platform");
        sun.misc.Signal.raise(new sun.misc.Signal("HUP"));
        assertThat(reloaded.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void reloadEndpointReportsTheRejectedConfig() {
        ReloadTracker tracker = new ReloadTracker(() -> Mono.error(new IllegalArgumentException("no such file")),
                registry, CLOCK);
        WebServer server = WebServer.builder(new InetSocketAddress("127.0.0.1", 0), registry)
                .lifecycle(lifecycle(tracker)).build();
        server.start();
        cleanup.add(server::stop);
        TestHttp.Response r = TestHttp.call(HttpClient.create(), HttpMethod.POST,
                "http://127.0.0.1:" + server.port() + "/-/reload", h -> { });
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("failed to reload config: no such file\n");
        assertThat(TestHttp.get("http://127.0.0.1:" + server.port() + "/metrics").body())
                .contains("scrapeflux_config_last_reload_successful 0.0");
    }

    private static WebServer.Lifecycle lifecycle(Reloader reloader) {
        return new WebServer.Lifecycle() {
            @Override
            public Mono<Void> reload() {
                return reloader.reload();
            }

            @Override
            public void quit() {
            }
        };
    }

    /** The agent's part in miniature: load the file, build static targets, reconcile the scrape manager. */
    private static final class MiniAgent implements Reloader {
        final Path file;
        final ScrapeManager scrapes;
        final AtomicReference<PrometheusConfig> config = new AtomicReference<>();
        final Map<String, TargetSet> targetSets = new ConcurrentHashMap<>();

        MiniAgent(Path file, ScrapeManager scrapes) throws ConfigException {
            this.file = file;
            this.scrapes = scrapes;
            apply(ConfigLoader.load(file));
        }

        @Override
        public Mono<Void> reload() {
            return Mono.fromCallable(() -> {
                apply(ConfigLoader.load(file));
                return true;
            }).then();
        }

        private void apply(PrometheusConfig cfg) {
            for (ScrapeConfig job : cfg.scrapeConfigs()) {
                List<TargetGroup> groups = new ArrayList<>();
                for (var sd : job.sdConfigs()) {
                    StaticConfig s = (StaticConfig) sd;
                    groups.add(new TargetGroup("0", s.targets().stream().map(a -> Labels.of("__address__", a)).toList(),
                            Labels.fromMap(s.labels())));
                }
                TargetSet set = new TargetBuilder(job).targetSet(groups);
                targetSets.put(job.jobName(), set);
                scrapes.reconcile(job.jobName(), job, set.active());
            }
            config.set(cfg);
        }
    }

    private static String job(String name, int port) {
        return "  - job_name: " + name + "\n    scrape_interval: 1h\n    scrape_timeout: 1h\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n";
    }

    @Test
    void validReloadAddsAJobWithoutRestartingTheUnchangedOne_invalidKeepsTheOldConfig() throws Exception {
        DisposableServer target = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/metrics", (req, res) -> res.header("Content-Type", "text/plain; version=0.0.4")
                        .sendString(Mono.just("up_test 1\n"))))
                .bindNow();
        cleanup.add(target);
        int port = target.port();
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScrapeManager scrapes = ScrapeManager.builder().scheduler(time)
                .nanoClock(() -> time.now(TimeUnit.NANOSECONDS)).build();
        cleanup.add(scrapes);
        cleanup.add(scrapes.batches().subscribe());

        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "scrape_configs:\n" + job("a", port));
        MiniAgent agent = new MiniAgent(file, scrapes);
        ReloadTracker tracker = new ReloadTracker(agent, registry, CLOCK);
        PipelineWebState state = new PipelineWebState(scrapes, () -> agent.targetSets, agent.config::get, Map.of(),
                BuildInfo.current(), () -> true);

        // the first scrape of job a starts within one interval; its timeout (one interval later) is not reached
        time.advanceTimeBy(Duration.ofHours(1));
        TargetHealth before = awaitHealth(scrapes, "a");
        assertThat(before.health()).as(before.lastError()).isEqualTo(TargetHealth.Health.UP);

        Files.writeString(file, "scrape_configs:\n" + job("a", port) + job("b", port));
        tracker.reload().block(Duration.ofSeconds(30));
        assertThat(gauge("scrapeflux_config_last_reload_successful")).isEqualTo(1);
        assertThat(scrapes.pools()).containsExactly("a", "b");
        // no virtual time passed: a restarted loop would be back to "unknown"; the kept one still shows its scrape
        assertThat(only(scrapes, "a")).isEqualTo(before);
        assertThat(only(scrapes, "b").health()).isEqualTo(TargetHealth.Health.UNKNOWN);
        assertThat(state.targets().scrapePools()).containsExactly("a", "b");

        Files.writeString(file, "scrape_configs:\n  - job_name: c\n    scrape_interval: not-a-duration\n");
        assertThatThrownBy(() -> tracker.reload().block(Duration.ofSeconds(30)))
                .hasCauseInstanceOf(ConfigException.class).hasMessageContaining("not a valid duration");
        assertThat(gauge("scrapeflux_config_last_reload_successful")).isZero();
        assertThat(scrapes.pools()).containsExactly("a", "b");
        assertThat(only(scrapes, "a")).isEqualTo(before);
        assertThat(state.targets().scrapePools()).containsExactly("a", "b");
        assertThat(state.configYaml()).contains("job_name: b").doesNotContain("job_name: c");
    }

    private static TargetHealth only(ScrapeManager scrapes, String pool) {
        Map<Target, TargetHealth> targets = scrapes.targets(pool);
        assertThat(targets).hasSize(1);
        return targets.values().iterator().next();
    }

    /** Waits (bounded) for the first scrape over loopback to finish; no timing assumption beyond the bound. */
    private static TargetHealth awaitHealth(ScrapeManager scrapes, String pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            TargetHealth h = only(scrapes, pool);
            if (h.health() != TargetHealth.Health.UNKNOWN) {
                return h;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("target of " + pool + " was never scraped");
    }
}
