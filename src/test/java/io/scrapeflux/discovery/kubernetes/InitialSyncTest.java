package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.scrapeflux.config.KubernetesSdConfig.AttachMetadata;
import io.scrapeflux.config.KubernetesSdConfig.Namespaces;
import io.scrapeflux.discovery.TargetGroup;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The first emission after the lists, and which groups a related object's change re-emits (the index). */
class InitialSyncTest extends CrudMockTestBase {

    private static Pod pod(String ns, String name, String node) {
        return new PodBuilder(PodDiscoveryTest.pod(ns, name)).editSpec().withNodeName(node).endSpec().build();
    }

    @Test
    void firstEmissionIsOneBatchWithEveryListedPod() throws Exception {
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 45; i++) {
            String ns = "ns" + (i % 3);
            api.createPod(pod(ns, "p" + i, "worker1"));
            expected.add("pod/" + ns + "/p" + i);
        }
        KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            List<TargetGroup> first = f.batches.poll(60, TimeUnit.SECONDS);
            assertThat(first).as("first emission").isNotNull();
            Set<String> sources = first.stream().map(TargetGroup::source).collect(Collectors.toCollection(TreeSet::new));
            assertThat(sources).isEqualTo(expected);
            assertThat(first).hasSize(expected.size()).allSatisfy(g -> assertThat(g.targets()).hasSize(4));
        }
    }

    @Test
    void nodeOrNamespaceChangeReEmitsOnlyThePodsThatReadIt() throws Exception {
        for (String node : List.of("worker1", "worker2")) {
            api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).addToLabels("zone", "z1")
                    .endMetadata().build()).create();
        }
        for (String ns : List.of("shop", "blog")) {
            api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels("team", "t1").endMetadata().build()).create();
        }
        api.createPod(pod("shop", "a", "worker1"));
        api.createPod(pod("blog", "b", "worker1"));
        api.createPod(pod("shop", "c", "worker2"));
        KubernetesDiscovery d = KubernetesDiscovery.create("job",
                api.config("pod", Namespaces.ALL, List.of(), new AttachMetadata(true, true)), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            f.await(s -> s.size() == 3);
            int initial = f.seen.size();

            api.client.nodes().withName("worker1").edit(n -> {
                n.getMetadata().getLabels().put("zone", "z2");
                return n;
            });
            f.await(s -> nodeZone(s.get("pod/shop/a")).equals("z2") && nodeZone(s.get("pod/blog/b")).equals("z2"));
            assertThat(sourcesSince(f, initial)).containsExactlyInAnyOrder("pod/shop/a", "pod/blog/b");
            assertThat(nodeZone(f.state.get("pod/shop/c"))).isEqualTo("z1");

            int afterNode = f.seen.size();
            api.client.namespaces().withName("blog").edit(n -> {
                n.getMetadata().getLabels().put("team", "t2");
                return n;
            });
            f.await(s -> s.get("pod/blog/b").labels().get("__meta_kubernetes_namespace_label_team").equals("t2"));
            assertThat(sourcesSince(f, afterNode)).containsExactly("pod/blog/b");
        }
    }

    @Test
    void anEndpointFollowsThePodItNowPointsToNotTheOneBefore() throws Exception {
        for (String name : List.of("web-1", "web-2")) {
            api.createPod(pod("shop", name, "worker1"));
        }
        api.client.endpoints().inNamespace("shop").resource(endpoints("web-1")).create();
        KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("endpoints"), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            f.await(s -> podName(s.get("endpoints/shop/web")).equals("web-1"));
            api.client.endpoints().inNamespace("shop").resource(endpoints("web-2")).update();
            f.await(s -> podName(s.get("endpoints/shop/web")).equals("web-2"));
            int moved = f.seen.size();

            // web-1 is no longer read by the group: its change re-emits nothing; web-2's change does.
            relabel("web-1", "old");
            relabel("web-2", "new");
            f.await(s -> s.get("endpoints/shop/web").targets().get(0).get("__meta_kubernetes_pod_label_app")
                    .equals("new"));
            List<String> emitted = f.seen.subList(moved, f.seen.size()).stream().flatMap(List::stream)
                    .map(TargetGroup::source).toList();
            assertThat(emitted).containsExactly("endpoints/shop/web");
        }
    }

    private static io.fabric8.kubernetes.api.model.Endpoints endpoints(String podName) {
        return new EndpointsBuilder().withNewMetadata().withNamespace("shop").withName("web").endMetadata()
                .addNewSubset().addNewAddress().withIp("10.0.0.5").withNewTargetRef().withKind("Pod")
                .withNamespace("shop").withName(podName).endTargetRef().endAddress()
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort().endSubset().build();
    }

    private void relabel(String podName, String app) {
        api.updatePod(new PodBuilder(api.client.pods().inNamespace("shop").withName(podName).get())
                .editMetadata().addToLabels("app", app).endMetadata().build());
    }

    private static String podName(TargetGroup g) {
        return g == null || g.targets().isEmpty() ? "" : g.targets().get(0).get("__meta_kubernetes_pod_name");
    }

    private static String nodeZone(TargetGroup g) {
        return g.labels().get("__meta_kubernetes_node_label_zone");
    }

    /** Sources of every group emitted after the first {@code skip} batches, each once. */
    private static Set<String> sourcesSince(MockApi.Follower f, int skip) {
        return f.seen.subList(skip, f.seen.size()).stream().flatMap(List::stream).map(TargetGroup::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
