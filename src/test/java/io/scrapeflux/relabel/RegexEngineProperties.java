package io.scrapeflux.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever engine {@link LabelRegex#compile} picks (fast path, JDK regex with prefilter, re2j with
 * prefilter), it answers exactly as re2j alone on Prometheus's anchored regex: same match decision and
 * same span for every capture group. Regexes are random trees over RE2's syntax; inputs draw on the
 * same small alphabet so matches are frequent.
 */
class RegexEngineProperties {

    private static final String INPUT_CHARS = "ab:;1-.\n\u00e9";

    @Property(tries = 3000)
    void everyEngineAgreesWithRe2j(@ForAll long seed) {
        Random rnd = new Random(seed);
        String regex = alternation(rnd, 3);
        LabelRegex slow;
        try {
            slow = LabelRegex.compileSlow(regex);
        } catch (IllegalArgumentException e) {
            return; // not a valid RE2 regex; compile() must reject it too
        }
        LabelRegex chosen = LabelRegex.compile(regex);
        Statistics.collect(chosen.getClass().getSimpleName());
        assertThat(chosen.groupCount()).isEqualTo(slow.groupCount());
        StringBuilder all = new StringBuilder();
        for (int g = 0; g <= slow.groupCount(); g++) {
            all.append("${").append(g).append("}|");
        }
        Template spans = Template.parse(all.toString(), slow);
        for (int i = 0; i < 12; i++) {
            String input = input(rnd);
            if (i == 11 && !input.isEmpty()) {
                input = input.repeat(LabelRegex.JdkRegex.MAX_BACKTRACKING_INPUT / input.length() + 1); // re2j's turn
            }
            assertAgrees(regex, input, chosen, slow, spans);
        }
    }

    /** Found by the property above: the JDK keeps the span of a group from an abandoned loop iteration. */
    @Example
    void groupsInsideLoopsAreUnsetWhenTheirIterationIsGivenUp() {
        for (String[] c : new String[][] {{"(?:(a))*a", "a"}, {"\\S{0,}(?:[a-c1]())*[\\d:]", ".b\u00e9b.1"},
                {"(?:x(a)|y)+a", "xaya"}}) {
            LabelRegex slow = LabelRegex.compileSlow(c[0]);
            assertAgrees(c[0], c[1], LabelRegex.compile(c[0]), slow, Template.parse("${1}", slow));
        }
        // a capture in an optional part is still safe for the JDK engine
        assertThat(LabelRegex.compile("(?:(a)b)?a")).isInstanceOf(LabelRegex.JdkRegex.class);
    }

    private static void assertAgrees(String regex, String input, LabelRegex chosen, LabelRegex slow, Template spans) {
        String engine = chosen.getClass().getSimpleName();
        assertThat(chosen.matches(input)).as("%s on %s (%s)", regex, input, engine).isEqualTo(slow.matches(input));
        LabelRegex.Groups expected = slow.match(input);
        LabelRegex.Groups actual = chosen.match(input);
        assertThat(actual == null).isEqualTo(expected == null);
        if (expected != null) {
            for (int g = 0; g <= slow.groupCount(); g++) {
                assertThat(new int[] {actual.start(g, input.length()), actual.end(g, input.length())})
                        .as("group %d of %s on %s (%s)", g, regex, input, engine)
                        .containsExactly(expected.start(g, input.length()), expected.end(g, input.length()));
            }
            assertThat(spans.expand(input, actual)).isEqualTo(spans.expand(input, expected));
        }
    }

    private static String input(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(9);
        for (int i = 0; i < n; i++) {
            sb.append(INPUT_CHARS.charAt(rnd.nextInt(INPUT_CHARS.length())));
        }
        return sb.toString();
    }

    private static String alternation(Random rnd, int depth) {
        int n = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('|');
            }
            sb.append(concat(rnd, depth));
        }
        return sb.toString();
    }

    private static String concat(Random rnd, int depth) {
        int n = rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(atom(rnd, depth)).append(quantifier(rnd));
        }
        return sb.toString();
    }

    private static final String[] ATOMS = {
        "a", "b", ":", ";", "1", "-", "\\.", ".", "[ab]", "[^a]", "[a-c1]", "[-a]", "[^:;]", "\\d", "\\w", "\\s",
        "\\S", "\\D", "\\W", "[\\d:]", "\u00e9", "^", "$", "(?i)a", "\\b",
    };

    private static String atom(Random rnd, int depth) {
        if (depth > 0 && rnd.nextInt(4) == 0) {
            String open = switch (rnd.nextInt(3)) {
                case 0 -> "(";
                case 1 -> "(?:";
                default -> "(?P<n" + rnd.nextInt(3) + ">";
            };
            return open + alternation(rnd, depth - 1) + ")";
        }
        return ATOMS[rnd.nextInt(ATOMS.length)];
    }

    private static String quantifier(Random rnd) {
        String q = switch (rnd.nextInt(9)) {
            case 0 -> "*";
            case 1 -> "+";
            case 2 -> "?";
            case 3 -> "{1,2}";
            case 4 -> "{2}";
            case 5 -> "{0,}";
            default -> "";
        };
        return !q.isEmpty() && rnd.nextInt(3) == 0 ? q + "?" : q;
    }
}
