package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Supplier;

/** The Kubernetes resources discovery watches, with how to reach each through fabric8. */
enum ResourceKind {
    PODS(true, io.fabric8.kubernetes.api.model.Pod::new),
    NODES(false, io.fabric8.kubernetes.api.model.Node::new),
    SERVICES(true, io.fabric8.kubernetes.api.model.Service::new),
    ENDPOINTS(true, io.fabric8.kubernetes.api.model.Endpoints::new),
    ENDPOINTSLICES(true, io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice::new),
    INGRESSES(true, io.fabric8.kubernetes.api.model.networking.v1.Ingress::new),
    NAMESPACES(false, io.fabric8.kubernetes.api.model.Namespace::new);

    final boolean namespaced;
    /** Makes the empty object the informer's key-only store hands back as a stand-in. */
    final Supplier<? extends HasMetadata> blank;

    ResourceKind(boolean namespaced, Supplier<? extends HasMetadata> blank) {
        this.namespaced = namespaced;
        this.blank = blank;
    }

    /** The list/watch operation for {@code namespace} ("" = all namespaces), not yet filtered. */
    FilterWatchListDeletable<? extends HasMetadata, ?, ?> operation(KubernetesClient c, String namespace) {
        return switch (this) {
            case PODS -> scoped(c.pods(), namespace);
            case SERVICES -> scoped(c.services(), namespace);
            case ENDPOINTS -> scoped(c.endpoints(), namespace);
            case ENDPOINTSLICES -> scoped(c.discovery().v1().endpointSlices(), namespace);
            case INGRESSES -> scoped(c.network().v1().ingresses(), namespace);
            case NODES -> c.nodes();
            case NAMESPACES -> c.namespaces();
        };
    }

    private static <T extends HasMetadata, L, R extends Resource<T>> FilterWatchListDeletable<T, L, R> scoped(
            MixedOperation<T, L, R> op, String namespace) {
        if (namespace.isEmpty()) {
            AnyNamespaceOperation<T, L, R> any = op.inAnyNamespace();
            return any;
        }
        return op.inNamespace(namespace);
    }
}
