package io.scrapeflux.discovery.kubernetes;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a field selector into the terms fabric8's {@code withField}/{@code withoutField} take. Whether a
 * selector is well-formed is {@link io.scrapeflux.config.KubernetesSelectors}'s call (at config load and in
 * {@link KubernetesDiscovery#validate}); this only reads selectors that passed it.
 */
final class Selectors {

    /** One {@code field=value} or {@code field!=value} term of a field selector. */
    record FieldRequirement(String field, boolean equal, String value) {
    }

    private Selectors() {
    }

    /** Terms of a field selector ({@code a=b,c!=d}; {@code ==} is accepted for {@code =}). */
    static List<FieldRequirement> parseFieldSelector(String selector) {
        List<FieldRequirement> out = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return out;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (ne > 0) {
                out.add(new FieldRequirement(t.substring(0, ne).trim(), false, t.substring(ne + 2).trim()));
            } else if (eq > 0) {
                int valueAt = t.startsWith("==", eq) ? eq + 2 : eq + 1;
                out.add(new FieldRequirement(t.substring(0, eq).trim(), true, t.substring(valueAt).trim()));
            } else {
                throw new IllegalArgumentException("invalid field selector term \"" + t + "\": expected field=value "
                        + "or field!=value");
            }
        }
        return out;
    }
}
