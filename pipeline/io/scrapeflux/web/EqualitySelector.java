package io.scrapeflux.web;

import io.scrapeflux.model.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of PromQL label selectors the metadata API needs: {@code {name="value", ...}} with
 * equality matchers only. Anything else is rejected with a message saying so, never half-applied.
 */
final class EqualitySelector {

    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

    private EqualitySelector() {
    }

    /** Parses a selector; "" means no constraint. */
    static Map<String, String> parse(String selector) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = selector.trim();
        if (s.isEmpty()) {
            return out;
        }
        if (!s.startsWith("{") || !s.endsWith("}")) {
            throw new IllegalArgumentException("invalid match_target " + s + ": want {label=\"value\", ...}");
        }
        String body = s.substring(1, s.length() - 1).trim();
        Matcher m = MATCHER.matcher(body);
        int at = 0;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("invalid match_target " + s
                        + ": only equality matchers label=\"value\" are supported");
            }
            out.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            at = m.end();
        }
        return out;
    }

    static boolean matches(Map<String, String> selector, Labels labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!labels.get(e.getKey()).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}
