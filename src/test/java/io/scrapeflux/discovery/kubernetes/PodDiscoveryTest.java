package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.scrapeflux.config.KubernetesSdConfig.AttachMetadata;
import io.scrapeflux.config.KubernetesSdConfig.Namespaces;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDiscoveryTest extends CrudMockTestBase {


    static Pod pod(String ns, String name) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid("uid-" + name)
                .addToLabels("app", "web").addToLabels("app.kubernetes.io/name", "shop")
                .addToAnnotations("prometheus.io/scrape", "true")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-1")
                .withUid("rs").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName("worker1")
                .addToContainers(new ContainerBuilder().withName("main").withImage("nginx:1")
                        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                        .addNewPort().withName("metrics").withContainerPort(9113).withProtocol("TCP").endPort()
                        .build())
                .addToContainers(new ContainerBuilder().withName("sidecar").withImage("busybox").build())
                .addToInitContainers(new ContainerBuilder().withName("init").withImage("init:1")
                        .addNewPort().withContainerPort(7000).withProtocol("UDP").endPort().build())
                .endSpec()
                .withNewStatus().withPodIP("10.0.0.5").addNewPodIP("10.0.0.5").addNewPodIP("fd00::5")
                .withHostIP("192.168.1.10").withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("main").withContainerID("containerd://abc").endContainerStatus()
                .endStatus().build();
    }

    @Test
    void podLabelsAndContainerPortFanOutAsPrometheus() throws Exception {
        api.createPod(pod("default", "web-a"));
        KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            Map<String, TargetGroup> state = f.await(s -> s.containsKey("pod/default/web-a"));
            TargetGroup g = state.get("pod/default/web-a");
            String uid = api.client.pods().inNamespace("default").withName("web-a").get().getMetadata().getUid();
            assertThat(g.labels().toMap()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("__meta_kubernetes_namespace", "default"),
                    Map.entry("__meta_kubernetes_pod_name", "web-a"),
                    Map.entry("__meta_kubernetes_pod_ip", "10.0.0.5"),
                    Map.entry("__meta_kubernetes_pod_ipv4", "10.0.0.5"),
                    Map.entry("__meta_kubernetes_pod_ipv6", "fd00::5"),
                    Map.entry("__meta_kubernetes_pod_ready", "true"),
                    Map.entry("__meta_kubernetes_pod_phase", "Running"),
                    Map.entry("__meta_kubernetes_pod_node_name", "worker1"),
                    Map.entry("__meta_kubernetes_pod_host_ip", "192.168.1.10"),
                    Map.entry("__meta_kubernetes_pod_uid", uid),
                    Map.entry("__meta_kubernetes_pod_controller_kind", "ReplicaSet"),
                    Map.entry("__meta_kubernetes_pod_controller_name", "web-1"),
                    Map.entry("__meta_kubernetes_pod_label_app", "web"),
                    Map.entry("__meta_kubernetes_pod_labelpresent_app", "true"),
                    Map.entry("__meta_kubernetes_pod_label_app_kubernetes_io_name", "shop"),
                    Map.entry("__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true"),
                    Map.entry("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"),
                    Map.entry("__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true")));
            assertThat(g.targets()).containsExactly(
                    Labels.of("__address__", "10.0.0.5:8080", "__meta_kubernetes_pod_container_name", "main",
                            "__meta_kubernetes_pod_container_id", "containerd://abc",
                            "__meta_kubernetes_pod_container_image", "nginx:1",
                            "__meta_kubernetes_pod_container_port_name", "http",
                            "__meta_kubernetes_pod_container_port_number", "8080",
                            "__meta_kubernetes_pod_container_port_protocol", "TCP",
                            "__meta_kubernetes_pod_container_init", "false"),
                    Labels.of("__address__", "10.0.0.5:9113", "__meta_kubernetes_pod_container_name", "main",
                            "__meta_kubernetes_pod_container_id", "containerd://abc",
                            "__meta_kubernetes_pod_container_image", "nginx:1",
                            "__meta_kubernetes_pod_container_port_name", "metrics",
                            "__meta_kubernetes_pod_container_port_number", "9113",
                            "__meta_kubernetes_pod_container_port_protocol", "TCP",
                            "__meta_kubernetes_pod_container_init", "false"),
                    Labels.of("__address__", "10.0.0.5", "__meta_kubernetes_pod_container_name", "sidecar",
                            "__meta_kubernetes_pod_container_image", "busybox",
                            "__meta_kubernetes_pod_container_init", "false"),
                    Labels.of("__address__", "10.0.0.5:7000", "__meta_kubernetes_pod_container_name", "init",
                            "__meta_kubernetes_pod_container_image", "init:1",
                            "__meta_kubernetes_pod_container_port_number", "7000",
                            "__meta_kubernetes_pod_container_port_protocol", "UDP",
                            "__meta_kubernetes_pod_container_init", "true"));
        }
    }

    @Test
    void updatesAndDeletesAreEmittedAsChangedAndEmptyGroups() throws Exception {
        api.createPod(pod("default", "web-a"));
        KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            f.await(s -> s.containsKey("pod/default/web-a"));
            Pod changed = pod("default", "web-a");
            changed.getMetadata().getLabels().put("app", "api");
            changed.getStatus().getConditions().get(0).setStatus("False");
            api.updatePod(changed);
            Map<String, TargetGroup> s = f.await(st -> st.get("pod/default/web-a").labels()
                    .get("__meta_kubernetes_pod_label_app").equals("api"));
            assertThat(s.get("pod/default/web-a").labels().get("__meta_kubernetes_pod_ready")).isEqualTo("false");

            api.client.pods().inNamespace("default").withName("web-a").delete();
            f.await(st -> !st.containsKey("pod/default/web-a"));
            List<TargetGroup> last = f.seen.get(f.seen.size() - 1);
            assertThat(last).containsExactly(TargetGroup.removed("pod/default/web-a"));
        }
    }

    @Test
    void podWithoutIpHasNoTargets() throws Exception {
        Pod p = pod("default", "pending");
        p.getStatus().setPodIP(null);
        p.getStatus().setPodIPs(List.of());
        api.createPod(p);
        KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            f.await(s -> true);
            assertThat(f.seen.get(0)).containsExactly(TargetGroup.removed("pod/default/pending"));
        }
    }

    @Test
    void attachesNodeAndNamespaceMetadata() throws Exception {
        api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker1")
                .addToLabels("topology.kubernetes.io/zone", "z1").addToAnnotations("ignored", "x").endMetadata()
                .build()).create();
        api.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default")
                .addToLabels("team", "shop").addToAnnotations("owner", "alice").endMetadata().build()).create();
        api.createPod(pod("default", "web-a"));
        KubernetesDiscovery d = KubernetesDiscovery.create("job",
                api.config("pod", Namespaces.ALL, List.of(), new AttachMetadata(true, true)), List.of(), pool, false);
        try (MockApi.Follower f = new MockApi.Follower(d)) {
            Labels l = f.await(s -> s.containsKey("pod/default/web-a")).get("pod/default/web-a").labels();
            assertThat(l.get("__meta_kubernetes_node_name")).isEqualTo("worker1");
            assertThat(l.get("__meta_kubernetes_node_label_topology_kubernetes_io_zone")).isEqualTo("z1");
            assertThat(l.get("__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone")).isEqualTo("true");
            assertThat(l.has("__meta_kubernetes_node_annotation_ignored")).isFalse();
            assertThat(l.get("__meta_kubernetes_namespace_label_team")).isEqualTo("shop");
            assertThat(l.get("__meta_kubernetes_namespace_labelpresent_team")).isEqualTo("true");
            assertThat(l.get("__meta_kubernetes_namespace_annotation_owner")).isEqualTo("alice");
            assertThat(l.get("__meta_kubernetes_namespace_annotationpresent_owner")).isEqualTo("true");

            // A node label change re-emits the pods on that node.
            api.client.nodes().withName("worker1").edit(n -> {
                n.getMetadata().getLabels().put("topology.kubernetes.io/zone", "z2");
                return n;
            });
            f.await(s -> s.get("pod/default/web-a").labels().get("__meta_kubernetes_node_label_topology_kubernetes_io_zone")
                    .equals("z2"));
        }
    }

    @Test
    void jobsWithTheSameWatchShareOneInformer() throws Exception {
        api.createPod(pod("default", "web-a"));
        KubernetesDiscovery a = KubernetesDiscovery.create("a", api.config("pod"), List.of(), pool, false);
        KubernetesDiscovery b = KubernetesDiscovery.create("b", api.config("pod"), List.of(), pool, false);
        try (MockApi.Follower fa = new MockApi.Follower(a); MockApi.Follower fb = new MockApi.Follower(b)) {
            fa.await(s -> s.containsKey("pod/default/web-a"));
            fb.await(s -> s.containsKey("pod/default/web-a"));
            assertThat(pool.activeWatches()).isEqualTo(1);
        }
    }
}
