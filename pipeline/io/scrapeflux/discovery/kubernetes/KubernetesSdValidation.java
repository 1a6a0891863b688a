package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.KubernetesSdConfig.Selector;
import io.scrapeflux.config.KubernetesSelectors;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Prometheus's validation of {@code kubernetes_sd_configs}, with its messages. */
final class KubernetesSdValidation {

    private static final Map<KubernetesRole, List<String>> ALLOWED_SELECTORS = new EnumMap<>(Map.of(
            KubernetesRole.POD, List.of("pod", "node"),
            KubernetesRole.SERVICE, List.of("service"),
            KubernetesRole.ENDPOINTSLICE, List.of("pod", "service", "endpointslice"),
            KubernetesRole.ENDPOINTS, List.of("pod", "service", "endpoints"),
            KubernetesRole.NODE, List.of("node"),
            KubernetesRole.INGRESS, List.of("ingress")));

    private KubernetesSdValidation() {
    }

    static List<String> validate(KubernetesSdConfig c) {
        List<String> errors = new ArrayList<>();
        if (c.role() == null || c.role().isEmpty()) {
            errors.add("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
            return errors;
        }
        KubernetesRole role = KubernetesRole.fromConfig(c.role()).orElse(null);
        if (role == null) {
            errors.add("unknown Kubernetes SD role \"" + c.role() + "\"");
            return errors;
        }
        boolean customHttp = c.http() != null && !c.http().equals(HttpClientConfig.DEFAULT);
        boolean own = c.namespaces() != null && c.namespaces().ownNamespace();
        if (c.apiServer() != null && c.kubeconfigFile() != null) {
            errors.add("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        if (c.kubeconfigFile() != null && customHttp) {
            errors.add("cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
        }
        if (c.apiServer() == null && c.kubeconfigFile() == null && customHttp) {
            errors.add("to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        }
        if (c.apiServer() != null && own) {
            errors.add("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
        }
        if (c.kubeconfigFile() != null && own) {
            errors.add("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
        }
        Set<String> seen = new HashSet<>();
        List<String> allowed = ALLOWED_SELECTORS.get(role);
        if (c.selectors() != null) {
            for (Selector s : c.selectors()) {
                if (!seen.add(String.valueOf(s.role()))) {
                    errors.add("duplicated selector role: " + s.role());
                    continue;
                }
                if (!allowed.contains(s.role())) {
                    errors.add(role.configName() + " role supports only " + String.join(", ", allowed) + " selectors");
                    continue;
                }
                String fieldErr = s.field() == null || s.field().isBlank() ? null
                        : KubernetesSelectors.fieldSelectorProblem(s.field());
                if (fieldErr != null) {
                    errors.add("selectors: " + fieldErr);
                }
                String labelErr = s.label() == null || s.label().isBlank() ? null
                        : KubernetesSelectors.labelSelectorProblem(s.label());
                if (labelErr != null) {
                    errors.add("selectors: " + labelErr);
                }
            }
        }
        return errors;
    }
}
