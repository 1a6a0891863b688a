package io.scrapeflux.discovery.kubernetes;

import static io.scrapeflux.discovery.kubernetes.MetaLabels.*;

import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Container;
import io.scrapeflux.discovery.kubernetes.K8sObjects.ContainerPort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointAddress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointPort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointSubset;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Endpoints;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointSlice;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Ingress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.IngressRule;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Namespace;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Node;
import io.scrapeflux.discovery.kubernetes.K8sObjects.NodeAddress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Pod;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Service;
import io.scrapeflux.discovery.kubernetes.K8sObjects.ServicePort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.SliceEndpoint;
import io.scrapeflux.discovery.kubernetes.K8sObjects.SlicePort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.TargetRef;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Prometheus's target groups from projected objects, one method per role. Label names and
 * values follow Prometheus 3's Kubernetes discovery; related objects (the pod behind an endpoint, the
 * service of an endpointslice, attached node and namespace metadata) come from a {@link Lookup}.
 */
final class TargetGroups {

    /** Related objects by key; each returns null when absent or not watched. */
    interface Lookup {
        Pod pod(String namespace, String name);

        Service service(String namespace, String name);

        /** Only answers when {@code attach_metadata.node} is on. */
        Node node(String name);

        /** Only answers when {@code attach_metadata.namespace} is on. */
        Namespace namespace(String name);

        Lookup NONE = new Lookup() {
            @Override
            public Pod pod(String namespace, String name) {
                return null;
            }

            @Override
            public Service service(String namespace, String name) {
                return null;
            }

            @Override
            public Node node(String name) {
                return null;
            }

            @Override
            public Namespace namespace(String name) {
                return null;
            }
        };
    }

    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private TargetGroups() {
    }

    static String podSource(String namespace, String name) {
        return "pod/" + namespace + "/" + name;
    }

    static String nodeSource(String name) {
        return "node/" + name;
    }

    static String serviceSource(String namespace, String name) {
        return "svc/" + namespace + "/" + name;
    }

    static String endpointsSource(String namespace, String name) {
        return "endpoints/" + namespace + "/" + name;
    }

    static String endpointSliceSource(String namespace, String name) {
        return "endpointslice/" + namespace + "/" + name;
    }

    static String ingressSource(String namespace, String name) {
        return "ingress/" + namespace + "/" + name;
    }

    // ---- pod ----

    static TargetGroup pod(Pod pod, Lookup lookup) {
        String source = podSource(pod.meta().namespace(), pod.meta().name());
        if (pod.podIP().isEmpty()) {
            // No IP yet (starting) or evicted: Prometheus sends the group without targets.
            return TargetGroup.removed(source);
        }
        LabelsBuilder group = Labels.builder();
        podLabels(group, pod);
        group.set(NAMESPACE, pod.meta().namespace());
        nodeLabels(group, lookup, pod.nodeName());
        namespaceLabels(group, lookup, pod.meta().namespace());

        List<Labels> targets = new ArrayList<>();
        for (Container c : pod.containers()) {
            if (c.ports().isEmpty()) {
                String addr = pod.podIP().indexOf(':') >= 0 ? "[" + pod.podIP() + "]" : pod.podIP();
                targets.add(Labels.builder().set(ADDRESS, addr).set(POD_CONTAINER_NAME, c.name())
                        .set(POD_CONTAINER_ID, c.id()).set(POD_CONTAINER_IMAGE, c.image())
                        .set(POD_CONTAINER_INIT, Boolean.toString(c.init())).build());
                continue;
            }
            for (ContainerPort p : c.ports()) {
                targets.add(Labels.builder().set(ADDRESS, joinHostPort(pod.podIP(), p.number()))
                        .set(POD_CONTAINER_NAME, c.name()).set(POD_CONTAINER_ID, c.id())
                        .set(POD_CONTAINER_IMAGE, c.image()).set(POD_CONTAINER_PORT_NUMBER, Integer.toString(p.number()))
                        .set(POD_CONTAINER_PORT_NAME, p.name()).set(POD_CONTAINER_PORT_PROTOCOL, p.protocol())
                        .set(POD_CONTAINER_INIT, Boolean.toString(c.init())).build());
            }
        }
        return new TargetGroup(source, targets, group.build());
    }

    /** The pod's own labels, shared by the pod role and pod-backed endpoints. */
    static void podLabels(LabelsBuilder b, Pod pod) {
        b.set(POD_IP, pod.podIP());
        b.set(POD_READY, pod.ready());
        b.set(POD_PHASE, pod.phase());
        b.set(POD_NODE_NAME, pod.nodeName());
        b.set(POD_HOST_IP, pod.hostIP());
        b.set(POD_UID, pod.meta().uid());
        b.set(POD_IPV4, pod.podIPv4());
        b.set(POD_IPV6, pod.podIPv6());
        objectMeta(b, pod.meta(), "pod");
        b.set(POD_CONTROLLER_KIND, pod.controllerKind());
        b.set(POD_CONTROLLER_NAME, pod.controllerName());
    }

    /** {@code attach_metadata.node}: the node's name and labels (not annotations), as Prometheus. */
    static void nodeLabels(LabelsBuilder b, Lookup lookup, String nodeName) {
        if (nodeName == null) {
            return;
        }
        Node node = lookup.node(nodeName);
        if (node == null) {
            return;
        }
        b.set(NODE_NAME, nodeName);
        mapWithPresence(b, node.meta().labels(), PREFIX + "node_label_", PREFIX + "node_labelpresent_");
    }

    /** {@code attach_metadata.namespace}: the namespace's labels and annotations. */
    static void namespaceLabels(LabelsBuilder b, Lookup lookup, String namespace) {
        Namespace ns = lookup.namespace(namespace);
        if (ns == null) {
            return;
        }
        mapWithPresence(b, ns.meta().labels(), PREFIX + "namespace_label_", PREFIX + "namespace_labelpresent_");
        mapWithPresence(b, ns.meta().annotations(), PREFIX + "namespace_annotation_",
                PREFIX + "namespace_annotationpresent_");
    }

    // ---- node ----

    /** The node's group, or null when the node has no usable address (Prometheus then sends nothing). */
    static TargetGroup node(Node node) {
        Map<String, String> firstByType = new LinkedHashMap<>();
        for (NodeAddress a : node.addresses()) {
            firstByType.putIfAbsent(a.type(), a.address());
        }
        String addr = null;
        for (String type : new String[] {"InternalIP", "ExternalIP", "LegacyHostIP", "Hostname"}) {
            if (firstByType.containsKey(type)) {
                addr = firstByType.get(type);
                break;
            }
        }
        if (addr == null) {
            return null;
        }
        LabelsBuilder group = Labels.builder();
        objectMeta(group, node.meta(), "node");
        group.set(NODE_PROVIDER_ID, node.providerId());
        LabelsBuilder t = Labels.builder().set(ADDRESS, joinHostPort(addr, node.kubeletPort()))
                .set(INSTANCE, node.meta().name());
        firstByType.forEach((type, a) -> t.set(sanitize(NODE_ADDRESS_PREFIX + type), a));
        return new TargetGroup(nodeSource(node.meta().name()), List.of(t.build()), group.build());
    }

    // ---- service ----

    static void serviceLabels(LabelsBuilder b, Service svc) {
        b.set(NAMESPACE, svc.meta().namespace());
        objectMeta(b, svc.meta(), "service");
    }

    static TargetGroup service(Service svc, Lookup lookup) {
        LabelsBuilder group = Labels.builder();
        serviceLabels(group, svc);
        namespaceLabels(group, lookup, svc.meta().namespace());
        List<Labels> targets = new ArrayList<>();
        for (ServicePort p : svc.ports()) {
            LabelsBuilder t = Labels.builder()
                    .set(ADDRESS, joinHostPort(svc.meta().name() + "." + svc.meta().namespace() + ".svc", p.port()))
                    .set(SERVICE_PORT_NAME, p.name()).set(SERVICE_PORT_NUMBER, Integer.toString(p.port()))
                    .set(SERVICE_PORT_PROTOCOL, p.protocol()).set(SERVICE_TYPE, svc.type());
            if ("ExternalName".equals(svc.type())) {
                t.set(SERVICE_EXTERNAL_NAME, svc.externalName());
            } else {
                t.set(SERVICE_CLUSTER_IP, svc.clusterIP());
            }
            if ("LoadBalancer".equals(svc.type())) {
                t.set(SERVICE_LOADBALANCER_IP, svc.loadBalancerIP());
            }
            targets.add(t.build());
        }
        return new TargetGroup(serviceSource(svc.meta().namespace(), svc.meta().name()), targets, group.build());
    }

    // ---- endpoints and endpointslice: shared pod logic ----

    /** Pods seen behind endpoint addresses, with the endpoint ports already turned into targets. */
    private static final class SeenPods {
        final Map<String, Pod> pods = new LinkedHashMap<>();
        final Map<String, List<Integer>> ports = new LinkedHashMap<>();

        void add(Pod pod, Integer port) {
            String k = pod.meta().key();
            pods.putIfAbsent(k, pod);
            ports.computeIfAbsent(k, x -> new ArrayList<>()).add(port);
        }

        /** Targets for container ports of seen pods that no endpoint port covered. */
        void addUncovered(List<Labels> targets) {
            for (Map.Entry<String, Pod> e : pods.entrySet()) {
                Pod pod = e.getValue();
                if (pod.podIP().isEmpty()) {
                    continue;
                }
                List<Integer> covered = ports.get(e.getKey());
                for (Container c : pod.containers()) {
                    for (ContainerPort cp : c.ports()) {
                        if (covered.contains(cp.number())) {
                            continue;
                        }
                        LabelsBuilder t = Labels.builder().set(ADDRESS, joinHostPort(pod.podIP(), cp.number()));
                        containerPortLabels(t, c, cp);
                        podLabels(t, pod);
                        targets.add(t.build());
                    }
                }
            }
        }
    }

    private static void containerPortLabels(LabelsBuilder t, Container c, ContainerPort cp) {
        t.set(POD_CONTAINER_NAME, c.name());
        t.set(POD_CONTAINER_IMAGE, c.image());
        t.set(POD_CONTAINER_PORT_NAME, cp.name());
        t.set(POD_CONTAINER_PORT_NUMBER, Integer.toString(cp.number()));
        t.set(POD_CONTAINER_PORT_PROTOCOL, cp.protocol());
        t.set(POD_CONTAINER_INIT, Boolean.toString(c.init()));
    }

    /** Adds pod labels and the labels of the container port matching {@code port}; returns the pod or null. */
    private static Pod attachPod(LabelsBuilder t, TargetRef ref, Integer port, Lookup lookup) {
        if (ref == null || !"Pod".equals(ref.kind())) {
            return null;
        }
        Pod pod = lookup.pod(ref.namespace(), ref.name());
        if (pod == null) {
            return null;
        }
        podLabels(t, pod);
        if (port != null) {
            outer:
            for (Container c : pod.containers()) {
                for (ContainerPort cp : c.ports()) {
                    if (cp.number() == port) {
                        containerPortLabels(t, c, cp);
                        break outer;
                    }
                }
            }
        }
        return pod;
    }

    // ---- endpoints ----

    static TargetGroup endpoints(Endpoints eps, Lookup lookup) {
        String ns = eps.meta().namespace();
        LabelsBuilder group = Labels.builder();
        group.set(NAMESPACE, ns);
        objectMeta(group, eps.meta(), "endpoints");
        Service svc = lookup.service(ns, eps.meta().name());
        if (svc != null) {
            serviceLabels(group, svc);
        }
        namespaceLabels(group, lookup, ns);

        List<Labels> targets = new ArrayList<>();
        SeenPods seen = new SeenPods();
        for (EndpointSubset ss : eps.subsets()) {
            for (EndpointPort port : ss.ports()) {
                for (EndpointAddress a : ss.addresses()) {
                    targets.add(endpointTarget(a, port, "true", lookup, seen));
                }
                for (EndpointAddress a : ss.notReadyAddresses()) {
                    targets.add(endpointTarget(a, port, "false", lookup, seen));
                }
            }
        }
        seen.addUncovered(targets);
        return new TargetGroup(endpointsSource(ns, eps.meta().name()), targets, group.build());
    }

    private static Labels endpointTarget(EndpointAddress a, EndpointPort port, String ready, Lookup lookup,
            SeenPods seen) {
        LabelsBuilder t = Labels.builder().set(ADDRESS, joinHostPort(a.ip(), port.port()))
                .set(ENDPOINT_PORT_NAME, port.name()).set(ENDPOINT_PORT_PROTOCOL, port.protocol())
                .set(ENDPOINT_READY, ready);
        if (a.targetRef() != null) {
            t.set(ENDPOINT_ADDRESS_TARGET_KIND, a.targetRef().kind());
            t.set(ENDPOINT_ADDRESS_TARGET_NAME, a.targetRef().name());
        }
        if (a.nodeName() != null) {
            t.set(ENDPOINT_NODE_NAME, a.nodeName());
        }
        t.set(ENDPOINT_HOSTNAME, a.hostname());
        nodeLabels(t, lookup, a.nodeName());
        Pod pod = attachPod(t, a.targetRef(), port.port(), lookup);
        if (pod != null) {
            seen.add(pod, port.port());
        }
        return t.build();
    }

    // ---- endpointslice ----

    static TargetGroup endpointSlice(EndpointSlice es, Lookup lookup) {
        String ns = es.meta().namespace();
        LabelsBuilder group = Labels.builder();
        group.set(NAMESPACE, ns);
        group.set(SLICE_ADDRESS_TYPE, es.addressType());
        objectMeta(group, es.meta(), "endpointslice");
        String svcName = es.meta().labels().get(SERVICE_NAME_LABEL);
        if (svcName != null) {
            Service svc = lookup.service(ns, svcName);
            if (svc != null) {
                serviceLabels(group, svc);
            }
        }
        namespaceLabels(group, lookup, ns);

        List<Labels> targets = new ArrayList<>();
        SeenPods seen = new SeenPods();
        for (SliceEndpoint ep : es.endpoints()) {
            for (SlicePort port : es.ports()) {
                for (String addr : ep.addresses()) {
                    targets.add(sliceTarget(addr, ep, port, lookup, seen));
                }
            }
        }
        seen.addUncovered(targets);
        return new TargetGroup(endpointSliceSource(ns, es.meta().name()), targets, group.build());
    }

    private static Labels sliceTarget(String addr, SliceEndpoint ep, SlicePort port, Lookup lookup, SeenPods seen) {
        LabelsBuilder t = Labels.builder()
                .set(ADDRESS, port.port() == null ? addr : joinHostPort(addr, port.port()));
        setIfPresent(t, SLICE_PORT_NAME, port.name());
        setIfPresent(t, SLICE_PORT_PROTOCOL, port.protocol());
        if (port.port() != null) {
            t.set(SLICE_PORT, Integer.toString(port.port()));
        }
        setIfPresent(t, SLICE_PORT_APP_PROTOCOL, port.appProtocol());
        if (ep.ready() != null) {
            t.set(SLICE_READY, ep.ready().toString());
        }
        if (ep.serving() != null) {
            t.set(SLICE_SERVING, ep.serving().toString());
        }
        if (ep.terminating() != null) {
            t.set(SLICE_TERMINATING, ep.terminating().toString());
        }
        setIfPresent(t, SLICE_HOSTNAME, ep.hostname());
        if (ep.targetRef() != null) {
            t.set(SLICE_TARGET_KIND, ep.targetRef().kind());
            t.set(SLICE_TARGET_NAME, ep.targetRef().name());
        }
        setIfPresent(t, SLICE_NODE_NAME, ep.nodeName());
        setIfPresent(t, SLICE_ZONE, ep.zone());
        mapWithPresence(t, ep.topology(), SLICE_TOPOLOGY_PREFIX, SLICE_TOPOLOGY_PRESENT_PREFIX);
        if (ep.targetRef() != null && "Node".equals(ep.targetRef().kind())) {
            nodeLabels(t, lookup, ep.targetRef().name());
        } else {
            nodeLabels(t, lookup, ep.nodeName());
        }
        Pod pod = attachPod(t, ep.targetRef(), port.port(), lookup);
        if (pod != null) {
            seen.add(pod, port.port());
        }
        return t.build();
    }

    private static void setIfPresent(LabelsBuilder b, String name, String value) {
        if (value != null) {
            b.set(name, value);
        }
    }

    // ---- ingress ----

    static TargetGroup ingress(Ingress ing, Lookup lookup) {
        LabelsBuilder group = Labels.builder();
        group.set(NAMESPACE, ing.meta().namespace());
        objectMeta(group, ing.meta(), "ingress");
        if (ing.className() != null) {
            group.set(INGRESS_CLASS_NAME, ing.className());
        }
        namespaceLabels(group, lookup, ing.meta().namespace());
        List<Labels> targets = new ArrayList<>();
        for (IngressRule rule : ing.rules()) {
            String scheme = "http";
            for (String pattern : ing.tlsHosts()) {
                if (matchesHostnamePattern(pattern, rule.host())) {
                    scheme = "https";
                    break;
                }
            }
            List<String> paths = rule.paths() == null ? List.of("/") : rule.paths();
            for (String path : paths) {
                targets.add(Labels.builder().set(ADDRESS, rule.host()).set(INGRESS_SCHEME, scheme)
                        .set(INGRESS_HOST, rule.host()).set(INGRESS_PATH, path.isEmpty() ? "/" : path).build());
            }
        }
        return new TargetGroup(ingressSource(ing.meta().namespace(), ing.meta().name()), targets, group.build());
    }

    /** Exact match, or a leading {@code *} label matching exactly one DNS label of the host. */
    static boolean matchesHostnamePattern(String pattern, String host) {
        if (pattern.equals(host)) {
            return true;
        }
        String[] p = pattern.split("\\.", -1);
        String[] h = host.split("\\.", -1);
        if (p.length == 0 || !p[0].equals("*") || p.length != h.length) {
            return false;
        }
        for (int i = 1; i < p.length; i++) {
            if (!p[i].equals(h[i])) {
                return false;
            }
        }
        return true;
    }
}
