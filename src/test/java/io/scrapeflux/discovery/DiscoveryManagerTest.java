package io.scrapeflux.discovery;

import static io.scrapeflux.discovery.FakeDiscoverers.config;
import static io.scrapeflux.discovery.FakeDiscoverers.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.FileSdConfig;
import io.scrapeflux.config.SdConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

class DiscoveryManagerTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final FakeDiscoverers fakes = new FakeDiscoverers();
    private DiscoveryManager manager;
    private final List<DiscoveryUpdate> received = new CopyOnWriteArrayList<>();
    private final List<Long> receivedAt = new CopyOnWriteArrayList<>();
    private Disposable subscription;

    @BeforeEach
    void setUp() {
        manager = new DiscoveryManager(new DiscovererRegistry(List.of(fakes)), Backoff.COALESCING,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), time);
        subscription = manager.updates().subscribe(u -> {
            received.add(u);
            receivedAt.add(time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
        });
    }

    @AfterEach
    void tearDown() {
        subscription.dispose();
        manager.dispose();
        time.dispose();
    }

    private void advance(long millis) {
        time.advanceTimeBy(Duration.ofMillis(millis));
    }

    private static Map<String, List<SdConfig>> jobs(Object... jobAndConfigs) {
        Map<String, List<SdConfig>> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < jobAndConfigs.length; i += 2) {
            out.put((String) jobAndConfigs[i], toList(jobAndConfigs[i + 1]));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<SdConfig> toList(Object o) {
        return (List<SdConfig>) o;
    }

    @Test
    void firstStateIsEmittedOnceAfterTheInitialInterval() {
        manager.apply(jobs("a", List.of(config("p1"))));
        fakes.get("p1").send(group("s1", "h1:80"), group("s2", "h2:80"));
        advance(49);
        assertThat(received).isEmpty();
        advance(1);
        assertThat(received).hasSize(1);
        DiscoveryUpdate u = received.get(0);
        assertThat(u.job()).isEqualTo("a");
        assertThat(u.full()).isTrue();
        assertThat(u.groups()).containsOnlyKeys(new SourceKey("static/0", "s1"), new SourceKey("static/0", "s2"));
        assertThat(u.changed()).isEqualTo(u.groups().keySet());
        assertThat(u.targetCount()).isEqualTo(2);
    }

    @Test
    void burstIsFoldedIntoOneEmissionNamingEveryChangedSource() {
        manager.apply(jobs("a", List.of(config("p1"))));
        fakes.get("p1").send(group("s0", "h0:80"));
        advance(1000);
        received.clear();

        for (int i = 1; i <= 100; i++) {
            fakes.get("p1").send(group("s" + i, "h" + i + ":80"));
        }
        fakes.get("p1").send(TargetGroup.removed("s0"));
        advance(1000);

        assertThat(received).hasSize(1);
        DiscoveryUpdate u = received.get(0);
        assertThat(u.full()).isFalse();
        assertThat(u.changed()).hasSize(101).contains(new SourceKey("static/0", "s0"));
        assertThat(u.isRemoved(new SourceKey("static/0", "s0"))).isTrue();
        assertThat(u.groups()).hasSize(100);
        assertThat(u.changedGroups()).hasSize(100);
    }

    @Test
    void sustainedChurnBacksOffToFiveSecondsAndQuietResets() {
        manager.apply(jobs("a", List.of(config("p1"))));
        FakeDiscoverers.Fake p1 = fakes.get("p1");
        p1.send();
        advance(50);
        received.clear();
        receivedAt.clear();

        // A change every 10 ms for 60 s.
        for (int i = 0; i < 6000; i++) {
            p1.send(group("s" + (i % 50), "h" + i + ":80"));
            advance(10);
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < receivedAt.size(); i++) {
            gaps.add(receivedAt.get(i) - receivedAt.get(i - 1));
        }
        // The churn starts right after an emission at 50 ms, so the interval already doubles for the first one.
        assertThat(receivedAt.get(0)).isEqualTo(150L);
        assertThat(gaps.subList(0, 6)).containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L);
        assertThat(gaps.subList(6, gaps.size())).hasSizeGreaterThan(5).allMatch(g -> g == 5000L);

        // Quiet for longer than the interval: the next change is fast again.
        advance(10_000);
        received.clear();
        p1.send(group("fresh", "x:1"));
        advance(50);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).changed()).containsExactly(new SourceKey("static/0", "fresh"));
    }

    @Test
    void identicalConfigsInTwoJobsShareOneProvider() {
        manager.apply(jobs("a", List.of(config("p1")), "b", List.of(config("p1"), config("p2"))));
        assertThat(fakes.created).hasValue(2);
        assertThat(fakes.get("p1").subscriptions).isEqualTo(1);
        fakes.get("p1").send(group("s", "h:1"));
        fakes.get("p2").send(group("s", "k:1"));
        advance(50);
        assertThat(received).extracting(DiscoveryUpdate::job).containsExactlyInAnyOrder("a", "b");
        DiscoveryUpdate b = received.stream().filter(u -> u.job().equals("b")).findFirst().orElseThrow();
        assertThat(b.groups()).containsOnlyKeys(new SourceKey("static/0", "s"), new SourceKey("static/1", "s"));
        assertThat(manager.statuses()).extracting(ProviderStatus::jobs)
                .containsExactly(Set.of("a", "b"), Set.of("b"));
    }

    @Test
    void reloadKeepsUnchangedProvidersRunningAndRestartsChangedOnes() {
        manager.apply(jobs("a", List.of(config("p1")), "b", List.of(config("p2"))));
        FakeDiscoverers.Fake p1 = fakes.get("p1");
        FakeDiscoverers.Fake p2 = fakes.get("p2");
        p1.send(group("s", "h:1"));
        p2.send(group("s", "k:1"));
        advance(1000);
        received.clear();

        manager.apply(jobs("a", List.of(config("p1")), "c", List.of(config("p3"))));
        assertThat(p1.subscriptions).isEqualTo(1);
        assertThat(p1.cancellations).isZero();
        assertThat(p2.cancellations).isEqualTo(1);
        fakes.get("p3").send(group("s", "n:1"));
        advance(1000);

        assertThat(received).extracting(DiscoveryUpdate::job).containsExactlyInAnyOrder("b", "c");
        DiscoveryUpdate b = received.stream().filter(u -> u.job().equals("b")).findFirst().orElseThrow();
        assertThat(b.full()).isTrue();
        assertThat(b.groups()).isEmpty();
        assertThat(manager.statuses()).extracting(ProviderStatus::provider).containsExactly("static/0", "static/2");
    }

    @Test
    void failingProviderKeepsItsGroupsRetriesWithBackoffAndLeavesOthersAlone() {
        manager.apply(jobs("a", List.of(config("p1"), config("p2"))));
        FakeDiscoverers.Fake p1 = fakes.get("p1");
        FakeDiscoverers.Fake p2 = fakes.get("p2");
        p1.send(group("s1", "h:1"), group("s2", "h:2"));
        p2.send(group("s", "k:1"));
        advance(1000);
        received.clear();

        p1.fail(new IllegalStateException("boom"));
        ProviderStatus failed = manager.statuses().get(0);
        assertThat(failed.healthy()).isFalse();
        assertThat(failed.failures()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("boom");
        assertThat(failed.sources()).isEqualTo(2);

        p2.send(group("s", "k:2"));
        advance(999);
        assertThat(p1.subscriptions).isEqualTo(1);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).groups()).hasSize(3);

        advance(1);
        assertThat(p1.subscriptions).isEqualTo(2);
        p1.fail(new IllegalStateException("again"));
        advance(1999);
        assertThat(p1.subscriptions).isEqualTo(2);
        advance(1);
        assertThat(p1.subscriptions).isEqualTo(3);

        // The resubscription's first element is a full state: s2 is gone now.
        received.clear();
        p1.send(group("s1", "h:1"));
        advance(1000);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).changed()).containsExactly(new SourceKey("static/0", "s2"));
        assertThat(manager.statuses().get(0).healthy()).isTrue();
        assertThat(manager.statuses().get(0).failures()).isEqualTo(2);
    }

    @Test
    void lateSubscriberGetsTheLatestStateOfEveryJob() {
        manager.apply(jobs("a", List.of(config("p1")), "b", List.of(config("p2"))));
        fakes.get("p1").send(group("s", "h:1"));
        fakes.get("p2").send(group("s", "k:1"));
        advance(1000);
        fakes.get("p1").send(group("t", "h:2"));
        advance(1000);

        List<DiscoveryUpdate> late = new ArrayList<>();
        Disposable d = manager.updates().subscribe(late::add);
        assertThat(late).hasSize(2).allMatch(DiscoveryUpdate::full);
        DiscoveryUpdate a = late.stream().filter(u -> u.job().equals("a")).findFirst().orElseThrow();
        assertThat(a.groups()).hasSize(2);
        d.dispose();
    }

    @Test
    void slowSubscriberReceivesLatestStateWithTheUnionOfChanges() {
        manager.apply(jobs("a", List.of(config("p1"))));
        List<DiscoveryUpdate> slow = new ArrayList<>();
        var subscriber = new reactor.core.publisher.BaseSubscriber<DiscoveryUpdate>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
            }

            @Override
            protected void hookOnNext(DiscoveryUpdate u) {
                slow.add(u);
            }
        };
        manager.updates().subscribe(subscriber);
        FakeDiscoverers.Fake p1 = fakes.get("p1");
        p1.send(group("s1", "h:1"));
        advance(1000);
        p1.send(group("s2", "h:2"));
        advance(1000);
        p1.send(group("s1", "h:3"));
        advance(1000);
        assertThat(received).hasSize(3);
        assertThat(slow).isEmpty();

        subscriber.request(1);
        assertThat(slow).hasSize(1);
        assertThat(slow.get(0).full()).isTrue();
        assertThat(slow.get(0).groups().get(new SourceKey("static/0", "s1")).targets().get(0).get("__address__"))
                .isEqualTo("h:3");
        subscriber.request(1);
        assertThat(slow).hasSize(1);
        subscriber.dispose();
    }

    @Test
    void readyAfterEveryProviderDeliveredOrFailed() {
        manager.apply(jobs("a", List.of(config("p1"), config("p2"))));
        assertThat(manager.isReady()).isFalse();
        fakes.get("p1").send();
        assertThat(manager.isReady()).isFalse();
        fakes.get("p2").failures.failure(new RuntimeException("unreachable"));
        assertThat(manager.isReady()).isTrue();
        assertThat(manager.ready().block(Duration.ZERO)).isNull();
    }

    @Test
    void unknownMechanismLeavesTheManagerUnchanged() {
        manager.apply(jobs("a", List.of(config("p1"))));
        Map<String, List<SdConfig>> bad = jobs("a", List.of(config("p1")),
                "b", List.of(new FileSdConfig(List.of("x.json"), FileSdConfig.DEFAULT_REFRESH)));
        assertThatThrownBy(() -> manager.apply(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file_sd_configs");
        assertThat(manager.statuses()).hasSize(1);
        assertThat(fakes.get("p1").cancellations).isZero();
    }

    @Test
    void jobWithoutProvidersEmitsAnEmptyFullState() {
        manager.apply(jobs("empty", List.of()));
        advance(50);
        assertThat(received).singleElement().satisfies(u -> {
            assertThat(u.full()).isTrue();
            assertThat(u.groups()).isEmpty();
        });
        assertThat(manager.isReady()).isTrue();
    }

    @Test
    void newJobWaitsForItsProvidersFirstReportInsteadOfEmittingEmpty() {
        manager.apply(jobs("a", List.of(config("p1"))));
        advance(1000);
        assertThat(received).isEmpty();
        fakes.get("p1").send();
        advance(50);
        assertThat(received).singleElement().satisfies(u -> assertThat(u.full()).isTrue());

        // A job joining an already running provider emits right away, without a re-list.
        received.clear();
        advance(1000);
        manager.apply(jobs("a", List.of(config("p1")), "b", List.of(config("p1"))));
        advance(50);
        assertThat(received).extracting(DiscoveryUpdate::job).containsExactly("b");
        assertThat(fakes.get("p1").subscriptions).isEqualTo(1);
    }

    @Test
    void providerFailingBeforeItsFirstStateStillLetsTheJobEmit() {
        manager.apply(jobs("a", List.of(config("p1"))));
        fakes.get("p1").fail(new IllegalStateException("no access"));
        advance(50);
        assertThat(received).singleElement().satisfies(u -> assertThat(u.groups()).isEmpty());
        assertThat(manager.isReady()).isTrue();
    }

    @Test
    void staticConfigsThroughTheStandardRegistry() {
        DiscoveryManager real = new DiscoveryManager(StandardDiscoverers.registry(), Backoff.COALESCING,
                Backoff.RETRY, time);
        List<DiscoveryUpdate> updates = new ArrayList<>();
        real.updates().subscribe(updates::add);
        real.apply(Map.of("node", List.of(
                new io.scrapeflux.config.StaticConfig(List.of("a:9100", "b:9100"), Map.of("env", "prod")),
                new io.scrapeflux.config.StaticConfig(List.of("c:9100"), Map.of()))));
        assertThat(real.isReady()).isTrue();
        advance(50);
        assertThat(updates).singleElement().satisfies(u -> {
            assertThat(u.groups()).containsOnlyKeys(new SourceKey("static/0", "0"), new SourceKey("static/1", "0"));
            TargetGroup first = u.groups().get(new SourceKey("static/0", "0"));
            assertThat(first.targets()).extracting(l -> l.get("__address__")).containsExactly("a:9100", "b:9100");
            assertThat(first.labels()).isEqualTo(io.scrapeflux.model.Labels.of("env", "prod"));
        });
        real.dispose();
    }

    @Test
    void disposeCompletesSubscribersAndStopsProviders() {
        manager.apply(jobs("a", List.of(config("p1"))));
        List<DiscoveryUpdate> seen = new ArrayList<>();
        boolean[] completed = {false};
        manager.updates().subscribe(seen::add, e -> { }, () -> completed[0] = true);
        manager.dispose();
        assertThat(completed[0]).isTrue();
        assertThat(fakes.get("p1").cancellations).isEqualTo(1);
        assertThat(manager.isDisposed()).isTrue();
    }
}
