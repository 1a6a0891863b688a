package io.scrapeflux.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;

/**
 * A relabel regex: RE2 semantics, anchored at both ends with {@code .} matching newlines, as Prometheus 3
 * compiles {@code ^(?s:REGEX)$}.
 *
 * <p>{@link #compile} picks the cheapest engine that gives re2j's answers, capture groups included:
 * <ol>
 *   <li>{@link FastRegex}: literals, alternations of literals, prefix/suffix around {@code .*}/{@code .+},
 *       answered by string comparison;</li>
 *   <li>{@link JdkRegex}: the RE2 subset where {@code java.util.regex} provably agrees (see
 *       {@link RegexSyntax}), behind a {@link Prefilter}, for inputs up to 128 chars;</li>
 *   <li>re2j, behind a {@link Prefilter} when the regex can be analysed.</li>
 * </ol>
 * Property tests compare every engine with plain re2j on random regexes and inputs.
 */
public abstract class LabelRegex {

    private final String source;

    LabelRegex(String source) {
        this.source = source;
    }

    /** Compiles {@code regex} as written in a config (unanchored text). */
    public static LabelRegex compile(String regex) {
        LabelRegex fast = FastRegex.tryParse(regex);
        if (fast != null) {
            return fast;
        }
        Re2Regex re2 = new Re2Regex(regex); // validates with RE2's own syntax rules
        RegexSyntax.Node tree = RegexSyntax.parse(regex);
        if (tree == null) {
            return re2;
        }
        Prefilter prefilter = Prefilter.of(tree);
        if (RegexSyntax.safeForBacktracking(tree)) {
            JdkRegex jdk = new JdkRegex(regex, RegexSyntax.toJava(tree), prefilter, re2);
            if (jdk.groupCount() == re2.groupCount()) {
                return jdk;
            }
        }
        return re2.withPrefilter(prefilter);
    }

    /** Compiles with re2j only, never a fast path: the reference the fast paths are tested against. */
    public static LabelRegex compileSlow(String regex) {
        return new Re2Regex(regex);
    }

    /** The regex as written in the config. */
    public String source() {
        return source;
    }

    /** Whether the whole of {@code s} matches. */
    public abstract boolean matches(String s);

    /**
     * Matches {@code s} and returns its capture groups, or {@code null} when it does not match. The
     * result may be a shared view that is valid only until the next call on this thread.
     */
    abstract Groups match(String s);

    /** Number of capture groups (group 0, the whole match, not counted). */
    abstract int groupCount();

    /** Index of the group named {@code name}, or -1. */
    abstract int groupIndex(String name);

    /** Every string this regex matches, sorted, when it is a literal or an alternation of literals; else null. */
    String[] exactMatches() {
        return null;
    }

    /** A non-empty prefix every match starts with, when the regex is a prefix around a wildcard; else null. */
    String requiredPrefix() {
        return null;
    }

    /** Whether this regex is answered by string comparison alone (for tests and benchmarks). */
    public abstract boolean isFastPath();

    @Override
    public String toString() {
        return source;
    }

    /** The spans of one match; {@code -1} for a group that did not take part or does not exist. */
    interface Groups {
        /** Start of {@code group} in a matched string of length {@code len}. */
        int start(int group, int len);

        int end(int group, int len);
    }

    /** The general case, answered by re2j. */
    static final class Re2Regex extends LabelRegex {
        private final Pattern pattern;
        private final Map<String, Integer> names;
        /** The match of the empty string, computed once: missing source labels make it the commonest input. */
        private final Groups emptyMatch;
        private final Prefilter prefilter;

        Re2Regex(String regex) {
            this(regex, null);
        }

        private Re2Regex(String regex, Prefilter prefilter) {
            super(regex);
            this.prefilter = prefilter;
            try {
                this.pattern = Pattern.compile("^(?s:" + regex + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid relabel regex " + GoQuote.quote(regex) + ": "
                        + e.getMessage(), e);
            }
            this.names = pattern.namedGroups();
            this.emptyMatch = find("");
        }

        Re2Regex withPrefilter(Prefilter p) {
            return new Re2Regex(source(), p);
        }

        @Override
        public boolean matches(String s) {
            if (s.isEmpty()) {
                return emptyMatch != null;
            }
            if (prefilter != null && prefilter.rejects(s)) {
                return false;
            }
            // find() with explicit anchors, as Go's FindStringSubmatchIndex: leftmost-first submatches.
            return pattern.matcher(s).find();
        }

        @Override
        Groups match(String s) {
            if (s.isEmpty()) {
                return emptyMatch;
            }
            return prefilter != null && prefilter.rejects(s) ? null : find(s);
        }

        private Groups find(String s) {
            Matcher m = pattern.matcher(s);
            if (!m.find()) {
                return null;
            }
            return new Groups() {
                @Override
                public int start(int group, int len) {
                    return group <= m.groupCount() ? m.start(group) : -1;
                }

                @Override
                public int end(int group, int len) {
                    return group <= m.groupCount() ? m.end(group) : -1;
                }
            };
        }

        @Override
        int groupCount() {
            return pattern.groupCount();
        }

        @Override
        int groupIndex(String name) {
            Integer i = names.get(name);
            return i == null ? -1 : i;
        }

        @Override
        public boolean isFastPath() {
            return false;
        }
    }

    /**
     * A regex in the subset where {@code java.util.regex} and RE2 agree (see {@link RegexSyntax}), run by
     * the JDK's engine, which is several times faster than re2j on short strings. Backtracking is
     * polynomial in the input length for this subset, so long inputs go to re2j, which is linear.
     */
    static final class JdkRegex extends LabelRegex {
        /** Longest input given to the backtracking engine; with at most 3 loops the worst case stays small. */
        static final int MAX_BACKTRACKING_INPUT = 128;

        private final java.util.regex.Pattern pattern;
        private final Prefilter prefilter;
        private final Re2Regex linear;
        private final int groups;

        JdkRegex(String regex, String javaRegex, Prefilter prefilter, Re2Regex linear) {
            super(regex);
            this.pattern = java.util.regex.Pattern.compile(javaRegex, java.util.regex.Pattern.DOTALL);
            this.prefilter = prefilter;
            this.linear = linear;
            this.groups = pattern.matcher("").groupCount();
        }

        @Override
        public boolean matches(String s) {
            if (s.isEmpty() || s.length() > MAX_BACKTRACKING_INPUT) {
                return linear.matches(s); // the empty string's answer is cached there
            }
            return !prefilter.rejects(s) && pattern.matcher(s).matches();
        }

        @Override
        Groups match(String s) {
            if (s.isEmpty() || s.length() > MAX_BACKTRACKING_INPUT) {
                return linear.match(s);
            }
            if (prefilter.rejects(s)) {
                return null;
            }
            java.util.regex.Matcher m = pattern.matcher(s);
            if (!m.matches()) {
                return null;
            }
            return new Groups() {
                @Override
                public int start(int group, int len) {
                    return group <= groups ? m.start(group) : -1;
                }

                @Override
                public int end(int group, int len) {
                    return group <= groups ? m.end(group) : -1;
                }
            };
        }

        @Override
        int groupCount() {
            return groups;
        }

        @Override
        int groupIndex(String name) {
            return -1;
        }

        @Override
        public boolean isFastPath() {
            return false;
        }
    }
}
