package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.scrapeflux.discovery.Await;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.TargetGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Expectations mode: an API server that is down at start, and a watch that expires (410 Gone). */
class ResilienceTest {

    private static final String LIST = "/api/v1/pods?resourceVersion=0";

    private static String watch(String rv) {
        return "/api/v1/pods?allowWatchBookmarks=true&resourceVersion=" + rv + "&timeoutSeconds=600&watch=true";
    }

    private static Pod pod(String name, String ip, String rv) {
        Pod p = SeedScenarioTest.seedPod(name, "worker1", "nginx-exporter", 9113, ip);
        p.getMetadata().setResourceVersion(rv);
        return p;
    }

    /** Records what the discoverer reports. */
    static final class Reports implements FailureReporter {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void failure(Throwable error) {
            events.add("failure");
        }

        @Override
        public void success() {
            events.add("success");
        }
    }

    @Test
    void apiDownAtStartIsRetriedAndTheErrorIsVisible() throws Exception {
        try (MockApi api = MockApi.expectations(); KubernetesInformerPool pool = new KubernetesInformerPool()) {
            api.server.expect().get().withPath(LIST).andReturn(503, "unavailable").times(4);
            api.server.expect().get().withPath(LIST).andReturn(200, new PodListBuilder().withNewMetadata()
                    .withResourceVersion("5").endMetadata().withItems(pod("a", "10.0.0.1", "5")).build()).always();
            api.server.expect().get().withPath(watch("5")).andUpgradeToWebSocket().open().done().always();
            Reports reports = new Reports();
            KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false, reports);
            try (MockApi.Follower f = new MockApi.Follower(d)) {
                Map<String, TargetGroup> s = f.await(st -> st.containsKey("pod/default/a"));
                assertThat(s).hasSize(1);
                // The first element is the full state, emitted only once the list finally succeeded.
                assertThat(f.seen.get(0)).extracting(TargetGroup::source).containsExactly("pod/default/a");
                // the list's success is reported by the informer's thread, not ordered with the emission
                Await.until(() -> reports.events.contains("success"));
                assertThat(reports.events).startsWith("failure").endsWith("success");
                assertThat(pool.health()).allSatisfy(h -> assertThat(h.synced()).isTrue());
            }
        }
    }

    @Test
    void expiredWatchRelistsAndEmitsTheDifference() throws Exception {
        try (MockApi api = MockApi.expectations(); KubernetesInformerPool pool = new KubernetesInformerPool()) {
            api.server.expect().get().withPath(LIST).andReturn(200, new PodListBuilder().withNewMetadata()
                    .withResourceVersion("1").endMetadata().withItems(pod("a", "10.0.0.1", "1"), pod("b", "10.0.0.2", "1"))
                    .build()).once();
            // The watch expires: the server answers 410 Gone, so the informer must list again.
            api.server.expect().get().withPath(watch("1")).andUpgradeToWebSocket().open().immediately()
                    .andEmit(new WatchEvent(new StatusBuilder().withCode(410).withReason("Expired")
                            .withMessage("too old resource version").build(), "ERROR"))
                    .done().once();
            // Meanwhile b was deleted and c created; a changed its IP. fabric8 relists without a version.
            api.server.expect().get().withPath("/api/v1/pods").andReturn(200, new PodListBuilder().withNewMetadata()
                    .withResourceVersion("9").endMetadata().withItems(pod("a", "10.0.0.11", "8"), pod("c", "10.0.0.3", "9"))
                    .build()).always();
            api.server.expect().get().withPath(watch("9")).andUpgradeToWebSocket().open().done().always();

            KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false);
            try (MockApi.Follower f = new MockApi.Follower(d)) {
                f.await(s -> s.containsKey("pod/default/a") && s.containsKey("pod/default/b"));
                Map<String, TargetGroup> s = f.await(st -> st.containsKey("pod/default/c") && !st.containsKey("pod/default/b")
                        && st.get("pod/default/a").labels().get("__meta_kubernetes_pod_ip").equals("10.0.0.11"));
                assertThat(s.keySet()).containsExactlyInAnyOrder("pod/default/a", "pod/default/c");
                assertThat(f.seen.stream().flatMap(List::stream)).contains(TargetGroup.removed("pod/default/b"));
            }
        }
    }
}
