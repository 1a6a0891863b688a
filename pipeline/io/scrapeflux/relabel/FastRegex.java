package io.scrapeflux.relabel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The regex shapes that dominate real configs, answered with string comparisons instead of an automaton:
 * <ul>
 *   <li>a literal ({@code foo}, {@code a\.b}, the empty regex) or an alternation of literals ({@code a|b|c});</li>
 *   <li>a literal prefix and/or suffix around {@code .*} or {@code .+} ({@code (.*)}, {@code .+},
 *       {@code __meta_(.+)}, {@code (.*)9113}, {@code foo.*});</li>
 * </ul>
 * with a {@code ^} at the very start or {@code $} at the very end allowed (both are no-ops when anchored),
 * each optionally wrapped in one capture group, or with the wildcard as the one capture group. Anything
 * else (classes, flags, other quantifiers, several groups) is left to re2j. Because the regex is anchored
 * at both ends and {@code .} matches everything (Prometheus 3 compiles {@code ^(?s:…)$}), a match is
 * decided by length, prefix and suffix, and the capture spans follow from the string's length alone.
 */
final class FastRegex extends LabelRegex implements LabelRegex.Groups {

    private enum Group { NONE, WHOLE, WILDCARD }

    private static final int NO_WILDCARD = -1;
    /** Above this many alternatives a hash set beats a linear scan. */
    private static final int SET_THRESHOLD = 8;

    private final String prefix;
    private final String suffix;
    /** Minimum number of chars the wildcard takes: 0 for {@code .*}, 1 for {@code .+}, or NO_WILDCARD. */
    private final int wildcardMin;
    private final String[] alternatives;
    private final Set<String> alternativeSet;
    private final Group group;

    private FastRegex(String source, String prefix, String suffix, int wildcardMin, List<String> alternatives,
            Group group) {
        super(source);
        this.prefix = prefix;
        this.suffix = suffix;
        this.wildcardMin = wildcardMin;
        this.alternatives = alternatives == null ? null : alternatives.toArray(new String[0]);
        this.alternativeSet = alternatives != null && alternatives.size() > SET_THRESHOLD
                ? new HashSet<>(alternatives) : null;
        this.group = group;
    }

    /** A fast regex for {@code regex}, or {@code null} when it is not one of the recognised shapes. */
    static FastRegex tryParse(String regex) {
        String body = regex;
        if (body.startsWith("(?s)")) {
            body = body.substring(4); // already in (?s) mode: a no-op flag
        }
        List<Object> tokens = tokenize(body);
        if (tokens == null) {
            return null;
        }
        Group group = Group.NONE;
        int open = tokens.indexOf(Token.OPEN);
        if (open >= 0) {
            int close = tokens.indexOf(Token.CLOSE);
            if (close < open || tokens.lastIndexOf(Token.OPEN) != open || tokens.lastIndexOf(Token.CLOSE) != close) {
                return null;
            }
            if (open == 0 && close == tokens.size() - 1) {
                group = Group.WHOLE;
                tokens = tokens.subList(1, close);
            } else if (close == open + 2 && isWildcard(tokens.get(open + 1))) {
                group = Group.WILDCARD;
                List<Object> flat = new ArrayList<>(tokens);
                flat.remove(close);
                flat.remove(open);
                tokens = flat;
            } else {
                return null;
            }
        } else if (tokens.contains(Token.CLOSE)) {
            return null;
        }
        if (tokens.contains(Token.BAR)) {
            return alternation(regex, tokens, group);
        }
        int wild = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (isWildcard(tokens.get(i))) {
                if (wild >= 0) {
                    return null;
                }
                wild = i;
            }
        }
        if (wild < 0) {
            return new FastRegex(regex, literal(tokens), "", NO_WILDCARD, null, group);
        }
        int min = tokens.get(wild) == Token.DOT_PLUS ? 1 : 0;
        return new FastRegex(regex, literal(tokens.subList(0, wild)), literal(tokens.subList(wild + 1, tokens.size())),
                min, null, group);
    }

    private static FastRegex alternation(String regex, List<Object> tokens, Group group) {
        if (group == Group.WILDCARD) {
            return null;
        }
        List<String> alternatives = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (Object t : tokens) {
            if (t == Token.BAR) {
                alternatives.add(cur.toString());
                cur.setLength(0);
            } else if (t instanceof String s) {
                cur.append(s);
            } else {
                return null;
            }
        }
        alternatives.add(cur.toString());
        return new FastRegex(regex, "", "", NO_WILDCARD, alternatives, group);
    }

    private static boolean isWildcard(Object t) {
        return t == Token.DOT_STAR || t == Token.DOT_PLUS;
    }

    private static String literal(List<Object> tokens) {
        StringBuilder sb = new StringBuilder();
        for (Object t : tokens) {
            sb.append((String) t);
        }
        return sb.toString();
    }

    private enum Token { OPEN, CLOSE, BAR, DOT_STAR, DOT_PLUS }

    /** Literal text as Strings (one code point each) and structure as {@link Token}s; null if unsupported. */
    private static List<Object> tokenize(String re) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < re.length()) {
            int c = re.codePointAt(i);
            int n = Character.charCount(c);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= re.length()) {
                        return null;
                    }
                    char e = re.charAt(i + 1);
                    // an escaped ASCII non-word character is that character; letters/digits are classes etc.
                    if (e >= 0x80 || Character.isLetterOrDigit(e)) {
                        return null;
                    }
                    out.add(String.valueOf(e));
                    n = 2;
                }
                case '(' -> {
                    if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
                        return null;
                    }
                    out.add(Token.OPEN);
                }
                case ')' -> {
                    if (i + 1 < re.length() && isQuantifierChar(re.charAt(i + 1))) {
                        return null;
                    }
                    out.add(Token.CLOSE);
                }
                case '|' -> out.add(Token.BAR);
                case '.' -> {
                    if (i + 1 >= re.length()) {
                        return null;
                    }
                    char q = re.charAt(i + 1);
                    if (q != '*' && q != '+') {
                        return null;
                    }
                    if (i + 2 < re.length() && isQuantifierChar(re.charAt(i + 2))) {
                        return null; // lazy or stacked quantifier
                    }
                    out.add(q == '*' ? Token.DOT_STAR : Token.DOT_PLUS);
                    n = 2;
                }
                case '^', '$' -> {
                    // Redundant at the very start or end: the whole regex is anchored anyway.
                    boolean edge = c == '^' ? i == 0 : i == re.length() - 1;
                    if (!edge) {
                        return null;
                    }
                }
                case '*', '+', '?', '[', ']', '{', '}' -> {
                    return null;
                }
                default -> {
                    if (i + n < re.length() && isQuantifierChar(re.charAt(i + n))) {
                        return null;
                    }
                    out.add(re.substring(i, i + n));
                }
            }
            if (c == '\\' && i + 2 < re.length() && isQuantifierChar(re.charAt(i + 2))) {
                return null;
            }
            i += n;
        }
        return out;
    }

    private static boolean isQuantifierChar(char c) {
        return c == '*' || c == '+' || c == '?' || c == '{';
    }

    @Override
    String[] exactMatches() {
        if (wildcardMin != NO_WILDCARD) {
            return null;
        }
        String[] all = alternatives != null ? alternatives.clone() : new String[] {prefix};
        java.util.Arrays.sort(all);
        return all;
    }

    @Override
    String requiredPrefix() {
        return wildcardMin != NO_WILDCARD && !prefix.isEmpty() ? prefix : null;
    }

    @Override
    public boolean matches(String s) {
        if (alternatives != null) {
            if (alternativeSet != null) {
                return alternativeSet.contains(s);
            }
            for (String a : alternatives) {
                if (a.equals(s)) {
                    return true;
                }
            }
            return false;
        }
        if (wildcardMin == NO_WILDCARD) {
            return prefix.equals(s);
        }
        return s.length() >= prefix.length() + suffix.length() + wildcardMin
                && s.startsWith(prefix) && s.endsWith(suffix);
    }

    @Override
    Groups match(String s) {
        return matches(s) ? this : null;
    }

    @Override
    public int start(int g, int len) {
        if (g == 0) {
            return 0;
        }
        if (g != 1) {
            return -1;
        }
        return switch (group) {
            case NONE -> -1;
            case WHOLE -> 0;
            case WILDCARD -> prefix.length();
        };
    }

    @Override
    public int end(int g, int len) {
        if (g == 0) {
            return len;
        }
        if (g != 1) {
            return -1;
        }
        return switch (group) {
            case NONE -> -1;
            case WHOLE -> len;
            case WILDCARD -> len - suffix.length();
        };
    }

    @Override
    int groupCount() {
        return group == Group.NONE ? 0 : 1;
    }

    @Override
    int groupIndex(String name) {
        return -1;
    }

    @Override
    public boolean isFastPath() {
        return true;
    }
}
