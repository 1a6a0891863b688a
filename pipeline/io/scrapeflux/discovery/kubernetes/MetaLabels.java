package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.discovery.kubernetes.K8sObjects.Meta;
import io.scrapeflux.model.LabelsBuilder;
import java.util.Map;

/** Names of the {@code __meta_kubernetes_*} labels and the helpers that fill them. */
final class MetaLabels {

    static final String PREFIX = "__meta_kubernetes_";
    static final String NAMESPACE = PREFIX + "namespace";
    static final String PRESENT = "true";

    static final String POD_IP = PREFIX + "pod_ip";
    static final String POD_IPV4 = PREFIX + "pod_ipv4";
    static final String POD_IPV6 = PREFIX + "pod_ipv6";
    static final String POD_READY = PREFIX + "pod_ready";
    static final String POD_PHASE = PREFIX + "pod_phase";
    static final String POD_NODE_NAME = PREFIX + "pod_node_name";
    static final String POD_HOST_IP = PREFIX + "pod_host_ip";
    static final String POD_UID = PREFIX + "pod_uid";
    static final String POD_CONTROLLER_KIND = PREFIX + "pod_controller_kind";
    static final String POD_CONTROLLER_NAME = PREFIX + "pod_controller_name";
    static final String POD_LABEL_PREFIX = PREFIX + "pod_label_";
    static final String POD_CONTAINER_NAME = PREFIX + "pod_container_name";
    static final String POD_CONTAINER_ID = PREFIX + "pod_container_id";
    static final String POD_CONTAINER_IMAGE = PREFIX + "pod_container_image";
    static final String POD_CONTAINER_INIT = PREFIX + "pod_container_init";
    static final String POD_CONTAINER_PORT_NAME = PREFIX + "pod_container_port_name";
    static final String POD_CONTAINER_PORT_NUMBER = PREFIX + "pod_container_port_number";
    static final String POD_CONTAINER_PORT_PROTOCOL = PREFIX + "pod_container_port_protocol";

    static final String NODE_NAME = PREFIX + "node_name";
    static final String NODE_PROVIDER_ID = PREFIX + "node_provider_id";
    static final String NODE_ADDRESS_PREFIX = PREFIX + "node_address_";

    static final String SERVICE_PORT_NAME = PREFIX + "service_port_name";
    static final String SERVICE_PORT_NUMBER = PREFIX + "service_port_number";
    static final String SERVICE_PORT_PROTOCOL = PREFIX + "service_port_protocol";
    static final String SERVICE_CLUSTER_IP = PREFIX + "service_cluster_ip";
    static final String SERVICE_LOADBALANCER_IP = PREFIX + "service_loadbalancer_ip";
    static final String SERVICE_EXTERNAL_NAME = PREFIX + "service_external_name";
    static final String SERVICE_TYPE = PREFIX + "service_type";

    static final String ENDPOINT_READY = PREFIX + "endpoint_ready";
    static final String ENDPOINT_PORT_NAME = PREFIX + "endpoint_port_name";
    static final String ENDPOINT_PORT_PROTOCOL = PREFIX + "endpoint_port_protocol";
    static final String ENDPOINT_ADDRESS_TARGET_KIND = PREFIX + "endpoint_address_target_kind";
    static final String ENDPOINT_ADDRESS_TARGET_NAME = PREFIX + "endpoint_address_target_name";
    static final String ENDPOINT_NODE_NAME = PREFIX + "endpoint_node_name";
    static final String ENDPOINT_HOSTNAME = PREFIX + "endpoint_hostname";

    static final String SLICE_ADDRESS_TYPE = PREFIX + "endpointslice_address_type";
    static final String SLICE_PORT_NAME = PREFIX + "endpointslice_port_name";
    static final String SLICE_PORT_PROTOCOL = PREFIX + "endpointslice_port_protocol";
    static final String SLICE_PORT = PREFIX + "endpointslice_port";
    static final String SLICE_PORT_APP_PROTOCOL = PREFIX + "endpointslice_port_app_protocol";
    static final String SLICE_READY = PREFIX + "endpointslice_endpoint_conditions_ready";
    static final String SLICE_SERVING = PREFIX + "endpointslice_endpoint_conditions_serving";
    static final String SLICE_TERMINATING = PREFIX + "endpointslice_endpoint_conditions_terminating";
    static final String SLICE_ZONE = PREFIX + "endpointslice_endpoint_zone";
    static final String SLICE_HOSTNAME = PREFIX + "endpointslice_endpoint_hostname";
    static final String SLICE_NODE_NAME = PREFIX + "endpointslice_endpoint_node_name";
    static final String SLICE_TARGET_KIND = PREFIX + "endpointslice_address_target_kind";
    static final String SLICE_TARGET_NAME = PREFIX + "endpointslice_address_target_name";
    static final String SLICE_TOPOLOGY_PREFIX = PREFIX + "endpointslice_endpoint_topology_";
    static final String SLICE_TOPOLOGY_PRESENT_PREFIX = PREFIX + "endpointslice_endpoint_topology_present_";

    static final String INGRESS_SCHEME = PREFIX + "ingress_scheme";
    static final String INGRESS_HOST = PREFIX + "ingress_host";
    static final String INGRESS_PATH = PREFIX + "ingress_path";
    static final String INGRESS_CLASS_NAME = PREFIX + "ingress_class_name";

    static final String ADDRESS = "__address__";
    static final String INSTANCE = "instance";

    private MetaLabels() {
    }

    /**
     * Prometheus's label-name sanitising for Kubernetes keys: every character outside
     * {@code [a-zA-Z0-9_]} becomes {@code _}. Leading digits are left alone, as Prometheus does.
     */
    static String sanitize(String name) {
        char[] out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                if (out == null) {
                    out = name.toCharArray();
                }
                out[i] = '_';
            }
        }
        return out == null ? name : new String(out);
    }

    /** {@code <role>_name} plus labels and annotations with their {@code *present_} twins. */
    static void objectMeta(LabelsBuilder b, Meta meta, String role) {
        b.set(PREFIX + role + "_name", meta.name());
        mapWithPresence(b, meta.labels(), PREFIX + role + "_label_", PREFIX + role + "_labelpresent_");
        mapWithPresence(b, meta.annotations(), PREFIX + role + "_annotation_", PREFIX + role + "_annotationpresent_");
    }

    static void mapWithPresence(LabelsBuilder b, Map<String, String> m, String valuePrefix, String presentPrefix) {
        for (Map.Entry<String, String> e : m.entrySet()) {
            String ln = sanitize(e.getKey());
            b.set(valuePrefix + ln, e.getValue());
            b.set(presentPrefix + ln, PRESENT);
        }
    }

    /** Go's {@code net.JoinHostPort}: IPv6 hosts get brackets. */
    static String joinHostPort(String host, long port) {
        String p = Long.toString(port);
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + p : host + ":" + p;
    }
}
