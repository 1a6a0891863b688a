package io.scrapeflux.relabel;

import static io.scrapeflux.config.RelabelAction.DROP;
import static io.scrapeflux.config.RelabelAction.DROPEQUAL;
import static io.scrapeflux.config.RelabelAction.HASHMOD;
import static io.scrapeflux.config.RelabelAction.KEEP;
import static io.scrapeflux.config.RelabelAction.KEEPEQUAL;
import static io.scrapeflux.config.RelabelAction.LABELDROP;
import static io.scrapeflux.config.RelabelAction.LABELKEEP;
import static io.scrapeflux.config.RelabelAction.LABELMAP;
import static io.scrapeflux.config.RelabelAction.LOWERCASE;
import static io.scrapeflux.config.RelabelAction.REPLACE;
import static io.scrapeflux.config.RelabelAction.UPPERCASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.config.SourceLocation;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Per-action behaviour of the relabel engine. Cases marked "Prometheus" take their inputs and expected
 * outputs from Prometheus's own model/relabel/relabel_test.go (TestRelabel), as data.
 */
class RelabelChainTest {

    static RelabelConfig rule(RelabelAction action, List<String> sources, String regex, String target,
            String replacement) {
        return RelabelConfig.of(action, sources, regex, target, replacement);
    }

    static RelabelConfig withSeparator(RelabelConfig r, String separator) {
        return new RelabelConfig(r.sourceLabels(), separator, r.regex(), r.modulus(), r.targetLabel(), r.replacement(),
                r.action(), SourceLocation.NONE);
    }

    static RelabelConfig hashmod(List<String> sources, String target, long modulus) {
        return new RelabelConfig(sources, ";", "(.*)", modulus, target, "$1", HASHMOD, SourceLocation.NONE);
    }

    static Labels run(Labels in, RelabelConfig... rules) {
        return RelabelChain.compile(Arrays.asList(rules), NameValidationScheme.LEGACY).apply(in);
    }

    static Labels runUtf8(Labels in, RelabelConfig... rules) {
        return RelabelChain.compile(Arrays.asList(rules), NameValidationScheme.UTF8).apply(in);
    }

    @Nested
    class Replace {
        @Test
        void templateRepeatsAGroup() { // Prometheus
            Labels out = run(Labels.of("a", "foo", "b", "bar", "c", "baz"),
                    rule(REPLACE, List.of("a"), "f(.*)", "d", "ch${1}-ch${1}"));
            assertThat(out).isEqualTo(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo"));
        }

        @Test
        void multiGroupTemplatesOverJoinedSources() { // Prometheus
            Labels out = run(Labels.of("a", "foo", "b", "bar", "c", "baz"),
                    rule(REPLACE, List.of("a", "b"), "f(.*);(.*)r", "a", "b${1}${2}m"),
                    rule(REPLACE, List.of("c", "a"), "(b).*b(.*)ba(.*)", "d", "$1$2$2$3"));
            assertThat(out).isEqualTo(Labels.of("a", "boobam", "b", "bar", "c", "baz", "d", "boooom"));
        }

        @Test
        void noMatchChangesNothingAndReturnsTheSameInstance() { // Prometheus
            Labels in = Labels.of("a", "boo");
            assertThat(run(in, rule(REPLACE, List.of("a"), "f", "b", "bar"))).isSameAs(in);
        }

        @Test
        void settingTheValueALabelAlreadyHasReturnsTheSameInstance() {
            Labels in = Labels.of("a", "x", "b", "x");
            assertThat(run(in, rule(REPLACE, List.of("a"), null, "b", null))).isSameAs(in);
        }

        @Test
        void missingSourceLabelsJoinAsEmptyValues() {
            Labels in = Labels.of("b", "2");
            assertThat(run(in, rule(REPLACE, List.of("a", "b", "c"), "(.*)", "j", "[$1]")).get("j")).isEqualTo("[;2;]");
            // (.+) does not match the empty value of a missing label: nothing happens
            assertThat(run(in, rule(REPLACE, List.of("missing"), "(.+)", "j", "x"))).isSameAs(in);
        }

        @Test
        void customSeparator() {
            Labels out = run(Labels.of("ns", "default", "pod", "web-1"),
                    withSeparator(rule(REPLACE, List.of("ns", "pod"), null, "job", null), "/"));
            assertThat(out.get("job")).isEqualTo("default/web-1");
            Labels empty = run(Labels.of("a", "1", "b", "2"),
                    withSeparator(rule(REPLACE, List.of("a", "b"), null, "j", null), ""));
            assertThat(empty.get("j")).isEqualTo("12");
        }

        @Test
        void withoutSourceLabelsTheValueIsEmptyAndTheReplacementIsSet() {
            Labels out = run(Labels.of("x", "1"), rule(REPLACE, List.of(), null, "cluster", "dev"));
            assertThat(out).isEqualTo(Labels.of("x", "1", "cluster", "dev"));
        }

        @Test
        void emptyReplacementDeletesTheTarget() {
            Labels out = run(Labels.of("a", "foo", "t", "old"), rule(REPLACE, List.of("a"), "(.*)", "t", "${9}"));
            assertThat(out).isEqualTo(Labels.of("a", "foo"));
        }

        @Test
        void targetLabelFromTheMatch() { // Prometheus
            Labels out = run(Labels.of("a", "some-name-value"),
                    rule(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${2}"));
            assertThat(out).isEqualTo(Labels.of("a", "some-name-value", "name", "value"));
        }

        @Test
        void invalidExpandedTargetMakesTheRuleDoNothing() { // Prometheus
            Labels in = Labels.of("a", "some-name-0");
            assertThat(run(in, rule(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}"),
                    rule(REPLACE, List.of("a"), "some-([^-]+)(-[^,]+)", "${3}", "${1}"))).isSameAs(in);
            // "0" starts with a digit: invalid under legacy, valid under UTF-8
            RelabelConfig digit = rule(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${2}", "${1}");
            assertThat(run(in, digit)).isSameAs(in);
            assertThat(runUtf8(in, digit)).isEqualTo(Labels.of("a", "some-name-0", "0", "name"));
        }

        @Test
        void utf8SchemeAcceptsAnyNonEmptyName() {
            Labels in = Labels.of("a", "k8s.io/app=web");
            RelabelConfig r = rule(REPLACE, List.of("a"), "([^=]+)=(.*)", "$1", "$2");
            assertThat(runUtf8(in, r).get("k8s.io/app")).isEqualTo("web");
            assertThat(run(in, r)).isSameAs(in);
        }

        @Test
        void realLifeTagParsing() { // Prometheus
            Labels out = run(Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
                    rule(REPLACE, List.of("__meta_sd_tags"), "(?:.+,|^)path:(/[^,]+).*", "__metrics_path__", "${1}"),
                    rule(REPLACE, List.of("__meta_sd_tags"), "(?:.+,|^)job:([^,]+).*", "job", "${1}"),
                    rule(REPLACE, List.of("__meta_sd_tags"), "(?:.+,|^)label:([^=]+)=([^,]+).*", "${1}", "${2}"));
            assertThat(out).isEqualTo(Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar",
                    "__metrics_path__", "/secret", "job", "some-job", "foo", "bar"));
        }

        @Test
        void dotMatchesNewlines() {
            Labels out = run(Labels.of("a", "foo\nbar"), rule(REPLACE, List.of("a"), "foo.(.*)", "b", "$1"));
            assertThat(out.get("b")).isEqualTo("bar");
        }

        @Test
        void regexIsAnchoredAtBothEnds() {
            Labels in = Labels.of("a", "xfoox");
            assertThat(run(in, rule(REPLACE, List.of("a"), "foo", "b", "hit"))).isSameAs(in);
            assertThat(run(in, rule(REPLACE, List.of("a"), "x(foo)x|y", "b", "$1")).get("b")).isEqualTo("foo");
        }
    }

    @Nested
    class KeepAndDrop {
        @Test
        void dropOnMatchStopsTheChain() { // Prometheus
            assertThat(run(Labels.of("a", "foo"), rule(DROP, List.of("a"), ".*o.*", null, null),
                    rule(REPLACE, List.of("a"), "f(.*)", "d", "ch$1-ch$1"))).isNull();
        }

        @Test
        void dropWithoutMatchKeepsTheSameInstance() { // Prometheus
            Labels in = Labels.of("a", "foo");
            assertThat(run(in, rule(DROP, List.of("a"), "no-match", null, null))).isSameAs(in);
            assertThat(run(in, rule(DROP, List.of("a"), "f|o", null, null))).isSameAs(in);
        }

        @Test
        void keep() { // Prometheus
            Labels in = Labels.of("a", "foo");
            assertThat(run(in, rule(KEEP, List.of("a"), "no-match", null, null))).isNull();
            assertThat(run(in, rule(KEEP, List.of("a"), "f.*", null, null))).isSameAs(in);
        }

        @Test
        void emptyRegexMatchesOnlyTheEmptyValue() {
            Labels in = Labels.of("a", "foo");
            assertThat(run(in, rule(DROP, List.of("missing"), "", null, null))).isNull();
            assertThat(run(in, rule(DROP, List.of("a"), "", null, null))).isSameAs(in);
            assertThat(run(in, rule(KEEP, List.of("a", "missing"), "foo;", null, null))).isSameAs(in);
        }

        @Test
        void processReportsDropOnABuilder() {
            RelabelChain chain = RelabelChain.compile(List.of(rule(DROP, List.of("a"), "x", null, null)), null);
            assertThat(chain.process(LabelsBuilder.of(Labels.of("a", "x")))).isFalse();
            LabelsBuilder b = LabelsBuilder.of(Labels.of("a", "y"));
            assertThat(chain.process(b)).isTrue();
            assertThat(b.build()).isEqualTo(Labels.of("a", "y"));
        }
    }

    @Nested
    class Equality {
        Labels in = Labels.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");

        @Test
        void keepEqual() { // Prometheus
            assertThat(run(in, rule(KEEPEQUAL, List.of("__tmp_port"), null, "__port1", null))).isSameAs(in);
            assertThat(run(in, rule(KEEPEQUAL, List.of("__tmp_port"), null, "__port2", null))).isNull();
        }

        @Test
        void dropEqual() { // Prometheus
            assertThat(run(in, rule(DROPEQUAL, List.of("__tmp_port"), null, "__port1", null))).isNull();
            assertThat(run(in, rule(DROPEQUAL, List.of("__tmp_port"), null, "__port2", null))).isSameAs(in);
        }

        @Test
        void missingOnBothSidesIsEqual() {
            assertThat(run(in, rule(DROPEQUAL, List.of("nope"), null, "absent", null))).isNull();
            assertThat(run(in, rule(KEEPEQUAL, List.of("__port1", "__port2"), null, "x", null))).isNull();
        }
    }

    @Nested
    class HashMod {
        @Test
        void matchesPrometheusValues() { // Prometheus: md5("baz") % 1000 = 976, md5("foo\nbar") % 1000 = 734
            assertThat(run(Labels.of("a", "foo", "b", "bar", "c", "baz"), hashmod(List.of("c"), "d", 1000)).get("d"))
                    .isEqualTo("976");
            assertThat(run(Labels.of("a", "foo\nbar"), hashmod(List.of("a"), "b", 1000)).get("b")).isEqualTo("734");
        }

        @Test
        void usesBytes8To16AsUnsignedWithUnsignedModulus() throws Exception {
            for (String v : List.of("", "baz", "10.0.0.1:9100", "pröd;ünïcode", "a;b")) {
                byte[] md5 = MessageDigest.getInstance("MD5").digest(v.getBytes(StandardCharsets.UTF_8));
                BigInteger x = new BigInteger(1, Arrays.copyOfRange(md5, 8, 16));
                for (long m : new long[] {1, 3, 1000, 4096, Long.MAX_VALUE, Long.MIN_VALUE, -1L}) {
                    BigInteger mod = new BigInteger(Long.toUnsignedString(m));
                    String expected = x.mod(mod).toString();
                    String got = run(Labels.of("a", v.isEmpty() ? "x" : v), hashmod(List.of(v.isEmpty() ? "none" : "a"),
                            "h", m)).get("h");
                    assertThat(got).as("md5(%s) mod %s", v, mod).isEqualTo(expected);
                }
            }
        }

        @Test
        void joinsSourcesWithTheSeparator() {
            Labels joined = run(Labels.of("a", "x", "b", "y"), hashmod(List.of("a", "b"), "h", 1_000_003));
            Labels single = run(Labels.of("a", "x;y"), hashmod(List.of("a"), "h", 1_000_003));
            assertThat(joined.get("h")).isEqualTo(single.get("h"));
        }

        @Test
        void zeroModulusIsRejected() {
            assertThatThrownBy(() -> RelabelChain.compile(List.of(hashmod(List.of("a"), "h", 0)), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-zero modulus");
        }
    }

    @Nested
    class LabelMap {
        @Test
        void copiesMatchingNames() { // Prometheus
            assertThat(run(Labels.of("a", "foo", "b1", "bar", "b2", "baz"), rule(LABELMAP, null, "(b.*)", null,
                    "bar_${1}"))).isEqualTo(Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2",
                            "baz"));
            assertThat(run(Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
                    rule(LABELMAP, null, "__meta_(my.*)", null, "${1}"))).isEqualTo(Labels.of("a", "foo",
                            "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc", "my_bar", "aaa",
                            "my_baz", "bbb"));
        }

        @Test
        void laterNameWinsACollisionAndReadsValuesFromBeforeTheRule() {
            Labels out = run(Labels.of("x_a", "1", "y_a", "2", "a", "0"), rule(LABELMAP, null, "._(a)", null, "$1"));
            assertThat(out.get("a")).isEqualTo("2");
        }

        @Test
        void noMatchKeepsTheSameInstance() {
            Labels in = Labels.of("a", "1");
            assertThat(run(in, rule(LABELMAP, null, "__meta_(.+)", null, "$1"))).isSameAs(in);
        }
    }

    @Nested
    class LabelDropAndKeep {
        Labels in = Labels.of("a", "foo", "b1", "bar", "b2", "baz");

        @Test
        void labelKeep() { // Prometheus
            assertThat(run(in, rule(LABELKEEP, null, "(b.*)", null, null))).isEqualTo(Labels.of("b1", "bar", "b2", "baz"));
        }

        @Test
        void labelDrop() { // Prometheus
            assertThat(run(in, rule(LABELDROP, null, "(b.*)", null, null))).isEqualTo(Labels.of("a", "foo"));
        }

        @Test
        void prefixAndSuffixRegexesDropOnlyFullMatches() {
            Labels names = Labels.of("a", "1", "a1", "1", "a2z", "1", "az", "1", "b", "1", "za", "1");
            assertThat(run(names, rule(LABELDROP, null, "a.*z", null, null)))
                    .isEqualTo(Labels.of("a", "1", "a1", "1", "b", "1", "za", "1"));
            assertThat(run(names, rule(LABELDROP, null, "a|b|zz", null, null)))
                    .isEqualTo(Labels.of("a1", "1", "a2z", "1", "az", "1", "za", "1"));
            assertThat(run(names, rule(LABELKEEP, null, "a.+", null, null)))
                    .isEqualTo(Labels.of("a1", "1", "a2z", "1", "az", "1"));
        }

        @Test
        void anchoredSoPartialNamesDoNotMatch() {
            assertThat(run(in, rule(LABELDROP, null, "b", null, null))).isSameAs(in);
            assertThat(run(in, rule(LABELKEEP, null, "a|b1|b2", null, null))).isSameAs(in);
        }

        @Test
        void prometheusIssue12283() { // Prometheus
            Labels out = run(Labels.of("__meta_kubernetes_pod_container_port_name", "foo",
                    "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
                    rule(LABELDROP, null, "^__meta_kubernetes_pod_container_port_name$", null, null),
                    rule(REPLACE, List.of("__meta_kubernetes_pod_annotation_XXX_metrics_port"), "(.+)",
                            "__meta_kubernetes_pod_container_port_name", "metrics"),
                    rule(KEEP, List.of("__meta_kubernetes_pod_container_port_name"), "^metrics$", null, null));
            assertThat(out).isEqualTo(Labels.of("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091",
                    "__meta_kubernetes_pod_container_port_name", "metrics"));
        }
    }

    @Nested
    class Case {
        @Test
        void upperAndLower() { // Prometheus
            Labels out = run(Labels.of("foo", "bAr123Foo"), rule(UPPERCASE, List.of("foo"), null, "foo_uppercase", null),
                    rule(LOWERCASE, List.of("foo"), null, "foo_lowercase", null));
            assertThat(out).isEqualTo(Labels.of("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase",
                    "BAR123FOO"));
        }

        @Test
        void mapsCodePointByCodePointAsGo() {
            assertThat(CaseStep.toUpper("straße")).isEqualTo("STRAßE"); // Java's toUpperCase gives STRASSE
            assertThat(CaseStep.toLower("ΟΔΟΣ")).isEqualTo("οδοσ"); // no final-sigma rule in Go
            assertThat(CaseStep.toLower("İ")).isEqualTo("i");
        }

        @Test
        void emptyResultDeletesTheTarget() {
            Labels out = run(Labels.of("t", "x"), rule(LOWERCASE, List.of("missing"), null, "t", null));
            assertThat(out).isEqualTo(Labels.EMPTY);
        }

        @Test
        void unchangedValueReturnsTheSameInstance() {
            Labels in = Labels.of("a", "abc", "b", "abc");
            assertThat(run(in, rule(LOWERCASE, List.of("a"), null, "b", null))).isSameAs(in);
        }
    }

    @Test
    void rulesThatChangeNothingAllocateNothing() {
        RelabelChain chain = RelabelChain.compile(List.of(
                rule(KEEP, List.of("__meta_port_name"), ".*-metrics", null, null),
                rule(DROP, List.of("__meta_phase"), "Succeeded|Failed", null, null),
                rule(DROP, List.of("__meta_absent"), "(https?)", null, null),
                rule(REPLACE, List.of("__meta_absent"), "(.+)", "__scheme__", null),
                rule(REPLACE, List.of("__meta_absent"), "(https?)", "__scheme__", null),
                rule(REPLACE, List.of("__meta_absent"), "([a-z]+)", "__scheme__", null),
                rule(REPLACE, List.of("__address__"), "(.+?)(\\:\\d+)?;(\\d+)", "__address__", "$1:$3"),
                rule(LABELMAP, null, "__meta_label_(.+)", null, "$1"),
                rule(LABELDROP, null, "__tmp_.*", null, null),
                rule(REPLACE, List.of("job"), null, "job", null)), NameValidationScheme.UTF8);
        Labels in = Labels.of("__address__", "10.0.0.1:80", "__meta_port_name", "http-metrics", "__meta_phase",
                "Running", "job", "pods");
        assertThat(chain.apply(in)).isSameAs(in);
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            chain.apply(in);
        }
        long perOp = (mx.getCurrentThreadAllocatedBytes() - before) / 10_000;
        assertThat(perOp).as("bytes allocated per apply").isZero();
    }

    @Test
    void emptyChainIsTheIdentity() {
        RelabelChain chain = RelabelChain.compile(List.of(), NameValidationScheme.UTF8);
        Labels in = Labels.of("a", "1");
        assertThat(chain.isEmpty()).isTrue();
        assertThat(chain.apply(in)).isSameAs(in);
    }

    @Test
    void invalidRegexIsRejectedAtCompileTime() {
        assertThatThrownBy(() -> RelabelChain.compile(List.of(rule(KEEP, List.of("a"), "(", null, null)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"(\"");
    }
}
