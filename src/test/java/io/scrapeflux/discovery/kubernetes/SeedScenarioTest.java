package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The seed's job: keep pods on worker1 labelled app=nginx-exporter, and only their port 9113. Pods on
 * worker1/worker2, with and without the label, with and without the port; the same targets must survive
 * with and without push-down, and the push-down variant must ask the API server with the selectors.
 */
class SeedScenarioTest extends CrudMockTestBase {

    static final List<RelabelConfig> SEED_RULES = List.of(
            RelabelConfig.of(RelabelAction.KEEP, List.of("__meta_kubernetes_pod_node_name"), "worker1", null, null),
            RelabelConfig.of(RelabelAction.KEEP, List.of("__meta_kubernetes_pod_label_app"), "nginx-exporter", null, null),
            RelabelConfig.of(RelabelAction.KEEP, List.of("__address__"), "(.*):9113", null, null));


    static Pod seedPod(String name, String node, String app, int port, String ip) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata();
        if (app != null) {
            b.editMetadata().addToLabels("app", app).endMetadata();
        }
        return b.withNewSpec().withNodeName(node)
                .addToContainers(new ContainerBuilder().withName("exporter").withImage("nginx-exporter")
                        .addNewPort().withContainerPort(port).withProtocol("TCP").endPort()
                        .addNewPort().withContainerPort(8080).withProtocol("TCP").endPort().build())
                .endSpec().withNewStatus().withPodIP(ip).withPhase("Running").endStatus().build();
    }

    /** Applies keep rules the way the relabel stage does: anchored RE2 on the joined source values. */
    static List<Labels> applyKeepRules(Map<String, TargetGroup> state, List<RelabelConfig> rules) {
        List<Labels> out = new ArrayList<>();
        for (TargetGroup g : state.values()) {
            for (Labels t : g.targets()) {
                LabelsBuilder b = g.labels().toBuilder();
                t.forEach(b::set);
                Labels merged = b.build();
                boolean keep = true;
                for (RelabelConfig r : rules) {
                    List<String> values = r.sourceLabels().stream().map(merged::get).toList();
                    if (!Pattern.compile("^(?:" + r.regex() + ")$").matches(String.join(r.separator(), values))) {
                        keep = false;
                        break;
                    }
                }
                if (keep) {
                    out.add(merged);
                }
            }
        }
        return out;
    }

    static final String SELECTOR_QUERY =
            "fieldSelector=spec.nodeName%3Dworker1&labelSelector=app%3Dnginx-exporter";

    static List<Pod> seedPods() {
        List<Pod> pods = new ArrayList<>();
        int i = 0;
        for (String node : List.of("worker1", "worker2")) {
            for (String app : new String[] {"nginx-exporter", "other", null}) {
                for (int port : new int[] {9113, 9100}) {
                    i++;
                    pods.add(seedPod("p" + i, node, app, port, "10.1.0." + i));
                }
            }
        }
        return pods;
    }

    /** What a real API server returns for the pushed-down selectors (the CRUD mock has no field selectors). */
    static boolean matchesPushedSelectors(Pod p) {
        return "worker1".equals(p.getSpec().getNodeName()) && p.getMetadata().getLabels() != null
                && "nginx-exporter".equals(p.getMetadata().getLabels().get("app"));
    }

    private Set<Labels> withoutPushDown(List<Pod> pods, Pod late) throws Exception {
        pods.forEach(api::createPod);
        KubernetesDiscovery d = KubernetesDiscovery.create("nginx", api.config("pod"), SEED_RULES, pool, false);
        assertThat(d.pushDown().isEmpty()).isTrue();
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            f.await(s -> s.size() == pods.size());
            api.createPod(late);
            String lateSource = "pod/default/" + late.getMetadata().getName();
            Map<String, TargetGroup> state = f.await(s -> s.containsKey(lateSource));
            return new TreeSet<>(applyKeepRules(state, SEED_RULES));
        }
    }

    /** Expectations mode: the stub answers only the selector-carrying list and watch, as an API server would. */
    private Set<Labels> withPushDown(List<Pod> pods, Pod late) throws Exception {
        try (MockApi stub = MockApi.expectations(); KubernetesInformerPool p = new KubernetesInformerPool()) {
            List<Pod> served = pods.stream().filter(SeedScenarioTest::matchesPushedSelectors).toList();
            served.forEach(x -> x.getMetadata().setResourceVersion("1"));
            stub.server.expect().get().withPath("/api/v1/pods?" + SELECTOR_QUERY + "&resourceVersion=0")
                    .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
                            .withItems(served).build()).always();
            late.getMetadata().setResourceVersion("2");
            stub.server.expect().get().withPath("/api/v1/pods?allowWatchBookmarks=true&" + SELECTOR_QUERY
                    + "&resourceVersion=1&timeoutSeconds=600&watch=true")
                    .andUpgradeToWebSocket().open().immediately().andEmit(new WatchEvent(late, "ADDED")).done().always();
            KubernetesDiscovery d = KubernetesDiscovery.create("nginx", stub.config("pod"), SEED_RULES, p, true);
            assertThat(d.pushDown().describe()).isEqualTo(
                    "field selector spec.nodeName=worker1; label selector app=nginx-exporter");
            try (MockApi.Follower f = new MockApi.Follower(d)) {
                String lateSource = "pod/default/" + late.getMetadata().getName();
                Map<String, TargetGroup> state = f.await(s -> s.containsKey(lateSource));
                assertThat(state).hasSize(served.size() + 1);
                List<String> podRequests = stub.requestPaths().stream().filter(x -> x.startsWith("/api/v1/pods")).toList();
                assertThat(podRequests).isNotEmpty().allSatisfy(x -> assertThat(x)
                        .contains("fieldSelector=spec.nodeName=worker1").contains("labelSelector=app=nginx-exporter"));
                return new TreeSet<>(applyKeepRules(state, SEED_RULES));
            }
        }
    }

    @Test
    void keepsExactlyTheExporterPortOfWorker1PodsWithAndWithoutPushDown() throws Exception {
        Set<Labels> without = withoutPushDown(seedPods(), seedPod("late", "worker1", "nginx-exporter", 9113, "10.1.0.99"));
        Set<Labels> with = withPushDown(seedPods(), seedPod("late", "worker1", "nginx-exporter", 9113, "10.1.0.99"));
        assertThat(without).extracting(l -> l.get("__address__")).containsExactlyInAnyOrder("10.1.0.1:9113",
                "10.1.0.99:9113");
        // The CRUD mock assigns its own UIDs; the stub serves none. Everything else must be identical.
        assertThat(withoutUid(with)).isEqualTo(withoutUid(without));
    }

    private static Set<Labels> withoutUid(Set<Labels> s) {
        Set<Labels> out = new TreeSet<>();
        s.forEach(l -> out.add(l.toBuilder().del("__meta_kubernetes_pod_uid").build()));
        return out;
    }

    @Test
    void withoutPushDownTheWatchCarriesNoSelectors() throws Exception {
        withoutPushDown(seedPods(), seedPod("late", "worker2", "other", 9113, "10.1.0.98"));
        assertThat(api.requestPaths().stream().filter(p -> p.startsWith("/api/v1/pods?")))
                .isNotEmpty().allSatisfy(p -> assertThat(p).doesNotContain("Selector"));
    }
}
