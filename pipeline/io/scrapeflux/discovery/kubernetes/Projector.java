package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Container;
import io.scrapeflux.discovery.kubernetes.K8sObjects.ContainerPort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointAddress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointPort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Endpoints;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointSlice;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Ingress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.IngressRule;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Meta;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Namespace;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Node;
import io.scrapeflux.discovery.kubernetes.K8sObjects.NodeAddress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Pod;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Service;
import io.scrapeflux.discovery.kubernetes.K8sObjects.ServicePort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.SliceEndpoint;
import io.scrapeflux.discovery.kubernetes.K8sObjects.SlicePort;
import io.scrapeflux.discovery.kubernetes.K8sObjects.TargetRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns fabric8 model objects into the {@link K8sObjects} projections; nothing else of them is kept. */
final class Projector {

    private Projector() {
    }

    static Meta meta(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        return new Meta(nz(m.getNamespace()), str(m.getName()), str(m.getUid()), copy(m.getLabels()),
                copy(m.getAnnotations()));
    }

    static Pod pod(io.fabric8.kubernetes.api.model.Pod p) {
        var spec = p.getSpec();
        var status = p.getStatus();
        String podIP = status == null ? "" : str(status.getPodIP());
        String v4 = "";
        String v6 = "";
        if (status != null && status.getPodIPs() != null) {
            for (PodIP ip : status.getPodIPs()) {
                String a = ip.getIp();
                if (a == null || a.isEmpty()) {
                    continue;
                }
                if (v4.isEmpty() && isIPv4(a)) {
                    v4 = a;
                } else if (v6.isEmpty() && !isIPv4(a) && isIPv6(a)) {
                    v6 = a;
                }
            }
        }
        String ready = "unknown";
        if (status != null && status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("Ready".equals(c.getType())) {
                    ready = nz(c.getStatus()).toLowerCase(Locale.ROOT);
                    break;
                }
            }
        }
        String controllerKind = "";
        String controllerName = "";
        List<OwnerReference> owners = p.getMetadata().getOwnerReferences();
        if (owners != null) {
            for (OwnerReference o : owners) {
                if (Boolean.TRUE.equals(o.getController())) {
                    controllerKind = nz(o.getKind());
                    controllerName = nz(o.getName());
                    break;
                }
            }
        }
        List<Container> containers = new ArrayList<>();
        if (spec != null) {
            addContainers(containers, spec.getContainers(), status == null ? null : status.getContainerStatuses(), false);
            addContainers(containers, spec.getInitContainers(),
                    status == null ? null : status.getInitContainerStatuses(), true);
        }
        return new Pod(meta(p), spec == null ? "" : nz(spec.getNodeName()), podIP, v4, v6,
                status == null ? "" : nz(status.getHostIP()), status == null ? "" : nz(status.getPhase()), ready,
                controllerKind, controllerName, List.copyOf(containers));
    }

    private static void addContainers(List<Container> out, List<io.fabric8.kubernetes.api.model.Container> cs,
            List<ContainerStatus> statuses, boolean init) {
        if (cs == null) {
            return;
        }
        for (var c : cs) {
            String id = "";
            if (statuses != null) {
                for (ContainerStatus s : statuses) {
                    if (c.getName() != null && c.getName().equals(s.getName())) {
                        id = str(s.getContainerID());
                        break;
                    }
                }
            }
            List<ContainerPort> ports = c.getPorts() == null ? List.of()
                    : c.getPorts().stream()
                            .map(pt -> new ContainerPort(nz(pt.getName()), pt.getContainerPort() == null ? 0
                                    : pt.getContainerPort(), nz(pt.getProtocol())))
                            .toList();
            out.add(new Container(nz(c.getName()), nz(c.getImage()), id, init, ports));
        }
    }

    static Node node(io.fabric8.kubernetes.api.model.Node n) {
        var status = n.getStatus();
        List<NodeAddress> addresses = status == null || status.getAddresses() == null ? List.of()
                : status.getAddresses().stream().map(a -> new NodeAddress(nz(a.getType()), str(a.getAddress()))).toList();
        int port = 0;
        if (status != null && status.getDaemonEndpoints() != null
                && status.getDaemonEndpoints().getKubeletEndpoint() != null
                && status.getDaemonEndpoints().getKubeletEndpoint().getPort() != null) {
            port = status.getDaemonEndpoints().getKubeletEndpoint().getPort();
        }
        return new Node(meta(n), n.getSpec() == null ? "" : nz(n.getSpec().getProviderID()), addresses, port);
    }

    static Service service(io.fabric8.kubernetes.api.model.Service s) {
        var spec = s.getSpec();
        if (spec == null) {
            return new Service(meta(s), "", "", "", "", List.of());
        }
        List<ServicePort> ports = spec.getPorts() == null ? List.of()
                : spec.getPorts().stream()
                        .map(p -> new ServicePort(nz(p.getName()), p.getPort() == null ? 0 : p.getPort(),
                                nz(p.getProtocol())))
                        .toList();
        return new Service(meta(s), nz(spec.getType()), nz(spec.getClusterIP()), nz(spec.getExternalName()),
                nz(spec.getLoadBalancerIP()), ports);
    }

    static Endpoints endpoints(io.fabric8.kubernetes.api.model.Endpoints e) {
        List<K8sObjects.EndpointSubset> subsets = new ArrayList<>();
        if (e.getSubsets() != null) {
            for (EndpointSubset ss : e.getSubsets()) {
                subsets.add(new K8sObjects.EndpointSubset(addresses(ss.getAddresses()),
                        addresses(ss.getNotReadyAddresses()),
                        ss.getPorts() == null ? List.of()
                                : ss.getPorts().stream()
                                        .map(p -> new EndpointPort(nz(p.getName()), p.getPort() == null ? 0 : p.getPort(),
                                                nz(p.getProtocol())))
                                        .toList()));
            }
        }
        return new Endpoints(meta(e), List.copyOf(subsets));
    }

    private static List<EndpointAddress> addresses(List<io.fabric8.kubernetes.api.model.EndpointAddress> as) {
        if (as == null) {
            return List.of();
        }
        return as.stream().map(a -> new EndpointAddress(str(a.getIp()), str(a.getHostname()), a.getNodeName() == null ? null : nz(a.getNodeName()),
                ref(a.getTargetRef()))).toList();
    }

    private static TargetRef ref(ObjectReference r) {
        return r == null ? null : new TargetRef(nz(r.getKind()), nz(r.getNamespace()), nz(r.getName()));
    }

    static EndpointSlice endpointSlice(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s) {
        List<SlicePort> ports = s.getPorts() == null ? List.of()
                : s.getPorts().stream().map(p -> new SlicePort(p.getName(), p.getPort(), p.getProtocol(),
                        p.getAppProtocol())).toList();
        List<SliceEndpoint> eps = new ArrayList<>();
        if (s.getEndpoints() != null) {
            for (var ep : s.getEndpoints()) {
                EndpointConditions c = ep.getConditions();
                eps.add(new SliceEndpoint(ep.getAddresses() == null ? List.of() : List.copyOf(ep.getAddresses()),
                        c == null ? null : c.getReady(), c == null ? null : c.getServing(),
                        c == null ? null : c.getTerminating(), ep.getHostname(), ep.getNodeName(), ep.getZone(),
                        ref(ep.getTargetRef()), copy(ep.getDeprecatedTopology())));
            }
        }
        return new EndpointSlice(meta(s), nz(s.getAddressType()), ports, List.copyOf(eps));
    }

    static Ingress ingress(io.fabric8.kubernetes.api.model.networking.v1.Ingress i) {
        var spec = i.getSpec();
        List<String> tlsHosts = new ArrayList<>();
        List<IngressRule> rules = new ArrayList<>();
        String className = null;
        if (spec != null) {
            className = spec.getIngressClassName();
            if (spec.getTls() != null) {
                for (IngressTLS t : spec.getTls()) {
                    if (t.getHosts() != null) {
                        tlsHosts.addAll(t.getHosts());
                    }
                }
            }
            if (spec.getRules() != null) {
                for (var r : spec.getRules()) {
                    List<String> paths = null;
                    if (r.getHttp() != null) {
                        paths = new ArrayList<>();
                        for (HTTPIngressPath p : r.getHttp().getPaths()) {
                            paths.add(nz(p.getPath()));
                        }
                        paths = List.copyOf(paths);
                    }
                    rules.add(new IngressRule(nz(r.getHost()), paths));
                }
            }
        }
        return new Ingress(meta(i), className, List.copyOf(tlsHosts), List.copyOf(rules));
    }

    static Namespace namespace(io.fabric8.kubernetes.api.model.Namespace n) {
        return new Namespace(meta(n));
    }

    static Object project(HasMetadata o) {
        if (o instanceof io.fabric8.kubernetes.api.model.Pod p) {
            return pod(p);
        } else if (o instanceof io.fabric8.kubernetes.api.model.Node n) {
            return node(n);
        } else if (o instanceof io.fabric8.kubernetes.api.model.Service s) {
            return service(s);
        } else if (o instanceof io.fabric8.kubernetes.api.model.Endpoints e) {
            return endpoints(e);
        } else if (o instanceof io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice s) {
            return endpointSlice(s);
        } else if (o instanceof io.fabric8.kubernetes.api.model.networking.v1.Ingress i) {
            return ingress(i);
        } else if (o instanceof io.fabric8.kubernetes.api.model.Namespace n) {
            return namespace(n);
        }
        throw new IllegalArgumentException("no projection for " + o.getKind());
    }

    static boolean isIPv4(String a) {
        String s = a.startsWith("::ffff:") ? a.substring(7) : a;
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIPv6(String a) {
        return a.indexOf(':') >= 0 && a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }

    /**
     * Copies a label/annotation map with canonical strings: keys and most values repeat across thousands of
     * objects (app=..., pod-template-hash=...), and one shared instance per distinct string is what keeps the
     * projections at a few KB per pod. Interned strings are collected once no object uses them.
     */
    private static Map<String, String> copy(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] entries = new Map.Entry[m.size()];
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            entries[i++] = Map.entry(e.getKey().intern(), e.getValue() == null ? "" : e.getValue().intern());
        }
        return Map.ofEntries(entries);
    }

    /** Null-safe, for unique values (names, UIDs, IPs) that interning would only bloat the string table with. */
    private static String str(String s) {
        return s == null ? "" : s;
    }

    /** Null-safe canonical string for low-cardinality fields (namespaces, nodes, images, protocols). */
    private static String nz(String s) {
        return s == null ? "" : s.intern();
    }
}
