package io.scrapeflux.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The library as a reactive application uses it: only {@code io.scrapeflux.api}, Reactor and the JDK.
 * Timers run on a virtual-time scheduler (scrape ticks, discovery coalescing); HTTP to the in-test target
 * is real, so each step waits for the scrape it started to arrive.
 */
class ScrapefluxPublicApiTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    /** up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added. */
    private static final int REPORT_SERIES = 5;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @RegisterExtension
    final TargetServer server = new TargetServer();

    @TempDir
    Path dir;

    @AfterEach
    void stopClock() {
        time.dispose();
    }

    /** A registry-like discoverer: one group with the test server, then nothing changes. */
    private Flux<List<TargetGroup>> registry() {
        return Flux.just(List.of(TargetGroup.of("registry/app", Map.of("team", "payments"), server.address())))
                .concatWith(Flux.never());
    }

    private Scrapeflux.Builder appPipeline() {
        return Scrapeflux.builder()
                // timeout = interval: a timeout falls in the interval after its tick's, when the scrape is long done
                .job("app", JobSettings.defaults().withInterval(INTERVAL).withTimeout(INTERVAL))
                .discoverer("app", registry())
                .scheduler(time);
    }

    /** Lets discovery's coalescing delay pass: the target is known and its loop scheduled. */
    private void discover() {
        time.advanceTimeBy(Duration.ofMillis(50));
    }

    /**
     * One interval: exactly one tick of the target's loop falls in it, and no timeout of that tick's scrape
     * (timeouts equal the interval). Callers wait for the scrape before the next step.
     */
    private void tick() {
        time.advanceTimeBy(INTERVAL);
    }

    /**
     * Advances at least a second, to half an interval after one of the target's ticks, and waits for the
     * scrapes of the ticks passed. Afterwards a {@link #tick()} holds its tick 5 s in and a 1 s step holds
     * none, so no step can leave real HTTP in flight while a later step fires that scrape's timeout.
     *
     * @param firstTickMs the first scrape's timestamp: ticks fall within the millisecond at
     *                    {@code firstTickMs + k × INTERVAL}, never on a half-interval millisecond
     */
    private void toMidInterval(long firstTickMs, IntSupplier scrapesSeen) {
        long intervalMs = INTERVAL.toMillis();
        long earliest = time.now(TimeUnit.MILLISECONDS) + 1000;
        long ticksPassed = Math.max(0, Math.floorDiv(earliest - firstTickMs - intervalMs / 2 + intervalMs - 1, intervalMs));
        long target = firstTickMs + intervalMs / 2 + ticksPassed * intervalMs;
        time.advanceTimeBy(Duration.ofMillis(target - time.now(TimeUnit.MILLISECONDS)));
        Await.until(() -> scrapesSeen.getAsInt() == 1 + ticksPassed, "scrapes of the ticks passed");
    }

    /** Samples per second of one job over the scrapes seen so far, as a dashboard would compute it. */
    record JobRate(String job, int scrapes, long firstMs, long lastMs, long samplesAfterFirst) {

        static JobRate start(String job) {
            return new JobRate(job, 0, 0, 0, 0);
        }

        JobRate add(ScrapeBatch b) {
            return scrapes == 0 ? new JobRate(job, 1, b.timestampMs(), b.timestampMs(), 0)
                    : new JobRate(job, scrapes + 1, firstMs, b.timestampMs(), samplesAfterFirst + b.size());
        }

        double samplesPerSecond() {
            return lastMs == firstMs ? 0 : samplesAfterFirst * 1000.0 / (lastMs - firstMs);
        }
    }

    @Test
    void perJobRateFromScrapesAndTheTargetIsUp() {
        try (Scrapeflux sf = appPipeline().build()) {
            Flux<JobRate> rates = sf.scrapes()
                    .groupBy(ScrapeBatch::job)
                    .flatMap(job -> job.scan(JobRate.start(job.key()), JobRate::add).skip(1));
            double expected = (3 + REPORT_SERIES) / (double) INTERVAL.toSeconds();

            StepVerifier.create(rates)
                    .then(sf::start)
                    .then(this::discover)
                    .then(this::tick)
                    .assertNext(r -> assertThat(r.scrapes()).isEqualTo(1))
                    .then(() -> {
                        Map<String, JobTargets> jobs = sf.targets().blockFirst(Duration.ofSeconds(30));
                        assertThat(jobs).containsOnlyKeys("app");
                        ScrapeTarget t = jobs.get("app").active().get(0);
                        assertThat(t.health()).isEqualTo(ScrapeTarget.Health.UP);
                        assertThat(t.lastError()).isEmpty();
                        assertThat(t.labels()).containsEntry("job", "app").containsEntry("team", "payments")
                                .containsEntry("instance", server.address());
                        assertThat(t.discoveredLabels()).containsEntry("__address__", server.address());
                        assertThat(t.scrapeUrl()).isEqualTo("http://" + server.address() + "/metrics");
                    })
                    .then(this::tick)
                    .assertNext(r -> {
                        assertThat(r.job()).isEqualTo("app");
                        assertThat(r.scrapes()).isEqualTo(2);
                        assertThat(r.samplesPerSecond()).isEqualTo(expected);
                    })
                    .then(this::tick)
                    .assertNext(r -> assertThat(r.samplesPerSecond()).isEqualTo(expected))
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            assertThat(sf.stats().scrapes()).isEqualTo(3);
            assertThat(sf.stats().skippedScrapes()).isZero();
            assertThat(sf.stats().missedTicks()).isZero();
        }
    }

    @Test
    void targetsFollowTheTargetsHealth() {
        try (Scrapeflux sf = appPipeline().targetRefresh(Duration.ofSeconds(1)).build()) {
            List<ScrapeTarget.Health> seen = new CopyOnWriteArrayList<>();
            List<String> errors = new CopyOnWriteArrayList<>();
            sf.targets().filter(jobs -> jobs.containsKey("app")).map(jobs -> jobs.get("app").active().get(0))
                    .subscribe(t -> {
                        seen.add(t.health());
                        errors.add(t.lastError());
                    });
            List<Long> scrapedAtMs = new CopyOnWriteArrayList<>();
            sf.scrapes().subscribe(b -> scrapedAtMs.add(b.timestampMs()));
            sf.start();
            discover();
            tick();
            Await.until(() -> scrapedAtMs.size() == 1, "first scrape");
            toMidInterval(scrapedAtMs.get(0), scrapedAtMs::size); // refreshes see the new health

            server.respondWith(503);
            tick();
            Await.until(() -> sf.stats().failures() == 1, "failed scrape");
            time.advanceTimeBy(Duration.ofSeconds(1)); // a refresh; the next tick is 4 s away

            assertThat(seen).containsSubsequence(ScrapeTarget.Health.UP, ScrapeTarget.Health.DOWN);
            assertThat(seen).doesNotHaveDuplicates(); // one emission per change, not per refresh
            assertThat(errors.get(errors.size() - 1)).isEqualTo("server returned HTTP status 503 Service Unavailable");
        }
    }

    @Test
    void slowSubscriberCostsSkippedCountedScrapesNeverMemory() {
        try (Scrapeflux sf = appPipeline().maxBufferedScrapes(2).build()) {
            List<ScrapeBatch> received = new CopyOnWriteArrayList<>();
            StepVerifier.create(sf.scrapes(), 1)
                    .then(sf::start)
                    .then(this::discover)
                    .then(this::tick)
                    .consumeNextWith(received::add)
                    .then(() -> {
                        // No more demand: two finished scrapes wait, every later tick is skipped before any I/O.
                        for (int i = 2; i <= 10; i++) {
                            tick();
                            int ticks = i;
                            Await.until(() -> sf.stats().scrapes() + sf.stats().skippedScrapes() == ticks, "tick " + i);
                        }
                        assertThat(sf.stats().scrapes()).isEqualTo(3);
                        assertThat(sf.stats().skippedScrapes()).isEqualTo(7);
                        assertThat(server.requests()).isEqualTo(3);
                    })
                    .thenRequest(2)
                    .expectNextCount(2)
                    .then(() -> {
                        tick(); // room again: scraping resumes
                        Await.until(() -> sf.stats().scrapes() == 4, "scrape after demand came back");
                    })
                    .thenRequest(1)
                    .assertNext(b -> assertThat(b.size()).isEqualTo(3 + REPORT_SERIES))
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            assertThat(sf.stats().skippedScrapes()).isEqualTo(7);
        }
    }

    @Test
    void cancellingScrapesStopsEveryLoopAndDiscovererAndClosesTheConnections() {
        AtomicBoolean discovererCancelled = new AtomicBoolean();
        Scrapeflux sf = appPipeline()
                .job("watched", JobSettings.defaults())
                .discoverer("watched", Flux.<List<TargetGroup>>never().doOnCancel(() -> discovererCancelled.set(true)))
                .build();
        List<ScrapeBatch> received = new CopyOnWriteArrayList<>();
        Disposable subscription = sf.scrapes().subscribe(received::add);
        sf.start();
        discover();
        tick();
        Await.until(() -> received.size() == 1, "first scrape");
        Await.until(() -> server.openConnections() == 1, "keep-alive connection");

        subscription.dispose();

        Await.until(sf::isDisposed, "disposal after cancel");
        assertThat(discovererCancelled).isTrue();
        Await.until(() -> server.openConnections() == 0, "connections closed");
        for (int i = 0; i < 5; i++) {
            tick();
        }
        assertThat(server.requests()).isEqualTo(1);
        assertThat(sf.stats().scrapes()).isEqualTo(1);
        StepVerifier.create(sf.targets()).thenConsumeWhile(m -> true).expectComplete().verify(Duration.ofSeconds(30));
    }

    @Test
    void disposeEndsScrapesWithStalenessMarkersThenCompletes() {
        Scrapeflux sf = appPipeline().build();
        StepVerifier.create(sf.scrapes())
                .then(sf::start)
                .then(this::discover)
                .then(this::tick)
                .assertNext(b -> assertThat(b.isStale(0)).isFalse())
                .then(sf::dispose)
                .assertNext(b -> {
                    // every series of the target goes stale, report series included
                    assertThat(b.size()).isEqualTo(3 + REPORT_SERIES);
                    for (int i = 0; i < b.size(); i++) {
                        assertThat(b.isStale(i)).as(b.name(i)).isTrue();
                    }
                })
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        Await.until(() -> server.openConnections() == 0, "connections closed");
    }

    @Test
    void invalidConfigFileIsAnErrorSignalNotAThrow() throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, """
                scrape_configs:
                  - job_name: app
                    scrape_interval: 5s
                    scrape_timeout: 10s
                    static_configs: [{targets: ['%s']}]
                """.formatted(server.address()));

        Scrapeflux sf = Scrapeflux.fromConfig(file).start();

        StepVerifier.create(sf.scrapes())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidConfigException.class)
                        .hasMessageContaining("prometheus.yml:4")
                        .hasMessageContaining("scrape timeout greater than scrape interval"))
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(sf.targets()).expectError(InvalidConfigException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(sf.ready()).expectError(InvalidConfigException.class).verify(Duration.ofSeconds(5));
        assertThat(server.requests()).isZero();
    }

    @Test
    void invalidJobSettingsAndUnknownDiscovererJobAreErrorSignals() {
        Scrapeflux badJob = Scrapeflux.builder()
                .job("app", JobSettings.defaults().withInterval(Duration.ofSeconds(1)).withTimeout(Duration.ofSeconds(2)))
                .build();
        StepVerifier.create(badJob.scrapes())
                .expectErrorSatisfies(e -> assertThat(((InvalidConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).startsWith("job.app:").contains("scrape timeout")))
                .verify(Duration.ofSeconds(5));

        Scrapeflux orphan = Scrapeflux.builder().discoverer("nope", registry()).build();
        StepVerifier.create(orphan.targets())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidConfigException.class)
                        .hasMessageContaining("\"nope\""))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void failingDiscovererAndBadTargetsShowInTargetsWhileTheOthersKeepScraping() {
        Flux<List<TargetGroup>> broken = Flux.error(new IllegalStateException("registry unreachable"));
        Flux<List<TargetGroup>> noAddress = Flux.just(List.of(new TargetGroup("sloppy", List.of(Map.of("host", "x")),
                Map.of()))).concatWith(Flux.never());
        try (Scrapeflux sf = appPipeline()
                .job("broken", JobSettings.defaults().withInterval(INTERVAL).withTimeout(INTERVAL))
                .discoverer("broken", broken)
                .discoverer("broken", noAddress)
                .build()) {
            List<ScrapeBatch> received = new CopyOnWriteArrayList<>();
            sf.scrapes().subscribe(received::add);
            sf.start();
            discover();
            tick();
            Await.until(() -> received.size() == 1, "app scraped");

            Map<String, JobTargets> jobs = sf.currentTargets();
            assertThat(jobs.get("broken").active()).isEmpty();
            assertThat(jobs.get("broken").discoveryErrors()).singleElement().asString()
                    .startsWith("custom/").endsWith(": registry unreachable");
            assertThat(jobs.get("broken").targetErrors()).singleElement().asString()
                    .isEqualTo("instance 0 in group sloppy: no address");
            assertThat(jobs.get("app").discoveryErrors()).isEmpty();
            assertThat(jobs.get("app").active()).singleElement()
                    .satisfies(t -> assertThat(t.health()).isEqualTo(ScrapeTarget.Health.UP));
            StepVerifier.create(sf.ready()).expectComplete().verify(Duration.ofSeconds(5));
        }
    }

    @Test
    void invalidReloadIsAnErrorSignalAndKeepsTheConfigInForce() throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "scrape_configs:\n  - job_name: files\n    static_configs: [{targets: ['"
                + server.address() + "']}]\n");
        try (Scrapeflux sf = Scrapeflux.builder().config(file).job("app", JobSettings.defaults())
                .discoverer("app", registry()).scheduler(time).build()) {
            sf.scrapes().subscribe();
            sf.start();
            discover();
            assertThat(sf.currentTargets()).containsOnlyKeys("app", "files");

            Files.writeString(file, "scrape_configs:\n  - job_name: files\n    scrape_interval: nope\n");
            StepVerifier.create(sf.reload(file))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidConfigException.class)
                            .hasMessageContaining("prometheus.yml:3"))
                    .verify(Duration.ofSeconds(10));
            assertThat(sf.currentTargets()).containsOnlyKeys("app", "files");

            Files.writeString(file, "scrape_configs: []\n");
            StepVerifier.create(sf.reload(file)).expectComplete().verify(Duration.ofSeconds(10));
            discover();
            assertThat(sf.currentTargets()).containsOnlyKeys("app");
        }
    }

    @Test
    void scrapesHasOneSubscriberASecondGetsAnErrorSignal() {
        try (Scrapeflux sf = appPipeline().build()) {
            sf.scrapes().subscribe();
            StepVerifier.create(sf.scrapes()).expectError(IllegalStateException.class).verify(Duration.ofSeconds(5));
            assertThat(sf.isDisposed()).isFalse();
        }
    }
}
