package io.scrapeflux.relabel;

import java.util.ArrayList;
import java.util.List;

/**
 * A replacement or target-label template with Go's {@code regexp.Expand} syntax, parsed once.
 *
 * <p>{@code $$} is a dollar; {@code $name} and {@code ${name}} take the longest run of letters, digits and
 * underscores as the name, so {@code $1x} names the group {@code 1x} (usually absent, so empty). A name that
 * is all digits (no leading zero, below 10^8) is a group number. A reference to a group that does not exist
 * or did not take part expands to nothing. A {@code $} not followed by a valid reference stays a {@code $}.
 * Java's {@code Matcher.appendReplacement} differs on all of these points, hence this class.
 */
final class Template {

    private static final String[] NO_TEXT = new String[0];

    /** Literal text before each reference, and the text after the last one. */
    private final String[] texts;
    /** Group number of each reference; -1 when the name matches no group of the regex. */
    private final int[] groups;
    private final String literal;

    private Template(String[] texts, int[] groups) {
        this.texts = texts;
        this.groups = groups;
        this.literal = groups.length == 0 ? texts[0] : null;
    }

    /** Parses {@code template}, resolving group names against {@code regex}. */
    static Template parse(String template, LabelRegex regex) {
        List<String> texts = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                break;
            }
            text.append(template, i, dollar);
            i = dollar + 1;
            if (i < template.length() && template.charAt(i) == '$') {
                text.append('$');
                i++;
                continue;
            }
            int[] ref = reference(template, i);
            if (ref == null) {
                text.append('$');
                continue;
            }
            String name = template.substring(ref[0], ref[1]);
            texts.add(text.toString());
            text.setLength(0);
            groups.add(resolve(name, regex));
            i = ref[2];
        }
        text.append(template, i, template.length());
        texts.add(text.toString());
        int[] g = new int[groups.size()];
        for (int k = 0; k < g.length; k++) {
            g[k] = groups.get(k);
        }
        return new Template(texts.toArray(NO_TEXT), g);
    }

    /** Parses the name after a {@code $} at {@code from}: {nameStart, nameEnd, resumeAt}, or null if malformed. */
    private static int[] reference(String t, int from) {
        int i = from;
        boolean brace = i < t.length() && t.charAt(i) == '{';
        if (brace) {
            i++;
        }
        int start = i;
        while (i < t.length()) {
            int c = t.codePointAt(i);
            if (!Character.isLetter(c) && !Character.isDigit(c) && c != '_') {
                break;
            }
            i += Character.charCount(c);
        }
        if (i == start) {
            return null;
        }
        int end = i;
        if (brace) {
            if (i >= t.length() || t.charAt(i) != '}') {
                return null;
            }
            i++;
        }
        return new int[] {start, end, i};
    }

    private static int resolve(String name, LabelRegex regex) {
        int num = 0;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9' || num >= 100_000_000) {
                num = -1;
                break;
            }
            num = num * 10 + (c - '0');
        }
        if (name.charAt(0) == '0' && name.length() > 1) {
            num = -1;
        }
        if (num >= 0) {
            return num <= regex.groupCount() ? num : -1;
        }
        return regex.groupIndex(name);
    }

    /** The template's text when it has no references (expansion never depends on the match). */
    String literal() {
        return literal;
    }

    boolean isLiteral() {
        return literal != null;
    }

    /** Expands against a match of {@code src}. Returns {@code src} itself when the result is all of it. */
    String expand(String src, LabelRegex.Groups match) {
        if (literal != null) {
            return literal;
        }
        int len = src.length();
        if (groups.length == 1 && texts[0].isEmpty() && texts[1].isEmpty()) {
            int g = groups[0];
            if (g < 0) {
                return "";
            }
            int s = match.start(g, len);
            if (s < 0) {
                return "";
            }
            return src.substring(s, match.end(g, len)); // substring(0, len) returns src itself
        }
        StringBuilder sb = new StringBuilder(len + 16);
        for (int k = 0; k < groups.length; k++) {
            sb.append(texts[k]);
            int g = groups[k];
            if (g >= 0) {
                int s = match.start(g, len);
                if (s >= 0) {
                    sb.append(src, s, match.end(g, len));
                }
            }
        }
        return sb.append(texts[groups.length]).toString();
    }
}
