package io.scrapeflux.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's regexp.Expand rules, which differ from Java's replacement syntax. */
class TemplateTest {

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "$1|foo",
        "${1}|foo",
        "${1}x|foox",
        "$1x|''", // the group named "1x": absent, so empty
        "$1_$2|bar", // "1_" is a name too (empty), then group 2
        "${1}_${2}|foo_bar",
        "$$1|$1",
        "$$|$",
        "a$|a$", // a lone $ stays literal
        "${|${",
        "${}|${}",
        "${1|${1",
        "$-|$-",
        "$01|''", // leading zero: a name, not group 1
        "$0|foo-bar",
        "$3|''", // no such group
        "$name|foo",
        "${name}!|foo!",
        "$name_x|''",
        "${rest}|bar",
        "<$2>|<bar>",
    })
    void expandsLikeGo(String template, String expected) {
        LabelRegex re = LabelRegex.compile("(?P<name>[a-z]+)-(?P<rest>.*)");
        String src = "foo-bar";
        assertThat(Template.parse(template, re).expand(src, re.match(src))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
        "(a)|(b);b;[$1][$2];[][b]", // a group that did not take part expands to nothing
        "(.*);xyz;$1$1;xyzxyz",
        "x(.*)y;xaby;<$1>;<ab>",
        "(.+)one;phone;$1;ph",
    })
    void groupsOfFastAndRegexPathsExpandTheSame(String regex, String src, String template, String expected) {
        LabelRegex fast = LabelRegex.compile(regex);
        LabelRegex slow = LabelRegex.compileSlow(regex);
        assertThat(Template.parse(template, fast).expand(src, fast.match(src))).isEqualTo(expected);
        assertThat(Template.parse(template, slow).expand(src, slow.match(src))).isEqualTo(expected);
    }
}
