package io.scrapeflux.discovery.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * The small projections of Kubernetes objects that discovery keeps: only the fields that meta labels
 * read. fabric8 objects are projected into these as they arrive and then dropped, so memory per pod is
 * a few strings and maps rather than a full {@code Pod} with its spec, status and managed fields.
 */
final class K8sObjects {

    private K8sObjects() {
    }

    /** Object metadata that labels use. Maps are immutable; missing maps are empty. */
    record Meta(String namespace, String name, String uid, Map<String, String> labels,
            Map<String, String> annotations) {

        /** {@code namespace/name}, or {@code name} for cluster-scoped objects, as informer keys. */
        String key() {
            return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
        }
    }

    record ContainerPort(String name, int number, String protocol) {
    }

    record Container(String name, String image, String id, boolean init, List<ContainerPort> ports) {
    }

    /** A pod; {@code ready} is Prometheus's lower-cased Ready condition ("true", "false" or "unknown"). */
    record Pod(Meta meta, String nodeName, String podIP, String podIPv4, String podIPv6, String hostIP,
            String phase, String ready, String controllerKind, String controllerName, List<Container> containers) {

        /** Regular containers first, then init containers, as Prometheus enumerates them. */
        List<Container> allContainers() {
            return containers;
        }
    }

    record NodeAddress(String type, String address) {
    }

    record Node(Meta meta, String providerId, List<NodeAddress> addresses, int kubeletPort) {
    }

    record ServicePort(String name, int port, String protocol) {
    }

    record Service(Meta meta, String type, String clusterIP, String externalName, String loadBalancerIP,
            List<ServicePort> ports) {
    }

    /** A reference from an endpoint address to the object behind it (usually a pod). */
    record TargetRef(String kind, String namespace, String name) {
    }

    record EndpointAddress(String ip, String hostname, String nodeName, TargetRef targetRef) {
    }

    record EndpointPort(String name, int port, String protocol) {
    }

    record EndpointSubset(List<EndpointAddress> addresses, List<EndpointAddress> notReadyAddresses,
            List<EndpointPort> ports) {
    }

    record Endpoints(Meta meta, List<EndpointSubset> subsets) {
    }

    /** An endpointslice port; every field may be absent (null) in the API. */
    record SlicePort(String name, Integer port, String protocol, String appProtocol) {
    }

    record SliceEndpoint(List<String> addresses, Boolean ready, Boolean serving, Boolean terminating,
            String hostname, String nodeName, String zone, TargetRef targetRef, Map<String, String> topology) {
    }

    record EndpointSlice(Meta meta, String addressType, List<SlicePort> ports, List<SliceEndpoint> endpoints) {
    }

    /** One ingress rule; {@code paths} is null when the rule has no HTTP section (Prometheus then uses "/"). */
    record IngressRule(String host, List<String> paths) {
    }

    record Ingress(Meta meta, String className, List<String> tlsHosts, List<IngressRule> rules) {
    }

    record Namespace(Meta meta) {
    }
}
