package io.scrapeflux.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads one YAML document into a {@link YamlNode} tree with Jackson's streaming YAML parser.
 *
 * <p>Jackson reports an alias as a plain string, so anchors are resolved here: an alias shares the
 * anchored node, and every node carries its expanded size. A document whose expanded size passes
 * {@link #MAX_EXPANDED_NODES} (a "billion laughs" alias bomb) is rejected as soon as the size is known,
 * so neither memory nor the binder's walk grows with the expansion. Duplicate keys are errors, as in
 * Prometheus's strict YAML decoding; {@code <<} merge keys are applied.
 */
final class YamlTreeReader {

    /** Far above any real config (100k targets written out), far below what an alias bomb expands to. */
    static final long MAX_EXPANDED_NODES = 5_000_000;
    private static final int MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;
    private static final int MAX_NESTING = 200;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .loadSettings(LoadSettings.builder().setCodePointLimit(MAX_DOCUMENT_CHARS).build())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(MAX_DOCUMENT_CHARS)
                    .maxDocumentLength(MAX_DOCUMENT_CHARS)
                    .build())
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String file;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private YAMLParser parser;

    private YamlTreeReader(String file) {
        this.file = file;
    }

    /** The document's root, or null for an empty document. */
    static YamlNode read(String yaml, String file) throws ConfigException {
        return new YamlTreeReader(file).readDocument(yaml);
    }

    private YamlNode readDocument(String yaml) throws ConfigException {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(ObjectReadContext.empty(), new StringReader(yaml))) {
            parser = p;
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            YamlNode root = readValue(t);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw new ConfigException(here(), "expected a single YAML document");
            }
            return root;
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation() != null ? e.getLocation()
                    : parser != null ? parser.currentLocation() : null;
            SourceLocation loc = l == null ? new SourceLocation(file, 0, 0)
                    : new SourceLocation(file, l.getLineNr(), l.getColumnNr());
            throw new ConfigException(loc, "invalid YAML: " + oneLine(e.getOriginalMessage()));
        }
    }

    /** snakeyaml's messages quote the source over several lines; the location already says where. */
    private static String oneLine(String message) {
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\n")) {
            if (line.isBlank() || line.startsWith(" ")) {
                continue;
            }
            out.append(out.length() == 0 ? "" : ": ").append(line.trim());
        }
        return out.toString();
    }

    private YamlNode readValue(JsonToken t) throws ConfigException {
        SourceLocation loc = here();
        String anchor = anchorOfCurrent();
        YamlNode node;
        switch (t) {
            case START_OBJECT -> node = readMap(loc);
            case START_ARRAY -> node = readSeq(loc);
            case VALUE_NULL -> node = new YamlNode.Scalar(null, loc);
            default -> {
                if (parser.isCurrentAlias()) {
                    String name = parser.getString();
                    YamlNode target = anchors.get(name);
                    if (target == null) {
                        throw new ConfigException(loc, "unknown anchor '" + name + "' referenced");
                    }
                    return target;
                }
                node = new YamlNode.Scalar(parser.getString(), loc);
            }
        }
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private YamlNode readMap(SourceLocation loc) throws ConfigException {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, SourceLocation> keys = new LinkedHashMap<>();
        List<YamlNode> merges = new ArrayList<>();
        long size = 1;
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
            String key = parser.currentName();
            SourceLocation keyLoc = here();
            YamlNode value = readValue(parser.nextToken());
            if (key.equals("<<")) {
                merges.add(value);
                continue;
            }
            if (entries.containsKey(key)) {
                throw new ConfigException(keyLoc, "mapping key \"" + key + "\" already defined at line "
                        + keys.get(key).line());
            }
            entries.put(key, value);
            keys.put(key, keyLoc);
            size = checkedAdd(size, value.size(), keyLoc);
        }
        for (YamlNode merge : merges) {
            List<YamlNode> sources = merge instanceof YamlNode.Seq s ? s.items() : List.of(merge);
            for (YamlNode src : sources) {
                if (!(src instanceof YamlNode.MapNode m)) {
                    throw new ConfigException(src.location(), "map merge requires a mapping or a list of mappings");
                }
                for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
                    if (!entries.containsKey(e.getKey())) {
                        entries.put(e.getKey(), e.getValue());
                        keys.put(e.getKey(), m.keys().get(e.getKey()));
                        size = checkedAdd(size, e.getValue().size(), loc);
                    }
                }
            }
        }
        expectEnd(t, JsonToken.END_OBJECT);
        return new YamlNode.MapNode(entries, keys, loc, size);
    }

    private YamlNode readSeq(SourceLocation loc) throws ConfigException {
        List<YamlNode> items = new ArrayList<>();
        long size = 1;
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
            YamlNode item = readValue(t);
            items.add(item);
            size = checkedAdd(size, item.size(), item.location());
        }
        expectEnd(t, JsonToken.END_ARRAY);
        return new YamlNode.Seq(items, loc, size);
    }

    private long checkedAdd(long size, long more, SourceLocation loc) throws ConfigException {
        long total = size + more;
        if (total > MAX_EXPANDED_NODES || total < 0) {
            throw new ConfigException(loc, "document contains excessive aliasing (more than "
                    + MAX_EXPANDED_NODES + " nodes once aliases are expanded)");
        }
        return total;
    }

    private void expectEnd(JsonToken t, JsonToken expected) throws ConfigException {
        if (t != expected) {
            throw new ConfigException(here(), "invalid YAML: unexpected " + t);
        }
    }

    private String anchorOfCurrent() {
        Object id = parser.getObjectId();
        return id == null ? null : id.toString();
    }

    private SourceLocation here() {
        TokenStreamLocation l = parser.currentTokenLocation();
        return new SourceLocation(file, l.getLineNr(), l.getColumnNr());
    }
}
