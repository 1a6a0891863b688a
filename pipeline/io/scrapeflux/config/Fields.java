package io.scrapeflux.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of one YAML mapping. Every key read is remembered; {@link #finish()} reports the keys
 * nobody read, so unknown fields are errors as in Prometheus's strict decoding. Type errors are
 * recorded and the read returns null (or the default), so binding goes on and finds more problems.
 */
final class Fields {

    private static final Set<String> TRUE = Set.of("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y");
    private static final Set<String> FALSE = Set.of("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N");

    private final YamlNode.MapNode map;
    private final String type;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();

    private Fields(YamlNode.MapNode map, String type, Problems problems) {
        this.map = map;
        this.type = type;
        this.problems = problems;
    }

    /** {@code node} as a mapping of the named type; null or a non-mapping (reported) reads as empty. */
    static Fields of(YamlNode node, SourceLocation fallback, String type, Problems problems) {
        if (node instanceof YamlNode.MapNode m) {
            return new Fields(m, type, problems);
        }
        SourceLocation loc = node == null ? fallback : node.location();
        if (node != null && !(node instanceof YamlNode.Scalar s && s.isNull())) {
            problems.add(loc, type + ": expected a mapping, got " + YamlNode.kind(node));
        }
        return new Fields(new YamlNode.MapNode(Map.of(), Map.of(), loc, 1), type, problems);
    }

    Problems problems() {
        return problems;
    }

    SourceLocation location() {
        return map.location();
    }

    /** Where {@code key} was written, or the mapping itself when absent (for "missing" errors). */
    SourceLocation keyLocation(String key) {
        SourceLocation l = map.keys().get(key);
        return l == null ? map.location() : l;
    }

    /** Where the value of {@code key} was written (the key when the value is empty). */
    SourceLocation valueLocation(String key) {
        YamlNode n = map.entries().get(key);
        return n == null || (n instanceof YamlNode.Scalar s && s.isNull()) ? keyLocation(key) : n.location();
    }

    /** True when {@code key} is written at all, even with an empty (null) value. */
    boolean present(String key) {
        read.add(key);
        return map.entries().containsKey(key);
    }

    /** Go's decoding: absent keeps the default, an explicit null sets the zero value (""). */
    String stringOrZero(String key, String def) {
        if (!present(key)) {
            return def;
        }
        String s = string(key);
        return s == null ? "" : s;
    }

    /** True when {@code key} is present with a non-null value. */
    boolean has(String key) {
        return node(key) != null;
    }

    /** The raw value node, null when absent or YAML null. */
    YamlNode node(String key) {
        read.add(key);
        YamlNode n = map.entries().get(key);
        return n instanceof YamlNode.Scalar s && s.isNull() ? null : n;
    }

    void error(String key, String message) {
        problems.add(valueLocation(key), key + ": " + message);
    }

    String string(String key) {
        YamlNode n = node(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YamlNode.Scalar s) {
            return s.text();
        }
        error(key, "expected a string, got " + YamlNode.kind(n));
        return null;
    }

    String string(String key, String def) {
        String s = string(key);
        return s == null ? def : s;
    }

    boolean bool(String key, boolean def) {
        String s = string(key);
        if (s == null) {
            return def;
        }
        if (TRUE.contains(s)) {
            return true;
        }
        if (FALSE.contains(s)) {
            return false;
        }
        error(key, "cannot parse \"" + s + "\" as a boolean");
        return def;
    }

    /** A non-negative integer (Go {@code uint}); 0 when absent. */
    long uint(String key) {
        String s = string(key);
        if (s == null) {
            return 0;
        }
        try {
            long v = Long.parseLong(s.replace("_", ""));
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(key, "cannot parse \"" + s + "\" as a non-negative integer");
        return 0;
    }

    /** An integer, or {@code def} when absent. */
    int integer(String key, int def) {
        String s = string(key);
        if (s == null) {
            return def;
        }
        try {
            return Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            error(key, "cannot parse \"" + s + "\" as an integer");
            return def;
        }
    }

    double number(String key, double def) {
        String s = string(key);
        if (s == null) {
            return def;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            error(key, "cannot parse \"" + s + "\" as a number");
            return def;
        }
    }

    /** A Prometheus duration; null when absent or invalid (reported). */
    Duration duration(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        try {
            return PromDuration.parse(s);
        } catch (IllegalArgumentException e) {
            error(key, e.getMessage());
            return null;
        }
    }

    /** A byte size; 0 when absent or invalid (reported). */
    long size(String key) {
        String s = string(key);
        if (s == null) {
            return 0;
        }
        try {
            return ByteSize.parse(s);
        } catch (IllegalArgumentException e) {
            error(key, e.getMessage());
            return 0;
        }
    }

    Secret secret(String key) {
        return Secret.of(string(key));
    }

    /** A list of strings; null when absent, so callers can tell "absent" from "empty". */
    List<String> stringList(String key) {
        YamlNode n = node(key);
        return n == null ? null : strings(problems, key, n);
    }

    /** {@code n} as a list of strings; wrong shapes are reported under {@code what} and skipped. */
    static List<String> strings(Problems problems, String what, YamlNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n instanceof YamlNode.Scalar s && s.isNull()) {
            return out;
        }
        if (!(n instanceof YamlNode.Seq seq)) {
            problems.add(n.location(), what + ": expected a list of strings, got " + YamlNode.kind(n));
            return out;
        }
        for (YamlNode item : seq.items()) {
            if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                out.add(s.text());
            } else {
                problems.add(item.location(), what + ": expected a string, got " + YamlNode.kind(item));
            }
        }
        return out;
    }

    /** The mapping under {@code key}; null when absent or not a mapping (reported). */
    YamlNode.MapNode mapping(String key) {
        YamlNode n = node(key);
        if (n == null) {
            return null;
        }
        if (!(n instanceof YamlNode.MapNode m)) {
            error(key, "expected a mapping, got " + YamlNode.kind(n));
            return null;
        }
        return m;
    }

    /** The non-null items of the list under {@code key}; a null item is reported with {@code nullMessage}. */
    List<YamlNode> items(String key, String nullMessage) {
        List<YamlNode> out = new ArrayList<>();
        for (YamlNode item : list(key)) {
            if (item instanceof YamlNode.Scalar s && s.isNull()) {
                problems.add(item.location(), nullMessage);
            } else {
                out.add(item);
            }
        }
        return out;
    }

    /** The items of a list; empty when absent. */
    List<YamlNode> list(String key) {
        YamlNode n = node(key);
        if (n == null) {
            return List.of();
        }
        if (!(n instanceof YamlNode.Seq seq)) {
            error(key, "expected a list, got " + YamlNode.kind(n));
            return List.of();
        }
        return seq.items();
    }

    /** A mapping of strings to strings, in file order; empty when absent. */
    Map<String, String> stringMap(String key) {
        YamlNode.MapNode m = mapping(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (m == null) {
            return out;
        }
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            if (e.getValue() instanceof YamlNode.Scalar s) {
                out.put(e.getKey(), s.isNull() ? "" : s.text());
            } else {
                problems.add(e.getValue().location(), key + "." + e.getKey() + ": expected a string, got "
                        + YamlNode.kind(e.getValue()));
            }
        }
        return out;
    }

    /** A nested mapping's own keys with their locations, for validating names. */
    Map<String, SourceLocation> keysOf(String key) {
        YamlNode n = map.entries().get(key);
        return n instanceof YamlNode.MapNode m ? m.keys() : Map.of();
    }

    /** Keys a Prometheus config may carry that scrapeflux has no use for yet: an error when set. */
    void unsupported(String key, String why) {
        YamlNode n = node(key);
        if (n != null && !(n instanceof YamlNode.Scalar s && FALSE.contains(s.text()))) {
            problems.add(keyLocation(key), key + ": not supported by scrapeflux" + (why.isEmpty() ? "" : " (" + why + ")"));
        }
    }

    /** Keys Prometheus accepts whose value does not change what scrapeflux does: read and dropped. */
    void accept(String... keys) {
        for (String k : keys) {
            node(k);
        }
    }

    /** Every key in the mapping that no one read. */
    List<String> unread() {
        List<String> out = new ArrayList<>();
        for (String k : map.entries().keySet()) {
            if (!read.contains(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Reports unread keys as unknown fields; call after all reads. */
    void finish() {
        for (String k : unread()) {
            problems.add(keyLocation(k), "field " + k + " not found in " + type);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
