package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The first emission after the lists, and which groups a related object's change re-emits. */
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

    private static String nodeZone(TargetGroup g) {
        return g.labels().get("__meta_kubernetes_node_label_zone");
    }

    /** Sources of every group emitted after the first {@code skip} batches, each once. */
    private static Set<String> sourcesSince(MockApi.Follower f, int skip) {
        return f.seen.subList(skip, f.seen.size()).stream().flatMap(List::stream).map(TargetGroup::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
