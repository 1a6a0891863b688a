package io.scrapeflux.exposition;

import static io.scrapeflux.exposition.Payloads.text;
import static io.scrapeflux.exposition.Payloads.textSamples;
import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.exposition.ExpositionParser.MetricType;
import io.scrapeflux.exposition.Payloads.Sample;
import io.scrapeflux.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per grammar edge of the Prometheus text format. */
class PrometheusTextGrammarTest {

    @Test
    void helpAndTypeMetadata() throws Exception {
        ExpositionParser p = text("# HELP http_requests_total Requests, \\\\ by \"code\".\\nSecond line.\n"
                + "# TYPE http_requests_total counter\nhttp_requests_total 3\n");
        assertThat(p.next()).isEqualTo(Entry.HELP);
        assertThat(p.metricFamily()).isEqualTo("http_requests_total");
        assertThat(p.help()).isEqualTo("Requests, \\ by \"code\".\nSecond line.");
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.metricFamily()).isEqualTo("http_requests_total");
        assertThat(p.metricType()).isEqualTo(MetricType.COUNTER);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.metricType()).isEqualTo(MetricType.COUNTER);
        assertThat(p.next()).isEqualTo(Entry.EOF);
        assertThat(p.next()).isEqualTo(Entry.EOF);
    }

    @Test
    void everyTextMetricType() throws Exception {
        for (String[] t : new String[][] {{"counter", "COUNTER"}, {"gauge", "GAUGE"}, {"histogram", "HISTOGRAM"},
            {"summary", "SUMMARY"}, {"untyped", "UNKNOWN"}}) {
            ExpositionParser p = text("# TYPE m " + t[0] + "\n");
            assertThat(p.next()).isEqualTo(Entry.TYPE);
            assertThat(p.metricType()).isEqualTo(MetricType.valueOf(t[1]));
        }
    }

    @Test
    void labelValueEscapes() throws Exception {
        Sample s = textSamples("m{a=\"x\\\"y\",b=\"back\\\\slash\",c=\"new\\nline\"} 1\n").get(0);
        assertThat(s.labels()).isEqualTo(Labels.of("__name__", "m", "a", "x\"y", "b", "back\\slash", "c", "new\nline"));
        assertThat(s.series()).isEqualTo("m{a=\"x\\\"y\",b=\"back\\\\slash\",c=\"new\\nline\"}");
    }

    @Test
    void utf8LabelValues() throws Exception {
        assertThat(textSamples("m{city=\"Zürich\",emoji=\"🚀\"} 1\n").get(0).labels())
                .isEqualTo(Labels.of("__name__", "m", "city", "Zürich", "emoji", "🚀"));
    }

    @Test
    void quotedUtf8MetricAndLabelNames() throws Exception {
        Sample s = textSamples("{\"my.metric\", \"a.b\"=\"x\"} 1\n").get(0);
        assertThat(s.labels()).isEqualTo(Labels.of("__name__", "my.metric", "a.b", "x"));
        assertThat(textSamples("{\"a.b\"=\"x\",\"my.métric\"} 2\n").get(0).labels())
                .isEqualTo(Labels.of("__name__", "my.métric", "a.b", "x"));
        ExpositionParser p = text("# TYPE \"my.metric\" gauge\n# HELP \"my.metric\" dotted\n");
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.metricFamily()).isEqualTo("my.metric");
        assertThat(p.next()).isEqualTo(Entry.HELP);
        assertThat(p.help()).isEqualTo("dotted");
    }

    @Test
    void specialValues() throws Exception {
        List<Sample> s = textSamples("a NaN\nb +Inf\nc -Inf\nd Inf\ne infinity\nf -inf\ng nan\n");
        assertThat(Double.doubleToRawLongBits(s.get(0).value())).isEqualTo(ExpositionParser.NORMAL_NAN_BITS);
        assertThat(Double.doubleToRawLongBits(s.get(6).value())).isEqualTo(ExpositionParser.NORMAL_NAN_BITS);
        assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.get(3).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(5).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void goFloatForms() throws Exception {
        List<Sample> s = textSamples("a 1e3\nb 1E-3\nc .5\nd 5.\ne +1\nf -0\ng 007\nh 1.7976931348623157e308\n"
                + "i 1e-400\nj 12345678901234567890123\nk 0.1\nl 4.9e-324\n");
        double[] expected = {1e3, 1e-3, 0.5, 5, 1, -0.0, 7, Double.MAX_VALUE, 0, 1.2345678901234568e22, 0.1, Double.MIN_VALUE};
        for (int i = 0; i < expected.length; i++) {
            assertThat(Double.doubleToRawLongBits(s.get(i).value())).as("sample %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(expected[i]));
        }
    }

    @Test
    void millisecondTimestamps() throws Exception {
        List<Sample> s = textSamples("a 1 1700000000123\nb 2\nc 3 0  \n");
        assertThat(s.get(0).timestampMs()).isEqualTo(1_700_000_000_123L);
        assertThat(s.get(1).timestampMs()).isNull();
        assertThat(s.get(2).timestampMs()).isEqualTo(0L);
    }

    @Test
    void histogramAndSummaryBoundsAreNormalized() throws Exception {
        List<Sample> s = textSamples("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"1000000\"} 1\n"
                + "h_bucket{le=\"0.00001\"} 1\nh_bucket{le=\"+Inf\"} 2\n# TYPE s summary\ns{quantile=\"0.5\"} 1\n"
                + "s{quantile=\"1\"} 1\n# TYPE g gauge\ng{le=\"1\"} 1\n");
        assertThat(s.stream().map(x -> x.labels().get(x.labels().has("le") ? "le" : "quantile")))
                .containsExactly("1.0", "1e+06", "1e-05", "+Inf", "0.5", "1.0", "1");
    }

    @Test
    void trailingCommaInLabelSet() throws Exception {
        assertThat(textSamples("m{k=\"v\",} 1\n").get(0).labels()).isEqualTo(Labels.of("__name__", "m", "k", "v"));
    }

    @Test
    void blankLinesCommentsAndBlanks() throws Exception {
        List<Sample> s = textSamples("\n   \n# just a comment\n#no space comment\n\t m { a = \"b\" , c=\"d\" }  5 \n#\n");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).labels()).isEqualTo(Labels.of("__name__", "m", "a", "b", "c", "d"));
        assertThat(s.get(0).value()).isEqualTo(5);
        ExpositionParser p = text("# just a comment, grüße\n");
        assertThat(p.next()).isEqualTo(Entry.COMMENT);
        assertThat(p.comment()).isEqualTo("# just a comment, grüße");
    }

    @Test
    void emptyLabelValueMeansAbsentAndEmptyBraces() throws Exception {
        assertThat(textSamples("m{a=\"\",b=\"1\"} 1\n").get(0).labels()).isEqualTo(Labels.of("__name__", "m", "b", "1"));
        assertThat(textSamples("m{} 1\n").get(0).labels()).isEqualTo(Labels.of("__name__", "m"));
    }

    @Test
    void seriesBytesAndHashIgnoreValueAndTimestamp() throws Exception {
        ExpositionParser p = text("m{a=\"1\"} 1 100\nm{a=\"1\"} 2\nm{a=\"2\"} 1\n");
        p.next();
        long h1 = p.seriesHash();
        assertThat(new String(p.buffer(), p.seriesOffset(), p.seriesLength())).isEqualTo("m{a=\"1\"}");
        p.next();
        assertThat(p.seriesHash()).isEqualTo(h1);
        p.next();
        assertThat(p.seriesHash()).isNotEqualTo(h1);
    }

    @Test
    void eofCommentIsJustACommentInText() throws Exception {
        assertThat(textSamples("a 1\n# EOF\nb 2\n")).hasSize(2);
    }

    @Test
    void parsesASliceOfALargerArray() throws Exception {
        byte[] b = "XXXXm 1\nYYYY".getBytes();
        ExpositionParser p = new PrometheusTextParser();
        p.reset(b, 4, 4);
        assertThat(Payloads.samples(p)).hasSize(1);
    }
}
