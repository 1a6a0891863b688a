package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * With {@link ExpositionParser#deferSeriesChecks deferred checks} {@code next()} only skips over a
 * series' label block; a caller that decodes every new series gets exactly what checks in {@code next()}
 * give (same series bytes, hash, values, labels, same errors).
 */
class DeferredSeriesChecksTest {

    private static final String[] PAYLOADS = {"node_exporter_1.5.prom", "ksm_like_10k.prom",
        "alltypes.237mfs.prom.txt", "alltypes.237mfs.nometa.prom.txt", "alltypes.5mfs.om.txt", "1histogram.om.txt"};

    /** Everything a caller can observe of a body, sample by sample, decoding every series; ends with the error if any. */
    private static List<String> observe(ExpositionParser p, byte[] body, boolean decode) {
        p.reset(body, 0, body.length);
        List<String> out = new ArrayList<>();
        LabelsBuilder b = Labels.builder();
        try {
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                if (e != Entry.SERIES) {
                    out.add(e + " " + p.line());
                    continue;
                }
                String labels = "";
                if (decode) {
                    p.labels(b);
                    labels = b.build().toString();
                }
                out.add("SERIES " + p.line() + " " + p.seriesOffset() + "+" + p.seriesLength() + " #" + p.seriesHash()
                        + " " + Double.doubleToRawLongBits(p.value()) + " " + (p.hasTimestamp() ? p.timestampMs() : "-")
                        + " " + labels);
            }
            out.add("EOF");
        } catch (ExpositionException e) {
            out.add("ERROR " + e.getMessage());
        }
        return out;
    }

    private static ExpositionParser deferred(Supplier<ExpositionParser> parser) {
        ExpositionParser p = parser.get();
        p.deferSeriesChecks(true);
        return p;
    }

    private static void assertSameAsChecked(Supplier<ExpositionParser> parser, byte[] body) {
        assertThat(observe(deferred(parser), body, true)).isEqualTo(observe(parser.get(), body, true));
    }

    @Test
    void fixturesGiveTheSameSamplesAsCheckedParsing() {
        for (String name : PAYLOADS) {
            byte[] body = Payloads.load(name);
            Supplier<ExpositionParser> parser = name.contains(".om.") ? OpenMetricsParser::new : PrometheusTextParser::new;
            List<String> checked = observe(parser.get(), body, true);
            assertThat(checked.get(checked.size() - 1)).as(name).isEqualTo("EOF");
            assertThat(observe(deferred(parser), body, true)).as(name).isEqualTo(checked);
            // A cache hit does not decode: the series bytes, hash and value are the same without labels().
            assertThat(observe(deferred(parser), body, false)).as(name).isEqualTo(observe(parser.get(), body, false));
        }
    }

    @Test
    void quotesBracesAndEscapesInsideValuesEndTheSeriesWhereTheCheckedScanDoes() {
        String[] lines = {"m{a=\"x}\\\"y\",b=\"}\"} 1\n", "m{a=\"\\\\\",b=\"{\\\"}\\\\\"} 2\n",
            "m{a=\"ü}é\",b=\"\\n\"} 3\n", "m {a=\"1\"} 4\n", "m{a=\"1\",} 5\n", "m{} 6\n", "m 7\n",
            "m{a=\"12345678901234567890}\\\"1234567\"} 8\n", "m{a=\"1\"}9\n", "m{a=\"}\"}",
            // A line feed inside a block: the skip runs on into the next line, the check reports this one.
            "m{a=\"b\" 1\nn{x=\"}\"} 2\n", "m{a=\"b\n\"} 1\nn{x=\"}\"} 2\n"};
        for (String line : lines) {
            assertSameAsChecked(PrometheusTextParser::new, line.getBytes(StandardCharsets.UTF_8));
            String om = line.replace("m {", "m{") + (line.endsWith("\n") ? "" : "\n") + "# EOF\n";
            assertSameAsChecked(OpenMetricsParser::new, om.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aSkippedMalformedSeriesFailsWhenDecodedOrChecked() throws Exception {
        String[] bodies = {"m{a=1} 2\n", "m{a=\"1\" b} 2\n", "fo;o{a=\"b\"} 1\n",
            "m{a=\"\\t\"} 1\n", "m{a=\"1\"}{b=\"2\"} 1\n", "m{\"n\"} 1\n"};
        for (String body : bodies) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String checkedError = observe(new PrometheusTextParser(), b, true).get(0);
            assertThat(checkedError).as(body).startsWith("ERROR line 1: ");
            ExpositionParser p = deferred(PrometheusTextParser::new);
            p.reset(b, 0, b.length);
            Entry e;
            try {
                e = p.next();
            } catch (ExpositionException error) {
                assertThat("ERROR " + error.getMessage()).as(body).isEqualTo(checkedError);
                continue;
            }
            assertThat(e).isEqualTo(Entry.SERIES);
            assertThatThrownBy(p::checkSeries).as(body).hasMessage(checkedError.substring("ERROR ".length()))
                    .isInstanceOf(ExpositionException.class);
            assertThatThrownBy(p::next).as("the parser stays failed").hasMessage(checkedError.substring(6));
            assertThat(observe(deferred(PrometheusTextParser::new), b, true)).as(body).containsExactly(checkedError);
        }
    }

    @Test
    void aLineFailingAfterASkippedSeriesReportsTheErrorCheckedParsingReports() {
        for (String body : new String[] {"m{a=1} x\n", "m{a=\"1\" b} 1 2 3\n", "ok 1\nm{a=1} 1 x\n", "m{a=\"1\"} 1"}) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            assertThat(observe(deferred(PrometheusTextParser::new), b, false)).as(body)
                    .isEqualTo(observe(new PrometheusTextParser(), b, false));
        }
    }

    @Test
    void skippedCreatedSeriesAreStillChecked() {
        byte[] body = "# TYPE c counter\nc_total 1\nc_created{a=1} 1\n# EOF\n".getBytes(StandardCharsets.UTF_8);
        ExpositionParser p = new OpenMetricsParser(true);
        p.deferSeriesChecks(true);
        List<String> seen = observe(p, body, false);
        assertThat(seen.get(seen.size() - 1)).startsWith("ERROR line 3: ").contains("expected a quoted label value");
    }

    // ---------------------------------------------------------------- properties

    private static final String[] PIECES = {"a", "b", "le", "_", "=", "\"", "\\\"", "\\\\", "\\", "}", "{", ",", " ",
        "\t", "\n", "#", "1", "ü", "x=\"v\"", ",c=\"}\"", "\"q\"", "0123456789abcdef"};

    /** Label blocks built from quotes, escapes, braces, commas and blanks: mostly malformed, some valid. */
    @Provide
    Arbitrary<String> labelBlocks() {
        return Arbitraries.of(PIECES).list().ofMaxSize(14).map(l -> "{" + String.join("", l) + "}");
    }

    /** Well-formed label blocks whose values hold the bytes a quote-to-quote skip could trip over. */
    @Provide
    Arbitrary<String> validBlocks() {
        Arbitrary<String> value = Arbitraries.of("}", "{", "\\\"", "\\\\", "\\n", ",", "=", " ", "ü", "x", "}\\\"}", "")
                .list().ofMaxSize(6).map(l -> String.join("", l));
        Arbitrary<String> name = Arbitraries.of("a", "le", "\"b.c\"", "_x1", "\"ü\"");
        Arbitrary<String> label = net.jqwik.api.Combinators.combine(name, value).as((n, v) -> n + "=\"" + v + "\"");
        return label.list().ofMaxSize(5).uniqueElements(l -> l.substring(0, l.indexOf('=')))
                .map(l -> "{" + String.join(",", l) + "}");
    }

    @Property(tries = 400)
    void anyTextLineGivesWhatCheckedParsingGives(@ForAll("labelBlocks") String block) {
        byte[] body = ("ok 1\nm" + block + " 1 2\nlast{z=\"1\"} 3\n").getBytes(StandardCharsets.UTF_8);
        assertSameAsChecked(PrometheusTextParser::new, body);
        assertThat(observe(deferred(PrometheusTextParser::new), body, false).contains("SERIES"))
                .isEqualTo(observe(new PrometheusTextParser(), body, false).contains("SERIES"));
    }

    @Property(tries = 400)
    void anyOpenMetricsLineGivesWhatCheckedParsingGives(@ForAll("labelBlocks") String block) {
        byte[] body = ("ok 1\nm" + block + " 1 2\n# EOF\n").getBytes(StandardCharsets.UTF_8);
        assertSameAsChecked(OpenMetricsParser::new, body);
    }

    @Property(tries = 300)
    void validBlocksAreSkippedToTheirEnd(@ForAll("validBlocks") String block) {
        byte[] text = ("m" + block + " 1\n").getBytes(StandardCharsets.UTF_8);
        List<String> checked = observe(new PrometheusTextParser(), text, true);
        assertThat(checked).last().isEqualTo("EOF");
        assertThat(observe(deferred(PrometheusTextParser::new), text, false)).isEqualTo(observe(new PrometheusTextParser(), text, false));
        byte[] om = ("m" + block + " 1\n# EOF\n").getBytes(StandardCharsets.UTF_8);
        assertThat(observe(deferred(OpenMetricsParser::new), om, false)).isEqualTo(observe(new OpenMetricsParser(), om, false));
    }
}
