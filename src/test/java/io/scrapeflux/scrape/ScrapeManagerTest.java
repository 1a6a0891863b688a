package io.scrapeflux.scrape;

import static io.scrapeflux.scrape.ScrapeTestSupport.find;
import static io.scrapeflux.scrape.ScrapeTestSupport.limits;
import static io.scrapeflux.scrape.ScrapeTestSupport.samples;
import static io.scrapeflux.scrape.ScrapeTestSupport.target;
import static io.scrapeflux.scrape.ScrapeTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import io.scrapeflux.scrape.ScrapeTestSupport.Cfg;
import io.scrapeflux.scrape.ScrapeTestSupport.FakeFetcher;
import io.scrapeflux.scrape.ScrapeTestSupport.Sample;
import io.scrapeflux.target.Target;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Scheduling, reconciliation and per-scrape semantics, in virtual time with an in-memory fetcher. */
class ScrapeManagerTest {

    @org.junit.jupiter.api.BeforeAll
    static void blockHound() {
        ScrapeTestSupport.blockHound();
    }

    private static final long INTERVAL_MS = 10_000;

    private VirtualTimeScheduler vts;
    private FakeFetcher fetcher;
    private ScrapeManager manager;
    private final List<ScrapeBatch> batches = new CopyOnWriteArrayList<>();
    private final AtomicInteger relabelCalls = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vts = VirtualTimeScheduler.create();
        fetcher = new FakeFetcher();
        fetcher.delayScheduler = vts;
        manager = newManager(1024);
        manager.batches().subscribe(batches::add);
    }

    private ScrapeManager newManager(int capacity) {
        return ScrapeManager.builder()
                .scheduler(vts)
                .nanoClock(() -> vts.now(TimeUnit.NANOSECONDS))
                .outletCapacity(capacity)
                .relabelers((rules, scheme) -> {
                    ScrapeManager.RelabelerFactory real =
                            (r, s) -> io.scrapeflux.relabel.RelabelChain.compile(r, s)::apply;
                    var chain = real.compile(rules, scheme);
                    return l -> {
                        relabelCalls.incrementAndGet();
                        return chain.apply(l);
                    };
                })
                .fetchers(cfg -> fetcher)
                .build();
    }

    @AfterEach
    void tearDown() {
        manager.dispose();
        vts.dispose();
    }

    private List<ScrapeBatch> batchesOf(Target t) {
        return batches.stream().filter(b -> b.target() != null && b.target().identity().equals(t.identity())).toList();
    }

    private long firstScrapeMs(Target t) {
        return TimeUnit.NANOSECONDS.toMillis(ScrapeLoop.offsetNanos(t, INTERVAL_MS * 1_000_000, 0, 0));
    }

    @Test
    void scrapesAtTheTargetsPhaseThenEveryInterval() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        long first = firstScrapeMs(t);
        vts.advanceTimeBy(Duration.ofMillis(first - 1));
        assertThat(batches).isEmpty();
        // the phase has nanosecond precision; timestamps are whole milliseconds
        vts.advanceTimeBy(Duration.ofMillis(2 + 3 * INTERVAL_MS));
        assertThat(batchesOf(t)).extracting(ScrapeBatch::scrapeTimestampMs)
                .containsExactly(first, first + INTERVAL_MS, first + 2 * INTERVAL_MS, first + 3 * INTERVAL_MS);
    }

    @Test
    void phaseIsPinnedToAbsoluteTimeSoItSurvivesRestarts() {
        Target t = target("a:9100");
        long interval = INTERVAL_MS * 1_000_000;
        long phase = Math.floorMod(ScrapeLoop.offsetNanos(t, interval, 0, 0), interval);
        for (long now : new long[] {1, 123_456_789, 7 * interval + 5, 99 * interval - 1}) {
            long next = ScrapeLoop.offsetNanos(t, interval, 0, now);
            assertThat(next).isBetween(0L, interval);
            assertThat(Math.floorMod(now + next, interval)).isEqualTo(phase);
        }
        // different targets spread over the interval
        assertThat(ScrapeLoop.offsetNanos(target("b:9100"), interval, 0, 0)).isNotEqualTo(phase);
    }

    @Test
    void successfulScrapeEmitsSamplesWithTargetLabelsAndReportSeries() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "# HELP m help\nm{x=\"1\"} 5\nn 7 1234\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch b = batchesOf(t).get(0);
        long ts = b.scrapeTimestampMs();
        assertThat(samples(b)).contains(
                new Sample("{__name__=\"m\", instance=\"a:9100\", job=\"job\", x=\"1\"}", 5, ts),
                new Sample("{__name__=\"n\", instance=\"a:9100\", job=\"job\"}", 7, 1234),
                new Sample("{__name__=\"up\", instance=\"a:9100\", job=\"job\"}", 1, ts),
                new Sample("{__name__=\"scrape_samples_scraped\", instance=\"a:9100\", job=\"job\"}", 2, ts),
                new Sample("{__name__=\"scrape_samples_post_metric_relabeling\", instance=\"a:9100\", job=\"job\"}", 2, ts),
                new Sample("{__name__=\"scrape_series_added\", instance=\"a:9100\", job=\"job\"}", 2, ts));
        assertThat(find(b, "scrape_duration_seconds")).isNotNull();
        assertThat(find(b, "scrape_timeout_seconds")).isNull();
        assertThat(manager.health(t)).get().extracting(TargetHealth::health).isEqualTo(TargetHealth.Health.UP);
    }

    @Test
    void extraScrapeMetricsAddTimeoutSampleLimitAndBodySize() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        Cfg cfg = new Cfg();
        cfg.extraMetrics = true;
        cfg.limits = limits(0, 50, 0, 0, 0, 0);
        manager.reconcile("job", cfg.build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch b = batchesOf(t).get(0);
        assertThat(value(b, "scrape_timeout_seconds")).isEqualTo(5.0);
        assertThat(value(b, "scrape_sample_limit")).isEqualTo(50.0);
        assertThat(value(b, "scrape_body_size_bytes")).isEqualTo(4.0);
    }

    @Test
    void honorTimestampsFalseUsesTheScrapeTime() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "n 7 1234\n");
        Cfg cfg = new Cfg();
        cfg.honorTimestamps = false;
        manager.reconcile("job", cfg.build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch b = batchesOf(t).get(0);
        assertThat(find(b, "n").timestampMs()).isEqualTo(b.scrapeTimestampMs());
    }

    @Test
    void conflictingLabelsAreExportedUnlessHonored() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m{job=\"mine\",exported_job=\"old\",instance=\"i\"} 1\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        assertThat(find(batchesOf(t).get(0), "m").series()).isEqualTo(
                "{__name__=\"m\", exported_exported_job=\"mine\", exported_instance=\"i\", exported_job=\"old\", "
                        + "instance=\"a:9100\", job=\"job\"}");

        Target h = target("h:9100");
        fetcher.bodies.put(h.scrapeUrl(), "m{job=\"mine\"} 1\n");
        Cfg honor = new Cfg();
        honor.job = "honor";
        honor.honorLabels = true;
        manager.reconcile("honor", honor.build(), List.of(h));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        assertThat(find(batchesOf(h).get(0), "m").series())
                .isEqualTo("{__name__=\"m\", instance=\"h:9100\", job=\"mine\"}");
    }

    @Test
    void vanishedSeriesGetStalenessMarkers() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "a 1\nb 2\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        fetcher.bodies.put(t.scrapeUrl(), "a 1\n");
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch second = batchesOf(t).get(1);
        assertThat(find(second, "b").stale()).isTrue();
        assertThat(find(second, "b").timestampMs()).isEqualTo(second.scrapeTimestampMs());
        assertThat(find(second, "a").value()).isEqualTo(1.0);
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        assertThat(find(batchesOf(t).get(2), "b")).isNull(); // marked once
    }

    @Test
    void seriesWithExplicitTimestampsGoStaleOnlyWhenTracked() {
        Target t = target("a:9100");
        Target tracked = target("track", "b:9100", Duration.ofMillis(INTERVAL_MS), Duration.ofSeconds(5));
        for (Target x : List.of(t, tracked)) {
            fetcher.bodies.put(x.scrapeUrl(), "ts 1 1000\nplain 2\n");
        }
        manager.reconcile("job", new Cfg().build(), List.of(t));
        Cfg track = new Cfg();
        track.job = "track";
        track.trackTimestampsStaleness = true;
        manager.reconcile("track", track.build(), List.of(tracked));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        fetcher.bodies.put(t.scrapeUrl(), "");
        fetcher.bodies.put(tracked.scrapeUrl(), "");
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch untrackedSecond = batchesOf(t).get(1);
        assertThat(find(untrackedSecond, "plain").stale()).isTrue();
        assertThat(find(untrackedSecond, "ts")).isNull();
        ScrapeBatch trackedSecond = batchesOf(tracked).get(1);
        assertThat(find(trackedSecond, "ts").stale()).isTrue();
    }

    @Test
    void failedScrapeMarksEverySeriesStaleAndReportsDown() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "a 1\nb 2\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        fetcher.errors.put(t.scrapeUrl(), new ScrapeFailure("server returned HTTP status 500 Internal Server Error"));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch failed = batchesOf(t).get(1);
        assertThat(find(failed, "a").stale()).isTrue();
        assertThat(find(failed, "b").stale()).isTrue();
        assertThat(value(failed, "up")).isEqualTo(0.0);
        assertThat(value(failed, "scrape_samples_scraped")).isEqualTo(0.0);
        TargetHealth h = manager.health(t).orElseThrow();
        assertThat(h.health()).isEqualTo(TargetHealth.Health.DOWN);
        assertThat(h.lastError()).isEqualTo("server returned HTTP status 500 Internal Server Error");
        assertThat(h.lastScrapeMs()).isEqualTo(failed.scrapeTimestampMs());
    }

    @Test
    void sampleLimitFailsTheScrapeAsPrometheusDoes() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "a 1\nb 2\nc 3\n");
        Cfg cfg = new Cfg();
        cfg.limits = limits(0, 2, 0, 0, 0, 0);
        manager.reconcile("job", cfg.build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        ScrapeBatch b = batchesOf(t).get(0);
        assertThat(value(b, "up")).isEqualTo(0.0);
        assertThat(find(b, "a")).isNull();
        assertThat(value(b, "scrape_samples_scraped")).isEqualTo(3.0);
        assertThat(manager.health(t).orElseThrow().lastError()).isEqualTo("sample limit exceeded");
        assertThat(manager.metrics().exceededSampleLimit()).isEqualTo(1);
    }

    @Test
    void labelLimitsFailTheScrapeWithPrometheusWording() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m{a=\"1\",b=\"2\"} 1\n");
        Cfg cfg = new Cfg();
        cfg.limits = limits(0, 0, 4, 0, 0, 0);
        manager.reconcile("job", cfg.build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        assertThat(manager.health(t).orElseThrow().lastError())
                .isEqualTo("label_limit exceeded (metric: m, number of labels: 5, limit: 4)");

        assertThat(ScrapeProcessor.verifyLabelLimits(Labels.of("__name__", "m", "long", "xxxxx"),
                limits(0, 0, 0, 3, 0, 0)))
                .isEqualTo("label_name_length_limit exceeded (metric: m, label name: __name__, length: 8, limit: 3)");
        assertThat(ScrapeProcessor.verifyLabelLimits(Labels.of("__name__", "m", "long", "xxxxx"),
                limits(0, 0, 0, 0, 4, 0)))
                .isEqualTo("label_value_length_limit exceeded (metric: m, label name: long, value: \"xxxxx\", "
                        + "length: 5, limit: 4)");
    }

    @Test
    void metricRelabelingDropsAndTheCacheSkipsRelabelingInSteadyState() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "keep 1\ndrop_me 2\n");
        Cfg cfg = new Cfg();
        cfg.metricRelabel = List.of(RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), "drop_.*", null, null));
        manager.reconcile("job", cfg.build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(3 * INTERVAL_MS));
        List<ScrapeBatch> bs = batchesOf(t);
        assertThat(bs).hasSize(3);
        for (ScrapeBatch b : bs) {
            assertThat(find(b, "drop_me")).isNull();
            assertThat(value(b, "scrape_samples_scraped")).isEqualTo(2.0);
            assertThat(value(b, "scrape_samples_post_metric_relabeling")).isEqualTo(1.0);
        }
        assertThat(value(bs.get(1), "scrape_series_added")).isEqualTo(0.0);
        assertThat(relabelCalls).hasValue(2); // once per distinct series, not per scrape
        assertThat(bs.get(0).labels(0)).isSameAs(bs.get(2).labels(0));
    }

    @Test
    void churnKeepsUnchangedLoopsStartsNewOnesAndStalesRemovedOnes() {
        Target a = target("a:9100");
        Target b = target("b:9100");
        Target c = target("c:9100");
        for (Target t : List.of(a, b, c)) {
            fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        }
        ScrapeConfig cfg = new Cfg().build();
        manager.reconcile("job", cfg, List.of(a, b));
        vts.advanceTimeBy(Duration.ofMillis(2 * INTERVAL_MS));
        long aScrapes = manager.scrapeCount(a);
        assertThat(aScrapes).isEqualTo(2);

        manager.reconcile("job", cfg, List.of(a, c));
        // no extra scrape of a caused by the reconcile
        vts.advanceTimeBy(Duration.ZERO);
        assertThat(manager.scrapeCount(a)).isEqualTo(2);
        assertThat(fetcher.fetches(a)).isEqualTo(2);
        List<ScrapeBatch> bBatches = batchesOf(b);
        ScrapeBatch removal = bBatches.get(bBatches.size() - 1);
        assertThat(samples(removal)).allMatch(Sample::stale);
        assertThat(find(removal, "m")).isNotNull();
        assertThat(find(removal, "up")).isNotNull();

        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        assertThat(manager.scrapeCount(a)).isEqualTo(3);
        assertThat(batchesOf(a)).extracting(ScrapeBatch::scrapeTimestampMs)
                .containsExactly(firstScrapeMs(a), firstScrapeMs(a) + INTERVAL_MS, firstScrapeMs(a) + 2 * INTERVAL_MS);
        assertThat(manager.scrapeCount(c)).isEqualTo(1);
        assertThat(manager.targets("job").keySet()).containsExactly(a, c);
        assertThat(batchesOf(b)).hasSize(bBatches.size()); // b stays stopped
    }

    @Test
    void changedConfigRestartsLoopsAndStalesSeriesThatVanishWithIt() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "keep 1\ngone 2\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        Cfg changed = new Cfg();
        changed.metricRelabel = List.of(RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), "gone", null, null));
        manager.reconcile("job", changed.build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        List<ScrapeBatch> bs = batchesOf(t);
        assertThat(bs).hasSize(2);
        assertThat(find(bs.get(1), "gone").stale()).isTrue();
        assertThat(find(bs.get(1), "keep").value()).isEqualTo(1.0);
        assertThat(find(bs.get(1), "up").value()).isEqualTo(1.0);
        assertThat(bs.get(1).scrapeTimestampMs()).isEqualTo(bs.get(0).scrapeTimestampMs() + INTERVAL_MS);
    }

    @Test
    void targetLimitFailsEveryTargetOfThePool() {
        Target a = target("a:9100");
        Target b = target("b:9100");
        fetcher.bodies.put(a.scrapeUrl(), "m 1\n");
        fetcher.bodies.put(b.scrapeUrl(), "m 1\n");
        Cfg cfg = new Cfg();
        cfg.limits = limits(0, 0, 0, 0, 0, 1);
        manager.reconcile("job", cfg.build(), List.of(a, b));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        for (Target t : List.of(a, b)) {
            assertThat(manager.health(t).orElseThrow().lastError())
                    .isEqualTo("target_limit exceeded (number of targets: 2, limit: 1)");
            assertThat(value(batchesOf(t).get(0), "up")).isEqualTo(0.0);
            assertThat(fetcher.fetches(t)).isZero();
        }
        manager.reconcile("job", cfg.build(), List.of(a));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        assertThat(manager.health(a).orElseThrow().health()).isEqualTo(TargetHealth.Health.UP);
    }

    @Test
    void timeoutIsATotalDeadline() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        fetcher.delay = Duration.ofSeconds(6); // timeout is 5s
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS + 6000));
        assertThat(manager.health(t).orElseThrow().lastError())
                .isEqualTo("Get \"http://a:9100/metrics\": context deadline exceeded");
        assertThat(value(batchesOf(t).get(0), "up")).isEqualTo(0.0);
    }

    @Test
    void ticksThatFireDuringAScrapeAreCountedAsMissedNotQueued() {
        // a timeout longer than the interval is what lets a scrape outlast its interval
        Target t = target("job", "a:9100", Duration.ofMillis(INTERVAL_MS), Duration.ofMillis(3 * INTERVAL_MS - 1));
        fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        fetcher.delay = Duration.ofMillis(2 * INTERVAL_MS + INTERVAL_MS / 2);
        manager.reconcile("job", new Cfg().build(), List.of(t));
        long first = firstScrapeMs(t);
        vts.advanceTimeBy(Duration.ofMillis(first + 3 * INTERVAL_MS + 1));
        assertThat(manager.metrics().missedTicks()).isEqualTo(2);
        assertThat(fetcher.fetches(t)).isEqualTo(2); // first scrape, then the tick after it finished
        assertThat(manager.scrapeCount(t)).isEqualTo(1);
    }

    @Test
    void withoutDemandDueScrapesAreSkippedAndCounted() {
        manager.dispose();
        manager = newManager(1);
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        StepVerifier.create(manager.batches(), 0)
                .then(() -> {
                    manager.reconcile("job", new Cfg().build(), List.of(t));
                    vts.advanceTimeBy(Duration.ofMillis(4 * INTERVAL_MS));
                })
                .then(() -> {
                    assertThat(fetcher.fetches(t)).isEqualTo(1); // one batch fits the outlet
                    assertThat(manager.metrics().scrapesSkipped()).isEqualTo(3);
                })
                .thenRequest(1)
                .assertNext(b -> assertThat(value(b, "up")).isEqualTo(1.0))
                .then(() -> vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS)))
                .thenRequest(1)
                .assertNext(b -> assertThat(b.scrapeTimestampMs()).isEqualTo(firstScrapeMs(t) + 4 * INTERVAL_MS))
                .then(manager::dispose)
                .thenRequest(1)
                .expectNextCount(1) // staleness markers of the stopped target
                .verifyComplete();
        assertThat(fetcher.fetches(t)).isEqualTo(2);
    }

    @Test
    void disposeStalesEverythingAndCompletes() {
        Target t = target("a:9100");
        fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
        manager.reconcile("job", new Cfg().build(), List.of(t));
        vts.advanceTimeBy(Duration.ofMillis(INTERVAL_MS));
        manager.dispose();
        ScrapeBatch last = batches.get(batches.size() - 1);
        assertThat(samples(last)).hasSize(6).allMatch(Sample::stale);
        assertThat(StaleNaN.isStale(last.value(0))).isTrue();
    }
}
