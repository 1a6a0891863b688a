package io.scrapeflux.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.target.Target;
import io.scrapeflux.target.TargetSet;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed job through the whole pipeline: pods on worker1/worker2, with and without
 * {@code app=nginx-exporter}, with and without port 9113. Without push-down the targets are exactly the
 * exporter port of worker1's nginx-exporter pod; with push-down (the default) the pipeline's pod watch
 * asks the API server for those pods only. That both give the same targets is shown at the discoverer
 * level against a mock that honours selectors ({@code discovery.kubernetes.SeedScenarioTest}); fabric8's
 * CRUD mock used here does not evaluate field selectors. Pod IPs are loopback: the targets get scraped.
 */
class KubernetesPushDownPipelineTest {

    private KubernetesMockServer server;
    private NamespacedKubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        int ip = 2;
        for (String node : List.of("worker1", "worker2")) {
            for (String app : new String[] {"nginx-exporter", "other", null}) {
                for (int port : new int[] {9113, 9100}) {
                    create(pod("p" + ip, node, app, port, "127.0.0." + ip));
                    ip++;
                }
            }
        }
    }

    @AfterEach
    void stop() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            System.err.println("kubernetes mock server did not close in time: " + e.getMessage());
        }
    }

    private void create(Pod p) {
        client.pods().inNamespace("default").resource(p).create();
        client.pods().inNamespace("default").resource(p).updateStatus();
    }

    private static Pod pod(String name, String node, String app, int port, String ip) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata();
        if (app != null) {
            b.editMetadata().addToLabels("app", app).endMetadata();
        }
        return b.withNewSpec().withNodeName(node)
                .addToContainers(new ContainerBuilder().withName("exporter").withImage("nginx-exporter")
                        .addNewPort().withContainerPort(port).withProtocol("TCP").endPort().build())
                .endSpec().withNewStatus().withPodIP(ip).withPhase("Running").endStatus().build();
    }

    private PrometheusConfig seedConfig() throws Exception {
        String url = server.url("/").replaceAll("/$", "");
        return ConfigLoader.parse("""
                scrape_configs:
                  - job_name: nginx
                    kubernetes_sd_configs:
                      - role: pod
                        api_server: %s
                    relabel_configs:
                      - source_labels: [__meta_kubernetes_pod_node_name]
                        regex: worker1
                        action: keep
                      - source_labels: [__meta_kubernetes_pod_label_app]
                        regex: nginx-exporter
                        action: keep
                      - source_labels: [__meta_kubernetes_pod_container_port_number]
                        regex: (.*)9113
                        action: keep
                """.formatted(url), "seed.yml");
    }

    private Set<String> targets(boolean pushDown) throws Exception {
        try (Pipeline sf = Pipeline.builder().config(seedConfig()).kubernetesPushDown(pushDown).build()) {
            sf.scrapes().subscribe(b -> { });
            sf.start();
            sf.ready().block(Duration.ofSeconds(60));
            Map<String, TargetSet> sets = sf.targets()
                    .filter(m -> m.containsKey("nginx") && !m.get("nginx").active().isEmpty())
                    .blockFirst(Duration.ofSeconds(60));
            Set<String> out = new TreeSet<>();
            for (Target t : sets.get("nginx").active()) {
                out.add(t.labels().get("instance") + " " + t.discoveredLabels().get("__meta_kubernetes_pod_name"));
            }
            return out;
        }
    }

    private List<String> podRequests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            String path = URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8);
            if (path.startsWith("/api/v1/pods") || path.contains("/pods?")) {
                out.add(path);
            }
        }
        return out;
    }

    @Test
    void seedTargetsWithoutPushDownAndANarrowedWatchWithIt() throws Exception {
        podRequests(); // forget the set-up requests
        Set<String> without = targets(false);
        List<String> plainRequests = podRequests();

        // worker1 + nginx-exporter + port 9113: the first pod created (127.0.0.2)
        assertThat(without).containsExactly("127.0.0.2:9113 p2");
        assertThat(plainRequests).isNotEmpty().noneMatch(p -> p.contains("Selector"));

        try (Pipeline sf = Pipeline.builder().config(seedConfig()).build()) {
            sf.scrapes().subscribe(b -> { });
            sf.start();
            sf.ready().block(Duration.ofSeconds(60));
            List<String> narrowed = podRequests();
            assertThat(narrowed).isNotEmpty()
                    .allMatch(p -> p.contains("fieldSelector=spec.nodeName=worker1")
                            && p.contains("labelSelector=app=nginx-exporter"));
        }
    }
}
