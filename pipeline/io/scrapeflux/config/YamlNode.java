package io.scrapeflux.config;

import java.util.List;
import java.util.Map;

/** A YAML document as a tree whose every node knows where it was written. Aliases point at the
 * anchored node (shared, never copied); {@code size} counts nodes as if aliases were expanded. */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Seq, YamlNode.MapNode {

    SourceLocation location();

    long size();

    /** A scalar; {@code text} is null for YAML null ({@code ~}, {@code null}, nothing). */
    record Scalar(String text, SourceLocation location) implements YamlNode {
        @Override
        public long size() {
            return 1;
        }

        boolean isNull() {
            return text == null;
        }
    }

    record Seq(List<YamlNode> items, SourceLocation location, long size) implements YamlNode {
    }

    /** A mapping in file order; {@code keys} holds where each key was written. */
    record MapNode(Map<String, YamlNode> entries, Map<String, SourceLocation> keys, SourceLocation location, long size)
            implements YamlNode {
    }

    /** What a node is, for "expected X, got Y" errors. */
    static String kind(YamlNode n) {
        if (n instanceof Scalar s) {
            return s.isNull() ? "null" : "scalar \"" + s.text() + "\"";
        }
        return n instanceof Seq ? "list" : "mapping";
    }
}
