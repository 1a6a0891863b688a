package io.scrapeflux.relabel;

import io.scrapeflux.relabel.RegexSyntax.AnyChar;
import io.scrapeflux.relabel.RegexSyntax.CharClass;
import io.scrapeflux.relabel.RegexSyntax.Concat;
import io.scrapeflux.relabel.RegexSyntax.Group;
import io.scrapeflux.relabel.RegexSyntax.Lit;
import io.scrapeflux.relabel.RegexSyntax.Node;
import io.scrapeflux.relabel.RegexSyntax.Repeat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Necessary conditions for a whole-string match, read off the regex tree: a minimum length and the
 * characters a match can start and end with. Most inputs a relabel rule does not match fail one of them,
 * so they are rejected in a few nanoseconds instead of running a regex engine; inputs that pass still go
 * to the engine, so answers never change.
 */
final class Prefilter {

    /** Checking more required chars than this costs more than it saves. */
    private static final int MAX_REQUIRED = 3;

    private final int minLength;
    private final CharSet first;
    private final CharSet last;
    /** Chars every match contains (such as the {@code ;} of a joined-labels regex). */
    private final char[] required;

    private Prefilter(int minLength, CharSet first, CharSet last, char[] required) {
        this.minLength = minLength;
        this.first = first;
        this.last = last;
        this.required = required;
    }

    static Prefilter of(Node regex) {
        Set<Character> req = new LinkedHashSet<>(required(regex));
        char[] chars = new char[Math.min(MAX_REQUIRED, req.size())];
        Iterator<Character> it = req.iterator();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = it.next();
        }
        return new Prefilter(RegexSyntax.minLength(regex), edge(regex, true), edge(regex, false), chars);
    }

    /** True when {@code s} (non-empty) certainly does not match. */
    boolean rejects(String s) {
        if (s.length() < minLength || !first.contains(s.charAt(0)) || !last.contains(s.charAt(s.length() - 1))) {
            return true;
        }
        for (char c : required) {
            if (s.indexOf(c) < 0) {
                return true;
            }
        }
        return false;
    }

    /** BMP literal chars that every match of {@code n} contains. */
    private static Set<Character> required(Node n) {
        if (n instanceof Lit l) {
            return l.cp() < 0x10000 ? Set.of((char) l.cp()) : Set.of();
        } else if (n instanceof Group g) {
            return required(g.body());
        } else if (n instanceof Concat c) {
            Set<Character> all = new LinkedHashSet<>();
            for (Node item : c.items()) {
                all.addAll(required(item));
            }
            return all;
        } else if (n instanceof RegexSyntax.Alt a) {
            Set<Character> common = null;
            for (Node alt : a.alternatives()) {
                Set<Character> r = required(alt);
                if (common == null) {
                    common = new LinkedHashSet<>(r);
                } else {
                    common.retainAll(r);
                }
            }
            return common == null ? Set.of() : common;
        } else if (n instanceof Repeat r) {
            return r.min() > 0 ? required(r.body()) : Set.of();
        }
        return Set.of();
    }

    /** UTF-16 units: a bit per ASCII char, one flag for everything else. */
    private static final class CharSet {
        long lo;
        long hi;
        boolean nonAscii;

        boolean contains(char c) {
            if (c >= 0x80) {
                return nonAscii;
            }
            return c < 64 ? (lo & (1L << c)) != 0 : (hi & (1L << (c - 64))) != 0;
        }

        void add(int c) {
            if (c >= 0x80) {
                nonAscii = true;
            } else if (c < 64) {
                lo |= 1L << c;
            } else {
                hi |= 1L << (c - 64);
            }
        }

        void addAll(CharSet o) {
            lo |= o.lo;
            hi |= o.hi;
            nonAscii |= o.nonAscii;
        }

        static CharSet all() {
            CharSet s = new CharSet();
            s.lo = -1L;
            s.hi = -1L;
            s.nonAscii = true;
            return s;
        }
    }

    /** Chars a match of {@code n} can start ({@code atStart}) or end with. */
    private static CharSet edge(Node n, boolean atStart) {
        CharSet out = new CharSet();
        collect(n, atStart, out);
        return out;
    }

    /** Adds the possible edge chars of {@code n} to {@code out}; returns whether {@code n} can match empty. */
    private static boolean collect(Node n, boolean atStart, CharSet out) {
        if (n instanceof Lit l) {
            String s = new String(Character.toChars(l.cp()));
            out.add(atStart ? s.charAt(0) : s.charAt(s.length() - 1));
            return false;
        } else if (n instanceof AnyChar) {
            out.addAll(CharSet.all());
            return false;
        } else if (n instanceof CharClass c) {
            for (int ch = 0; ch < 0x80; ch++) {
                if (c.contains(ch)) {
                    out.add(ch);
                }
            }
            if (c.mayContainNonAscii()) {
                out.nonAscii = true;
            }
            return false;
        } else if (n instanceof Group g) {
            return collect(g.body(), atStart, out);
        } else if (n instanceof Concat c) {
            List<Node> items = c.items();
            for (int k = 0; k < items.size(); k++) {
                Node item = items.get(atStart ? k : items.size() - 1 - k);
                if (!collect(item, atStart, out)) {
                    return false;
                }
            }
            return true;
        } else if (n instanceof RegexSyntax.Alt a) {
            boolean nullable = false;
            for (Node alt : a.alternatives()) {
                nullable |= collect(alt, atStart, out);
            }
            return nullable;
        } else if (n instanceof Repeat r) {
            if (r.max() == 0) {
                return true;
            }
            return collect(r.body(), atStart, out) || r.min() == 0;
        }
        return true; // ^ and $ consume nothing
    }
}
