package io.scrapeflux.discovery.azure;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Lenient reads of Resource Manager JSON: absent and null fields read as empty, as the Go SDK's nil pointers do. */
final class Json {

    private Json() {
    }

    /** The scalar at {@code node} as text; "" when absent, null or not a scalar. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || !node.isValueNode()) {
            return "";
        }
        return node.asString();
    }

    /** The path {@code a.b.c} below {@code node}, as text. */
    static String at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return text(n);
    }

    /** The elements of the array at {@code node}; empty when it is no array. */
    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(out::add);
        }
        return out;
    }
}
