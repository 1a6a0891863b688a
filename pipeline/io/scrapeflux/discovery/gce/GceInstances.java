package io.scrapeflux.discovery.gce;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One page of the Compute Engine {@code instances.list} response turned into targets with Prometheus's
 * {@code __meta_gce_*} labels. An instance without network interfaces has no address and is left out, as in
 * Prometheus.
 */
final class GceInstances {

    static final String PREFIX = "__meta_gce_";
    static final String ADDRESS = "__address__";

    private static final Pattern INVALID_LABEL_CHARS = Pattern.compile("[^a-zA-Z0-9_]");

    private GceInstances() {
    }

    /** A page of targets and the token of the next page ("" on the last page). */
    record Page(List<Labels> targets, String nextPageToken) {
    }

    static Page page(JsonNode list, String project, int port, String tagSeparator) {
        if (list == null || !list.isObject()) {
            throw new IllegalArgumentException("instance list is not a JSON object");
        }
        List<Labels> targets = new ArrayList<>();
        for (JsonNode instance : list.path("items")) {
            Labels t = target(instance, project, port, tagSeparator);
            if (t != null) {
                targets.add(t);
            }
        }
        return new Page(targets, text(list, "nextPageToken"));
    }

    private static Labels target(JsonNode inst, String project, int port, String tagSeparator) {
        JsonNode nics = inst.path("networkInterfaces");
        if (!nics.isArray() || nics.isEmpty()) {
            return null;
        }
        JsonNode primary = nics.get(0);
        LabelsBuilder b = Labels.builder();
        b.set(PREFIX + "project", project);
        b.set(PREFIX + "zone", text(inst, "zone"));
        b.set(PREFIX + "instance_id", text(inst, "id"));
        b.set(PREFIX + "instance_name", text(inst, "name"));
        b.set(PREFIX + "instance_status", text(inst, "status"));
        b.set(PREFIX + "machine_type", text(inst, "machineType"));
        b.set(PREFIX + "network", text(primary, "network"));
        b.set(PREFIX + "subnetwork", text(primary, "subnetwork"));
        String privateIp = text(primary, "networkIP");
        b.set(PREFIX + "private_ip", privateIp);
        b.set(ADDRESS, privateIp + ":" + port);
        for (JsonNode nic : nics) {
            b.set(PREFIX + "interface_ipv4_" + sanitize(text(nic, "name")), text(nic, "networkIP"));
        }
        List<String> tags = new ArrayList<>();
        inst.path("tags").path("items").forEach(tag -> tags.add(tag.asString()));
        if (!tags.isEmpty()) {
            // Surrounded by the separator too, so relabel regexes need not care where in the list a tag sits.
            b.set(PREFIX + "tags", tagSeparator + String.join(tagSeparator, tags) + tagSeparator);
        }
        for (JsonNode item : inst.path("metadata").path("items")) {
            JsonNode value = item.get("value");
            if (value != null && !value.isNull()) {
                b.set(PREFIX + "metadata_" + sanitize(text(item, "key")), value.asString());
            }
        }
        JsonNode labels = inst.path("labels");
        if (labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                b.set(PREFIX + "label_" + sanitize(e.getKey()), e.getValue().asString());
            }
        }
        JsonNode access = primary.path("accessConfigs").path(0);
        if ("ONE_TO_ONE_NAT".equals(text(access, "type"))) {
            b.set(PREFIX + "public_ip", text(access, "natIP"));
        }
        return b.build();
    }

    /** Prometheus's label-name sanitising: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}. */
    static String sanitize(String name) {
        return INVALID_LABEL_CHARS.matcher(name).replaceAll("_");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asString();
    }
}
