package io.scrapeflux.relabel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A parser for the common part of RE2's syntax (literals, {@code .}, classes, {@code \d\w\s} and their
 * negations, groups, alternation, greedy and lazy quantifiers, {@code ^}/{@code $}) into a small tree, used
 * for two things re2j cannot give us:
 * <ul>
 *   <li>a {@link Prefilter}: minimum length and the possible first and last characters, so most
 *       non-matching inputs are rejected without running an automaton;</li>
 *   <li>a translation to an equivalent {@code java.util.regex} pattern, several times faster than re2j,
 *       for regexes where the two engines provably agree: explicit literals and classes (no syntax the
 *       two read differently), no case folding, no named groups, no nested or empty-iterating loops (so
 *       backtracking stays polynomial) and no capturing group inside a loop (where the JDK keeps the span
 *       of an abandoned iteration and RE2 does not).</li>
 * </ul>
 * Anything outside the subset makes {@link #parse} return null and the regex is left to re2j alone.
 */
final class RegexSyntax {

    /** Upper bound of a repeat count, as RE2. */
    private static final int MAX_REPEAT = 1000;
    /** At most this many unbounded loops for the backtracking engine: worst case stays a small polynomial. */
    private static final int MAX_LOOPS = 3;

    sealed interface Node permits Lit, AnyChar, CharClass, Group, Concat, Alt, Repeat, Edge {
    }

    record Lit(int cp) implements Node {
    }

    record AnyChar() implements Node {
    }

    /** Ranges as inclusive code point pairs. */
    record CharClass(int[] ranges, boolean negated) implements Node {
        boolean contains(int cp) {
            boolean in = false;
            for (int i = 0; i < ranges.length; i += 2) {
                if (cp >= ranges[i] && cp <= ranges[i + 1]) {
                    in = true;
                    break;
                }
            }
            return in != negated;
        }

        boolean mayContainNonAscii() {
            if (negated) {
                return true;
            }
            for (int i = 1; i < ranges.length; i += 2) {
                if (ranges[i] >= 0x80) {
                    return true;
                }
            }
            return false;
        }
    }

    record Group(Node body, boolean capturing) implements Node {
    }

    record Concat(List<Node> items) implements Node {
    }

    record Alt(List<Node> alternatives) implements Node {
    }

    /** {@code max} is -1 for unbounded. */
    record Repeat(Node body, int min, int max, boolean lazy) implements Node {
    }

    /** {@code ^} (begin) or {@code $} (end) of text. */
    record Edge(boolean begin) implements Node {
    }

    private final String re;
    private int pos;

    private RegexSyntax(String re) {
        this.re = re;
    }

    /** The tree of {@code regex}, or null when it uses syntax outside the supported subset. */
    static Node parse(String regex) {
        RegexSyntax p = new RegexSyntax(regex);
        if (regex.startsWith("(?s)")) {
            p.pos = 4;
        }
        try {
            Node n = p.alternation();
            return p.pos == regex.length() ? n : null;
        } catch (Unsupported e) {
            return null;
        }
    }

    /** Thrown internally to abandon parsing; cheap, no stack trace. */
    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static Unsupported unsupported() {
        return new Unsupported();
    }

    private boolean more() {
        return pos < re.length();
    }

    private char peek() {
        return re.charAt(pos);
    }

    private Node alternation() {
        List<Node> alts = new ArrayList<>();
        alts.add(concat());
        while (more() && peek() == '|') {
            pos++;
            alts.add(concat());
        }
        return alts.size() == 1 ? alts.get(0) : new Alt(alts);
    }

    private Node concat() {
        List<Node> items = new ArrayList<>();
        while (more() && peek() != '|' && peek() != ')') {
            items.add(repeat(atom()));
        }
        return items.size() == 1 ? items.get(0) : new Concat(items);
    }

    private Node repeat(Node atom) {
        if (!more()) {
            return atom;
        }
        int min;
        int max;
        switch (peek()) {
            case '*' -> {
                min = 0;
                max = -1;
                pos++;
            }
            case '+' -> {
                min = 1;
                max = -1;
                pos++;
            }
            case '?' -> {
                min = 0;
                max = 1;
                pos++;
            }
            case '{' -> {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw unsupported();
                }
                String spec = re.substring(pos + 1, close);
                if (!spec.matches("[0-9]{1,4}(,[0-9]{0,4})?")) {
                    throw unsupported(); // RE2 reads a malformed {..} as literal text: leave that to re2j
                }
                int comma = spec.indexOf(',');
                min = Integer.parseInt(comma < 0 ? spec : spec.substring(0, comma));
                max = comma < 0 ? min : comma == spec.length() - 1 ? -1 : Integer.parseInt(spec.substring(comma + 1));
                if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
                    throw unsupported();
                }
                pos = close + 1;
            }
            default -> {
                return atom;
            }
        }
        boolean lazy = false;
        if (more() && peek() == '?') {
            lazy = true;
            pos++;
        }
        if (more() && (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{')) {
            throw unsupported(); // stacked quantifiers: RE2 rejects some, leave them to re2j
        }
        if (atom instanceof Edge) {
            throw unsupported();
        }
        return new Repeat(atom, min, max, lazy);
    }

    private Node atom() {
        char c = peek();
        switch (c) {
            case '(' -> {
                pos++;
                boolean capturing = true;
                if (re.startsWith("?:", pos)) {
                    capturing = false;
                    pos += 2;
                } else if (re.startsWith("?s:", pos)) {
                    capturing = false; // already in (?s) mode
                    pos += 3;
                } else if (more() && peek() == '?') {
                    throw unsupported(); // flags, named groups
                }
                Node body = alternation();
                if (!more() || peek() != ')') {
                    throw unsupported();
                }
                pos++;
                return new Group(body, capturing);
            }
            case '.' -> {
                pos++;
                return new AnyChar();
            }
            case '[' -> {
                return charClass();
            }
            case '^', '$' -> {
                pos++;
                return new Edge(c == '^');
            }
            case '\\' -> {
                return escape(false);
            }
            case '*', '+', '?', '{', ')', ']', '}' -> throw unsupported();
            default -> {
                int cp = re.codePointAt(pos);
                pos += Character.charCount(cp);
                return new Lit(cp);
            }
        }
    }

    private static final int[] DIGIT = {'0', '9'};
    private static final int[] WORD = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};
    private static final int[] SPACE = {'\t', '\n', '\f', '\r', ' ', ' '};

    /** An escape at {@code pos}: a literal, or a Perl class as a {@link CharClass}. */
    private Node escape(boolean inClass) {
        if (pos + 1 >= re.length()) {
            throw unsupported();
        }
        char e = re.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case 'd':
                return new CharClass(DIGIT, false);
            case 'D':
                return new CharClass(DIGIT, true);
            case 'w':
                return new CharClass(WORD, false);
            case 'W':
                return new CharClass(WORD, true);
            case 's':
                return new CharClass(SPACE, false);
            case 'S':
                return new CharClass(SPACE, true);
            case 'n':
                return new Lit('\n');
            case 't':
                return new Lit('\t');
            case 'r':
                return new Lit('\r');
            case 'f':
                return new Lit('\f');
            case 'v':
                return new Lit(0x0b);
            case 'a':
                return new Lit(0x07);
            default:
                if (e < 0x80 && !Character.isLetterOrDigit(e)) {
                    return new Lit(e);
                }
                throw unsupported(); // \b, \p{..}, \x.., \Q..\E, \A, \z, back-references...
        }
    }

    private Node charClass() {
        pos++; // '['
        boolean negated = false;
        if (more() && peek() == '^') {
            negated = true;
            pos++;
        }
        List<int[]> parts = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (!more()) {
                throw unsupported();
            }
            char c = peek();
            if (c == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            if (c == '[') {
                throw unsupported(); // [:alpha:] and friends
            }
            int lo;
            if (c == '\\') {
                Node n = escape(true);
                if (n instanceof CharClass cc) {
                    if (cc.negated()) {
                        throw unsupported(); // negated Perl class inside a class: rare, keep it simple
                    }
                    parts.add(cc.ranges());
                    continue;
                }
                lo = ((Lit) n).cp();
            } else {
                lo = re.codePointAt(pos);
                pos += Character.charCount(lo);
            }
            int hi = lo;
            if (pos + 1 < re.length() && peek() == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                if (peek() == '\\') {
                    Node n = escape(true);
                    if (!(n instanceof Lit l)) {
                        throw unsupported();
                    }
                    hi = l.cp();
                } else {
                    hi = re.codePointAt(pos);
                    pos += Character.charCount(hi);
                }
                if (hi < lo) {
                    throw unsupported(); // RE2 rejects it: let re2j report
                }
            }
            parts.add(new int[] {lo, hi});
        }
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] ranges = new int[n];
        int k = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, ranges, k, p.length);
            k += p.length;
        }
        return new CharClass(ranges, negated);
    }

    // ---- analysis ----

    static int minLength(Node n) {
        if (n instanceof Lit l) {
            return Character.charCount(l.cp());
        } else if (n instanceof AnyChar || n instanceof CharClass) {
            return 1;
        } else if (n instanceof Group g) {
            return minLength(g.body());
        } else if (n instanceof Concat c) {
            int sum = 0;
            for (Node i : c.items()) {
                sum += minLength(i);
            }
            return sum;
        } else if (n instanceof Alt a) {
            int min = Integer.MAX_VALUE;
            for (Node i : a.alternatives()) {
                min = Math.min(min, minLength(i));
            }
            return min;
        } else if (n instanceof Repeat r) {
            return r.min() * minLength(r.body());
        }
        return 0; // Edge
    }

    /**
     * Whether the backtracking engine gives RE2's answers in polynomial time for this tree: loops
     * ({@code *}, {@code +}, {@code {n,m}} with m > 1) only over bodies that consume at least one char
     * and contain neither a loop nor a capturing group, and few loops overall.
     */
    static boolean safeForBacktracking(Node n) {
        int[] loops = {0};
        return safe(n, loops) && loops[0] <= MAX_LOOPS;
    }

    private static boolean safe(Node n, int[] loops) {
        if (n instanceof Group g) {
            return safe(g.body(), loops);
        } else if (n instanceof Concat c) {
            for (Node i : c.items()) {
                if (!safe(i, loops)) {
                    return false;
                }
            }
            return true;
        } else if (n instanceof Alt a) {
            for (Node i : a.alternatives()) {
                if (!safe(i, loops)) {
                    return false;
                }
            }
            return true;
        } else if (n instanceof Repeat r) {
            if (r.max() == 1) {
                return safe(r.body(), loops); // an optional part: no loop
            }
            // A group captured in an iteration that is later given up keeps its span in java.util.regex but
            // not in RE2: (?:(a))*a on "a" gives group 1 = [0,1] there and unset here.
            if (minLength(r.body()) == 0 || containsLoop(r.body()) || containsCapture(r.body())) {
                return false;
            }
            if (r.max() < 0) {
                loops[0]++;
            }
            return true;
        }
        return true;
    }

    private static boolean containsCapture(Node n) {
        return contains(n, x -> x instanceof Group g && g.capturing());
    }

    private static boolean containsLoop(Node n) {
        return contains(n, x -> x instanceof Repeat r && r.max() != 1);
    }

    /** Whether {@code n} or any node below it is {@code kind}. */
    private static boolean contains(Node n, Predicate<Node> kind) {
        if (kind.test(n)) {
            return true;
        } else if (n instanceof Group g) {
            return contains(g.body(), kind);
        } else if (n instanceof Concat c) {
            return c.items().stream().anyMatch(i -> contains(i, kind));
        } else if (n instanceof Alt a) {
            return a.alternatives().stream().anyMatch(i -> contains(i, kind));
        } else if (n instanceof Repeat r) {
            return contains(r.body(), kind);
        }
        return false;
    }

    /** The equivalent {@code java.util.regex} pattern text (for use with DOTALL and {@code matches()}). */
    static String toJava(Node n) {
        StringBuilder sb = new StringBuilder();
        emit(n, sb);
        return sb.toString();
    }

    private static void emit(Node n, StringBuilder sb) {
        if (n instanceof Lit l) {
            emitCodePoint(l.cp(), sb);
        } else if (n instanceof AnyChar) {
            sb.append('.');
        } else if (n instanceof CharClass c) {
            sb.append(c.negated() ? "[^" : "[");
            int[] r = c.ranges();
            for (int i = 0; i < r.length; i += 2) {
                emitCodePoint(r[i], sb);
                if (r[i + 1] != r[i]) {
                    sb.append('-');
                    emitCodePoint(r[i + 1], sb);
                }
            }
            sb.append(']');
        } else if (n instanceof Group g) {
            sb.append(g.capturing() ? "(" : "(?:");
            emit(g.body(), sb);
            sb.append(')');
        } else if (n instanceof Concat c) {
            for (Node i : c.items()) {
                emit(i, sb);
            }
        } else if (n instanceof Alt a) {
            for (int i = 0; i < a.alternatives().size(); i++) {
                if (i > 0) {
                    sb.append('|');
                }
                emit(a.alternatives().get(i), sb);
            }
        } else if (n instanceof Repeat r) {
            boolean wrap = r.body() instanceof Concat || r.body() instanceof Alt;
            sb.append(wrap ? "(?:" : "");
            emit(r.body(), sb);
            sb.append(wrap ? ")" : "");
            if (r.max() < 0) {
                sb.append(r.min() == 0 ? "*" : r.min() == 1 ? "+" : "{" + r.min() + ",}");
            } else if (r.min() == 0 && r.max() == 1) {
                sb.append('?');
            } else {
                sb.append('{').append(r.min()).append(',').append(r.max()).append('}');
            }
            if (r.lazy()) {
                sb.append('?');
            }
        } else if (n instanceof Edge e) {
            sb.append(e.begin() ? "\\A" : "\\z");
        }
    }

    private static void emitCodePoint(int cp, StringBuilder sb) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
            sb.append((char) cp);
        } else {
            sb.append("\\x{").append(Integer.toHexString(cp)).append('}');
        }
    }
}
