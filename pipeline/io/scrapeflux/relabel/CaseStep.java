package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/**
 * lowercase and uppercase: the joined source value, case-mapped, into the target label.
 *
 * <p>Go maps each code point on its own ({@code unicode.ToLower}/{@code ToUpper}); Java's
 * {@code String.toLowerCase} applies context and one-to-many rules (final sigma, {@code ß} to {@code SS},
 * dotted capital I), so we map code points the way Go does.
 */
final class CaseStep extends Step {

    private final String target;
    private final boolean upper;

    CaseStep(RelabelConfig rule, boolean upper) {
        super(rule);
        this.target = rule.targetLabel();
        this.upper = upper;
    }

    @Override
    boolean apply(LabelsBuilder b) {
        String v = sourceValue(b);
        b.set(target, upper ? toUpper(v) : toLower(v));
        return true;
    }

    static String toLower(String s) {
        return mapCase(s, false);
    }

    static String toUpper(String s) {
        return mapCase(s, true);
    }

    /** Returns {@code s} itself when no code point changes, so unchanged values cost nothing. */
    private static String mapCase(String s, boolean upper) {
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if ((upper ? Character.toUpperCase(c) : Character.toLowerCase(c)) != c) {
                return map(s, i, upper);
            }
            i += Character.charCount(c);
        }
        return s;
    }

    private static String map(String s, int from, boolean upper) {
        StringBuilder sb = new StringBuilder(s.length()).append(s, 0, from);
        int i = from;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            sb.appendCodePoint(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            i += Character.charCount(c);
        }
        return sb.toString();
    }
}
