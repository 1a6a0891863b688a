package io.scrapeflux.config;

import java.util.List;

/** {@code kubernetes_sd_configs}. {@code role} is one of pod, node, service, endpoints,
 * endpointslice, ingress. {@code apiServer} and {@code kubeconfigFile} are exclusive; both absent means in-cluster. */
public record KubernetesSdConfig(
        String apiServer,
        String role,
        String kubeconfigFile,
        Namespaces namespaces,
        List<Selector> selectors,
        AttachMetadata attachMetadata,
        HttpClientConfig http) implements SdConfig {

    /** {@code namespaces}: explicit names and/or the pod's own namespace; empty means all. */
    public record Namespaces(boolean ownNamespace, List<String> names) {
        public static final Namespaces ALL = new Namespaces(false, List.of());
    }

    /** One entry of {@code selectors}: a role with label and field selectors in Kubernetes syntax. */
    public record Selector(String role, String label, String field) {
    }

    /** {@code attach_metadata}. */
    public record AttachMetadata(boolean node, boolean namespace) {
        public static final AttachMetadata NONE = new AttachMetadata(false, false);
    }

    @Override
    public String mechanism() {
        return "kubernetes";
    }
}
