package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.KubernetesSdConfig.AttachMetadata;
import io.scrapeflux.config.KubernetesSdConfig.Namespaces;
import io.scrapeflux.config.KubernetesSdConfig.Selector;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private static KubernetesSdConfig cfg(String role, List<Selector> selectors) {
        return new KubernetesSdConfig(null, role, null, Namespaces.ALL, selectors, AttachMetadata.NONE,
                HttpClientConfig.DEFAULT);
    }

    @Test
    void selectorRolesAsPrometheus() {
        assertThat(KubernetesDiscovery.validate(cfg("pod", List.of(new Selector("pod", "app=x", "spec.nodeName=a"),
                new Selector("node", "", ""))))).isEmpty();
        assertThat(KubernetesDiscovery.validate(cfg("endpoints", List.of(new Selector("pod", "", ""),
                new Selector("service", "", ""), new Selector("endpoints", "", ""))))).isEmpty();
        assertThat(KubernetesDiscovery.validate(cfg("service", List.of(new Selector("pod", "", "")))))
                .containsExactly("service role supports only service selectors");
        assertThat(KubernetesDiscovery.validate(cfg("endpointslice", List.of(new Selector("node", "", "")))))
                .containsExactly("endpointslice role supports only pod, service, endpointslice selectors");
        assertThat(KubernetesDiscovery.validate(cfg("pod", List.of(new Selector("pod", "", ""),
                new Selector("pod", "", ""))))).containsExactly("duplicated selector role: pod");
    }

    @Test
    void selectorSyntax() {
        assertThat(KubernetesDiscovery.validate(cfg("pod", List.of(new Selector("pod",
                "app in (a,b),!legacy,tier!=x,env", "metadata.name!=x,spec.nodeName==n"))))).isEmpty();
        // The same checks and wording as at config load (config.KubernetesSelectors), for configs built in code.
        assertThat(KubernetesDiscovery.validate(cfg("pod", List.of(new Selector("pod", "app in a", "")))))
                .containsExactly("selectors: values of \"app in a\" must be in parentheses in label selector \"app in a\"");
        assertThat(KubernetesDiscovery.validate(cfg("pod", List.of(new Selector("pod", "", "spec.nodeName")))))
                .containsExactly("selectors: expected field=value or field!=value, got \"spec.nodeName\" in field "
                        + "selector \"spec.nodeName\"");
    }

    @Test
    void roleAndConnectionChecks() {
        assertThat(KubernetesDiscovery.validate(cfg(null, List.of()))).singleElement().asString().startsWith("role missing");
        assertThat(KubernetesDiscovery.validate(cfg("pods", List.of())))
                .containsExactly("unknown Kubernetes SD role \"pods\"");
        HttpClientConfig bearer = new HttpClientConfig(null, new Authorization("Bearer", Secret.of("t"), null), null,
                TlsConfig.DEFAULT, null, null, false, Map.of(), true, true, Map.of());
        assertThat(KubernetesDiscovery.validate(new KubernetesSdConfig("https://k:6443", "pod", "/k.yaml",
                Namespaces.ALL, List.of(), AttachMetadata.NONE, HttpClientConfig.DEFAULT)))
                .containsExactly("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        assertThat(KubernetesDiscovery.validate(new KubernetesSdConfig(null, "pod", null, Namespaces.ALL, List.of(),
                AttachMetadata.NONE, bearer)))
                .containsExactly("to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        assertThat(KubernetesDiscovery.validate(new KubernetesSdConfig("https://k:6443", "pod", null,
                new Namespaces(true, List.of()), List.of(), AttachMetadata.NONE, bearer)))
                .containsExactly("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
    }

    @Test
    void sanitisingAsStrutil() {
        assertThat(MetaLabels.sanitize("app.kubernetes.io/name")).isEqualTo("app_kubernetes_io_name");
        assertThat(MetaLabels.sanitize("1-a_b")).isEqualTo("1_a_b");
        assertThat(MetaLabels.sanitize("ünï")).isEqualTo("_n_");
    }

    @Test
    void httpSettingsMapOntoFabric8Config() {
        HttpClientConfig http = new HttpClientConfig(null, new Authorization("Bearer", Secret.of("tok"), null), null,
                new TlsConfig(null, null, null, null, null, null, "api.local", true, null, null),
                "http://127.0.0.1:3128", "10.0.0.0/8,.cluster.local", false, Map.of(), true, false, Map.of());
        var c = ClientConfigs.build(new ClientKey("https://127.0.0.1:6443", null, http));
        assertThat(c.getMasterUrl()).startsWith("https://127.0.0.1:6443");
        assertThat(c.getOauthToken()).isEqualTo("tok");
        assertThat(c.isTrustCerts()).isTrue();
        assertThat(c.isDisableHostnameVerification()).isTrue();
        assertThat(c.getTlsServerName()).isEqualTo("api.local");
        assertThat(c.getHttpsProxy()).isEqualTo("http://127.0.0.1:3128");
        assertThat(c.getNoProxy()).containsExactly("10.0.0.0/8", ".cluster.local");
        assertThat(c.isHttp2Disable()).isTrue();
        assertThat(c.getWatchReconnectLimit()).isEqualTo(-1);
    }
}
