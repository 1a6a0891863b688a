package io.scrapeflux.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The fast paths must answer exactly as re2j on the anchored regex: same match decision, same capture
 * spans. Regexes and inputs draw on a small alphabet (including an escaped metacharacter, a newline and a
 * non-BMP character) so that matches and near-misses are both frequent.
 */
class FastRegexProperties {

    private static final String ALPHABET = "ab.:\n\u00e9\uD83D\uDE00";

    @Property(tries = 2000)
    void literalsAlternationsAndPrefixesMatchLikeRe2(@ForAll("fastRegexes") String regex, @ForAll("inputs") String input) {
        LabelRegex fast = LabelRegex.compile(regex);
        LabelRegex slow = LabelRegex.compileSlow(regex);
        assertThat(fast.isFastPath()).as("fast path for %s", regex).isTrue();
        assertThat(fast.matches(input)).as("%s on %s", regex, input).isEqualTo(slow.matches(input));
        assertThat(fast.groupCount()).isEqualTo(slow.groupCount());
        String template = "<$0|$1>";
        LabelRegex.Groups f = fast.match(input);
        LabelRegex.Groups s = slow.match(input);
        if (f != null) {
            assertThat(Template.parse(template, fast).expand(input, f))
                    .isEqualTo(Template.parse(template, slow).expand(input, s));
        }
    }

    @Property(tries = 300)
    void inputsBuiltFromTheRegexAgree(@ForAll("fastRegexes") String regex, @ForAll("inputs") String noise) {
        // Strip regex syntax to get inputs that usually match, to exercise the span arithmetic.
        String near = regex.replace("^", "").replace("$", "").replace("(", "").replace(")", "").replace("\\", "").replace(".*", noise)
                .replace(".+", noise);
        for (String input : List.of(near, near.split("\\|", -1)[0], noise + near)) {
            LabelRegex fast = LabelRegex.compile(regex);
            LabelRegex slow = LabelRegex.compileSlow(regex);
            assertThat(fast.matches(input)).as("%s on %s", regex, input).isEqualTo(slow.matches(input));
            if (fast.matches(input)) {
                assertThat(Template.parse("$1", fast).expand(input, fast.match(input)))
                        .isEqualTo(Template.parse("$1", slow).expand(input, slow.match(input)));
            }
        }
    }

    @Provide
    Arbitrary<String> inputs() {
        return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMaxLength(6)
                .filter(s -> !hasUnpairedSurrogate(s));
    }

    @Provide
    Arbitrary<String> fastRegexes() {
        Arbitrary<String> literal = Arbitraries.strings().withChars("ab:\u00e9".toCharArray()).ofMaxLength(3)
                .flatMap(s -> Arbitraries.of(s, s + "\\.", "\\." + s, s + "\uD83D\uDE00"));
        Arbitrary<String> alternation = literal.list().ofMinSize(2).ofMaxSize(10).map(l -> String.join("|", l));
        Arbitrary<String> wildcard = Arbitraries.of(".*", ".+", "(.*)", "(.+)");
        Arbitrary<String> affixed = Combinators.combine(literal, wildcard, literal).as((p, w, s) -> p + w + s);
        Arbitrary<String> plain = Arbitraries.oneOf(literal, alternation, affixed);
        return Combinators.combine(plain, Arbitraries.of(Tuple.of("", ""), Tuple.of("(", ")"), Tuple.of("(?s)", ""), Tuple.of("^", "$"), Tuple.of("^(", ")$")))
                .as((body, wrap) -> body.contains("(") && wrap.get1().contains("(")
                        ? body : wrap.get1() + body + wrap.get2());
    }

    private static boolean hasUnpairedSurrogate(String s) {
        return !io.scrapeflux.config.LabelNames.isValidValue(s);
    }
}
