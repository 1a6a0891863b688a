package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.FailureReporter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactoryTest {

    @Test
    void registersWithTheDiscoveryRegistryAndCreatesColdDiscoverers() {
        try (KubernetesInformerPool pool = new KubernetesInformerPool()) {
            DiscovererRegistry registry = new DiscovererRegistry(List.of()).with(new KubernetesDiscovererFactory(pool));
            KubernetesSdConfig cfg = new KubernetesSdConfig("http://127.0.0.1:1", "pod", null, null, List.of(), null,
                    HttpClientConfig.DEFAULT);
            assertThat(registry.supports(cfg)).isTrue();
            assertThat(registry.create(cfg, FailureReporter.NONE)).isInstanceOf(KubernetesDiscovery.class);
            assertThat(pool.activeWatches()).isZero(); // nothing runs until subscribed
        }
    }

    @Test
    void invalidConfigIsRejectedWithPrometheusMessages() {
        KubernetesSdConfig bad = new KubernetesSdConfig("http://127.0.0.1:1", "pod", "/kube.yaml", null, List.of(),
                null, HttpClientConfig.DEFAULT);
        assertThatThrownBy(() -> KubernetesDiscovery.create("job", bad, List.of(), new KubernetesInformerPool(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
    }
}
