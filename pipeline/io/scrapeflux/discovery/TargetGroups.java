package io.scrapeflux.discovery;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Helpers shared by the mechanisms: the target-group document format and turning full states into changes. */
public final class TargetGroups {

    /** The label holding a target's host:port. */
    public static final String ADDRESS_LABEL = "__address__";

    private TargetGroups() {
    }

    /**
     * Replaces {@code state} (source → group) by {@code fullState} and returns what changed: new or different groups,
     * plus an empty group for every source that disappeared. Empty groups in {@code fullState} count as absent.
     */
    public static List<TargetGroup> diff(Map<String, TargetGroup> state, List<TargetGroup> fullState) {
        List<TargetGroup> changes = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (TargetGroup g : fullState) {
            if (g.isEmpty()) {
                continue;
            }
            present.add(g.source());
            if (!g.equals(state.put(g.source(), g))) {
                changes.add(g);
            }
        }
        for (Iterator<String> it = state.keySet().iterator(); it.hasNext(); ) {
            String source = it.next();
            if (!present.contains(source)) {
                it.remove();
                changes.add(TargetGroup.removed(source));
            }
        }
        return changes;
    }

    /**
     * Reads Prometheus's target-group document: an array of {@code {"targets": [...], "labels": {...}}}.
     * Group {@code i} gets source {@code sourcePrefix + ":" + i} and the extra label {@code metaName=metaValue}.
     *
     * @param strict reject unknown keys and non-string scalars (YAML files are read strictly, JSON leniently about
     *               unknown keys, as Prometheus does)
     * @throws IllegalArgumentException naming the group and key when the document does not have that shape
     */
    public static List<TargetGroup> parse(JsonNode root, boolean strict, String sourcePrefix, String metaName,
                                          String metaValue) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            if (strict) {
                return List.of();
            }
            throw new IllegalArgumentException("empty document, expected an array of target groups");
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException("expected an array of target groups, got " + root.getNodeType());
        }
        List<TargetGroup> groups = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            if (item == null || item.isNull()) {
                throw new IllegalArgumentException("target group " + i + " is null");
            }
            if (!item.isObject()) {
                throw new IllegalArgumentException("target group " + i + " is not an object");
            }
            groups.add(parseGroup(item, i, strict, sourcePrefix + ":" + i, metaName, metaValue));
        }
        return groups;
    }

    private static TargetGroup parseGroup(JsonNode item, int index, boolean strict, String source, String metaName,
                                          String metaValue) {
        if (strict) {
            for (String key : item.propertyNames()) {
                if (!key.equals("targets") && !key.equals("labels")) {
                    throw new IllegalArgumentException("target group " + index + ": unknown field \"" + key + "\"");
                }
            }
        }
        LabelsBuilder common = Labels.builder();
        JsonNode labels = item.get("labels");
        if (labels != null && !labels.isNull()) {
            if (!labels.isObject()) {
                throw new IllegalArgumentException("target group " + index + ": labels must be an object");
            }
            for (var e : labels.properties()) {
                String name = e.getKey();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("target group " + index + ": \"\" is not a valid label name");
                }
                common.set(name, scalar(e.getValue(), strict, "target group " + index + ": label " + name));
            }
        }
        common.set(metaName, metaValue);
        List<Labels> targets = new ArrayList<>();
        JsonNode list = item.get("targets");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("target group " + index + ": targets must be an array");
            }
            for (int t = 0; t < list.size(); t++) {
                String address = scalar(list.get(t), strict, "target group " + index + ": target " + t);
                targets.add(Labels.of(ADDRESS_LABEL, address));
            }
        }
        return new TargetGroup(source, targets, common.build());
    }

    private static String scalar(JsonNode node, boolean lenientScalars, String where) {
        if (node.isString()) {
            return node.asString();
        }
        // YAML's untyped scalars (a bare port number, true) decode into strings the way Go's yaml does.
        if (lenientScalars && node.isValueNode() && !node.isNull()) {
            return node.asString();
        }
        throw new IllegalArgumentException(where + ": expected a string, got " + node.getNodeType());
    }
}
