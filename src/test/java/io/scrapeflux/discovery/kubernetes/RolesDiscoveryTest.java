package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every role's labels for adds, updates and deletes against the CRUD mock, label by label. */
class RolesDiscoveryTest extends CrudMockTestBase {


    private MockApi.Follower follow(String role) {
        return new MockApi.Follower(KubernetesDiscovery.create("job", api.config(role), List.of(), pool, false));
    }

    @Test
    void nodeRole() throws Exception {
        api.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
                .addToLabels("kubernetes.io/os", "linux").addToAnnotations("node.alpha/ttl", "0").endMetadata()
                .withNewSpec().withProviderID("aws:///i-1").endSpec()
                .withNewStatus().addNewAddress().withType("Hostname").withAddress("n1.local").endAddress()
                .addNewAddress().withType("ExternalIP").withAddress("1.2.3.4").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.2").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint()
                .endDaemonEndpoints().endStatus().build()).create();
        try (MockApi.Follower f = follow("node")) {
            TargetGroup g = f.await(s -> s.containsKey("node/n1")).get("node/n1");
            assertThat(g.labels()).isEqualTo(Labels.of(
                    "__meta_kubernetes_node_name", "n1",
                    "__meta_kubernetes_node_provider_id", "aws:///i-1",
                    "__meta_kubernetes_node_label_kubernetes_io_os", "linux",
                    "__meta_kubernetes_node_labelpresent_kubernetes_io_os", "true",
                    "__meta_kubernetes_node_annotation_node_alpha_ttl", "0",
                    "__meta_kubernetes_node_annotationpresent_node_alpha_ttl", "true"));
            assertThat(g.targets()).containsExactly(Labels.of(
                    "__address__", "10.0.0.1:10250", "instance", "n1",
                    "__meta_kubernetes_node_address_Hostname", "n1.local",
                    "__meta_kubernetes_node_address_ExternalIP", "1.2.3.4",
                    "__meta_kubernetes_node_address_InternalIP", "10.0.0.1"));

            api.client.nodes().withName("n1").edit(n -> {
                n.getMetadata().getLabels().put("kubernetes.io/os", "windows");
                return n;
            });
            f.await(s -> s.get("node/n1").labels().get("__meta_kubernetes_node_label_kubernetes_io_os").equals("windows"));
            api.client.nodes().withName("n1").delete();
            f.await(s -> !s.containsKey("node/n1"));
        }
    }

    @Test
    void serviceRole() throws Exception {
        api.client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withNamespace("shop")
                .withName("web").addToLabels("app", "web").addToAnnotations("a/b", "c").endMetadata()
                .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.10").withLoadBalancerIP("5.6.7.8")
                .addNewPort().withName("http").withPort(80).withProtocol("TCP").endPort()
                .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort().endSpec().build()).create();
        api.client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withNamespace("shop")
                .withName("ext").endMetadata().withNewSpec().withType("ExternalName").withExternalName("example.com")
                .addNewPort().withPort(443).withProtocol("TCP").endPort().endSpec().build()).create();
        try (MockApi.Follower f = follow("service")) {
            Map<String, TargetGroup> s = f.await(st -> st.containsKey("svc/shop/web") && st.containsKey("svc/shop/ext"));
            assertThat(s.get("svc/shop/web").labels()).isEqualTo(Labels.of(
                    "__meta_kubernetes_namespace", "shop",
                    "__meta_kubernetes_service_name", "web",
                    "__meta_kubernetes_service_label_app", "web",
                    "__meta_kubernetes_service_labelpresent_app", "true",
                    "__meta_kubernetes_service_annotation_a_b", "c",
                    "__meta_kubernetes_service_annotationpresent_a_b", "true"));
            assertThat(s.get("svc/shop/web").targets()).containsExactly(
                    Labels.of("__address__", "web.shop.svc:80", "__meta_kubernetes_service_port_name", "http",
                            "__meta_kubernetes_service_port_number", "80",
                            "__meta_kubernetes_service_port_protocol", "TCP",
                            "__meta_kubernetes_service_type", "LoadBalancer",
                            "__meta_kubernetes_service_cluster_ip", "10.96.0.10",
                            "__meta_kubernetes_service_loadbalancer_ip", "5.6.7.8"),
                    Labels.of("__address__", "web.shop.svc:53", "__meta_kubernetes_service_port_name", "dns",
                            "__meta_kubernetes_service_port_number", "53",
                            "__meta_kubernetes_service_port_protocol", "UDP",
                            "__meta_kubernetes_service_type", "LoadBalancer",
                            "__meta_kubernetes_service_cluster_ip", "10.96.0.10",
                            "__meta_kubernetes_service_loadbalancer_ip", "5.6.7.8"));
            assertThat(s.get("svc/shop/ext").targets()).containsExactly(
                    Labels.of("__address__", "ext.shop.svc:443", "__meta_kubernetes_service_port_number", "443",
                            "__meta_kubernetes_service_port_protocol", "TCP",
                            "__meta_kubernetes_service_type", "ExternalName",
                            "__meta_kubernetes_service_external_name", "example.com"));
            api.client.services().inNamespace("shop").withName("ext").delete();
            f.await(st -> !st.containsKey("svc/shop/ext"));
        }
    }

    private void createBackingPod() {
        api.createPod(new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-1").addToLabels("app", "web")
                .endMetadata().withNewSpec().withNodeName("n1")
                .addToContainers(new ContainerBuilder().withName("c1").withImage("web:1")
                        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                        .addNewPort().withName("metrics").withContainerPort(9100).withProtocol("TCP").endPort().build())
                .endSpec().withNewStatus().withPodIP("10.1.1.1").withHostIP("192.168.0.1").withPhase("Running")
                .endStatus().build());
    }

    private void createService() {
        api.client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withNamespace("shop")
                .withName("web").addToLabels("tier", "front").endMetadata().withNewSpec().withClusterIP("10.96.0.1")
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
    }

    private static final Map<String, String> POD_LABELS = Map.of(
            "__meta_kubernetes_pod_name", "web-1",
            "__meta_kubernetes_pod_ip", "10.1.1.1",
            "__meta_kubernetes_pod_ready", "unknown",
            "__meta_kubernetes_pod_phase", "Running",
            "__meta_kubernetes_pod_node_name", "n1",
            "__meta_kubernetes_pod_host_ip", "192.168.0.1",
            "__meta_kubernetes_pod_label_app", "web",
            "__meta_kubernetes_pod_labelpresent_app", "true");

    @Test
    void endpointsRole() throws Exception {
        createBackingPod();
        createService();
        api.client.endpoints().inNamespace("shop").resource(new EndpointsBuilder().withNewMetadata().withNamespace("shop")
                .withName("web").endMetadata().addNewSubset()
                .addNewAddress().withIp("10.1.1.1").withNodeName("n1").withNewTargetRef().withKind("Pod")
                .withNamespace("shop").withName("web-1").endTargetRef().endAddress()
                .addNewNotReadyAddress().withIp("10.1.1.2").withHostname("h2").endNotReadyAddress()
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort().endSubset().build()).create();
        try (MockApi.Follower f = follow("endpoints")) {
            TargetGroup g = f.await(s -> s.containsKey("endpoints/shop/web")).get("endpoints/shop/web");
            assertThat(g.labels()).isEqualTo(Labels.of(
                    "__meta_kubernetes_namespace", "shop",
                    "__meta_kubernetes_endpoints_name", "web",
                    "__meta_kubernetes_service_name", "web",
                    "__meta_kubernetes_service_label_tier", "front",
                    "__meta_kubernetes_service_labelpresent_tier", "true"));
            Labels podBacked = g.targets().get(0);
            assertThat(podBacked.toMap()).containsAllEntriesOf(POD_LABELS).containsAllEntriesOf(Map.of(
                    "__address__", "10.1.1.1:8080",
                    "__meta_kubernetes_endpoint_port_name", "http",
                    "__meta_kubernetes_endpoint_port_protocol", "TCP",
                    "__meta_kubernetes_endpoint_ready", "true",
                    "__meta_kubernetes_endpoint_node_name", "n1",
                    "__meta_kubernetes_endpoint_address_target_kind", "Pod",
                    "__meta_kubernetes_endpoint_address_target_name", "web-1",
                    "__meta_kubernetes_pod_container_name", "c1",
                    "__meta_kubernetes_pod_container_port_name", "http",
                    "__meta_kubernetes_pod_container_port_number", "8080"));
            assertThat(podBacked.get("__meta_kubernetes_pod_container_init")).isEqualTo("false");
            assertThat(g.targets().get(1)).isEqualTo(Labels.of("__address__", "10.1.1.2:8080",
                    "__meta_kubernetes_endpoint_port_name", "http", "__meta_kubernetes_endpoint_port_protocol", "TCP",
                    "__meta_kubernetes_endpoint_ready", "false", "__meta_kubernetes_endpoint_hostname", "h2"));
            // The pod's container port 9100 is not an endpoint port: an extra target without endpoint labels.
            Labels extra = g.targets().get(2);
            assertThat(extra.toMap()).containsAllEntriesOf(POD_LABELS).containsAllEntriesOf(Map.of(
                    "__address__", "10.1.1.1:9100", "__meta_kubernetes_pod_container_port_name", "metrics",
                    "__meta_kubernetes_pod_container_image", "web:1"));
            assertThat(extra.has("__meta_kubernetes_endpoint_ready")).isFalse();
            assertThat(g.targets()).hasSize(3);

            // A change of the backing pod re-emits the endpoints group.
            api.updatePod(new PodBuilder(api.client.pods().inNamespace("shop").withName("web-1").get())
                    .editMetadata().addToLabels("app", "web2").endMetadata().build());
            f.await(s -> s.get("endpoints/shop/web").targets().get(0).get("__meta_kubernetes_pod_label_app").equals("web2"));
            api.client.endpoints().inNamespace("shop").withName("web").delete();
            f.await(s -> !s.containsKey("endpoints/shop/web"));
        }
    }

    @Test
    void endpointSliceRole() throws Exception {
        createBackingPod();
        createService();
        api.client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                .withNewMetadata().withNamespace("shop").withName("web-abc")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.1.1.1").withNodeName("n1").withZone("z1").withHostname("h1")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .withNewTargetRef().withKind("Pod").withNamespace("shop").withName("web-1").endTargetRef().endEndpoint()
                .addNewPort().withName("http").withPort(8080).withProtocol("TCP").withAppProtocol("http").endPort()
                .build()).create();
        try (MockApi.Follower f = follow("endpointslice")) {
            TargetGroup g = f.await(s -> s.containsKey("endpointslice/shop/web-abc")).get("endpointslice/shop/web-abc");
            assertThat(g.labels()).isEqualTo(Labels.of(
                    "__meta_kubernetes_namespace", "shop",
                    "__meta_kubernetes_endpointslice_address_type", "IPv4",
                    "__meta_kubernetes_endpointslice_name", "web-abc",
                    "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "web",
                    "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name", "true",
                    "__meta_kubernetes_service_name", "web",
                    "__meta_kubernetes_service_label_tier", "front",
                    "__meta_kubernetes_service_labelpresent_tier", "true"));
            assertThat(g.targets().get(0).toMap()).containsAllEntriesOf(POD_LABELS).containsAllEntriesOf(Map.ofEntries(
                    Map.entry("__address__", "10.1.1.1:8080"),
                    Map.entry("__meta_kubernetes_endpointslice_port", "8080"),
                    Map.entry("__meta_kubernetes_endpointslice_port_name", "http"),
                    Map.entry("__meta_kubernetes_endpointslice_port_protocol", "TCP"),
                    Map.entry("__meta_kubernetes_endpointslice_port_app_protocol", "http"),
                    Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true"),
                    Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true"),
                    Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false"),
                    Map.entry("__meta_kubernetes_endpointslice_endpoint_hostname", "h1"),
                    Map.entry("__meta_kubernetes_endpointslice_endpoint_node_name", "n1"),
                    Map.entry("__meta_kubernetes_endpointslice_endpoint_zone", "z1"),
                    Map.entry("__meta_kubernetes_endpointslice_address_target_kind", "Pod"),
                    Map.entry("__meta_kubernetes_endpointslice_address_target_name", "web-1"),
                    Map.entry("__meta_kubernetes_pod_container_port_number", "8080")));
            assertThat(g.targets().get(1).toMap()).containsEntry("__address__", "10.1.1.1:9100")
                    .doesNotContainKey("__meta_kubernetes_endpointslice_port");
            assertThat(g.targets()).hasSize(2);

            // Service labels follow the service.
            api.client.services().inNamespace("shop").withName("web").edit(s -> {
                s.getMetadata().getLabels().put("tier", "back");
                return s;
            });
            f.await(s -> s.get("endpointslice/shop/web-abc").labels().get("__meta_kubernetes_service_label_tier")
                    .equals("back"));
        }
    }

    @Test
    void ingressRole() throws Exception {
        api.client.network().v1().ingresses().inNamespace("shop").resource(new IngressBuilder().withNewMetadata()
                .withNamespace("shop").withName("site").addToLabels("app", "site").endMetadata().withNewSpec()
                .withIngressClassName("nginx").addNewTl().withHosts("*.example.com").endTl()
                .addNewRule().withHost("www.example.com").withNewHttp()
                .addNewPath().withPath("/shop").withPathType("Prefix").withNewBackend().withNewService().withName("web")
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                .addNewPath().withPathType("Prefix").withNewBackend().withNewService().withName("web")
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                .endHttp().endRule()
                .addNewRule().withHost("plain.org").endRule().endSpec().build()).create();
        try (MockApi.Follower f = follow("ingress")) {
            TargetGroup g = f.await(s -> s.containsKey("ingress/shop/site")).get("ingress/shop/site");
            assertThat(g.labels()).isEqualTo(Labels.of(
                    "__meta_kubernetes_namespace", "shop",
                    "__meta_kubernetes_ingress_name", "site",
                    "__meta_kubernetes_ingress_class_name", "nginx",
                    "__meta_kubernetes_ingress_label_app", "site",
                    "__meta_kubernetes_ingress_labelpresent_app", "true"));
            assertThat(g.targets()).containsExactly(
                    Labels.of("__address__", "www.example.com", "__meta_kubernetes_ingress_scheme", "https",
                            "__meta_kubernetes_ingress_host", "www.example.com", "__meta_kubernetes_ingress_path", "/shop"),
                    Labels.of("__address__", "www.example.com", "__meta_kubernetes_ingress_scheme", "https",
                            "__meta_kubernetes_ingress_host", "www.example.com", "__meta_kubernetes_ingress_path", "/"),
                    Labels.of("__address__", "plain.org", "__meta_kubernetes_ingress_scheme", "http",
                            "__meta_kubernetes_ingress_host", "plain.org", "__meta_kubernetes_ingress_path", "/"));
            api.client.network().v1().ingresses().inNamespace("shop").withName("site").delete();
            f.await(s -> !s.containsKey("ingress/shop/site"));
        }
    }
}
