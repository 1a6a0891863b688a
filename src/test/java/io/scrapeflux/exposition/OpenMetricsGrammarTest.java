package io.scrapeflux.exposition;

import static io.scrapeflux.exposition.Payloads.om;
import static io.scrapeflux.exposition.Payloads.omSamples;
import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.exposition.ExpositionParser.MetricType;
import io.scrapeflux.exposition.Payloads.Sample;
import io.scrapeflux.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per grammar edge of OpenMetrics 1.0. */
class OpenMetricsGrammarTest {

    @Test
    void eofWithAndWithoutFinalLineFeed() throws Exception {
        assertThat(omSamples("a 1\n# EOF\n")).hasSize(1);
        assertThat(omSamples("a 1\n# EOF")).hasSize(1);
        assertThat(omSamples("# EOF\n")).isEmpty();
    }

    @Test
    void secondsTimestampsBecomeMilliseconds() throws Exception {
        List<Sample> s = omSamples("a 1 1.5\nb 2 1700000000.123\nc 3 1700000000\nd 4 -1.5\n# EOF\n");
        assertThat(s.get(0).timestampMs()).isEqualTo(1500L);
        assertThat(s.get(1).timestampMs()).isEqualTo((long) (1700000000.123 * 1000));
        assertThat(s.get(2).timestampMs()).isEqualTo(1_700_000_000_000L);
        assertThat(s.get(3).timestampMs()).isEqualTo(-1500L);
    }

    @Test
    void allOpenMetricsTypesAndUnit() throws Exception {
        ExpositionParser p = om("# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n# TYPE d gaugehistogram\n"
                + "# TYPE e summary\n# TYPE f info\n# TYPE g stateset\n# TYPE h unknown\n"
                + "# TYPE req_seconds counter\n# UNIT req_seconds seconds\n# UNIT x \n# EOF\n");
        MetricType[] expected = {MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM, MetricType.GAUGEHISTOGRAM,
            MetricType.SUMMARY, MetricType.INFO, MetricType.STATESET, MetricType.UNKNOWN, MetricType.COUNTER};
        for (MetricType t : expected) {
            assertThat(p.next()).isEqualTo(Entry.TYPE);
            assertThat(p.metricType()).isEqualTo(t);
        }
        assertThat(p.next()).isEqualTo(Entry.UNIT);
        assertThat(p.metricFamily()).isEqualTo("req_seconds");
        assertThat(p.unit()).isEqualTo("seconds");
        assertThat(p.next()).isEqualTo(Entry.UNIT);
        assertThat(p.unit()).isEmpty();
        assertThat(p.next()).isEqualTo(Entry.EOF);
    }

    @Test
    void infoStatesetAndGaugeHistogramSamples() throws Exception {
        List<Sample> s = omSamples("# TYPE build info\nbuild_info{version=\"1.2\"} 1\n"
                + "# TYPE state stateset\nstate{state=\"a\"} 1\nstate{state=\"b\"} 0\n"
                + "# TYPE gh gaugehistogram\ngh_bucket{le=\"1.0\"} 2\ngh_bucket{le=\"+Inf\"} 3\ngh_gcount 3\ngh_gsum 1.5\n# EOF\n");
        assertThat(s).hasSize(7);
        assertThat(s.get(0).labels()).isEqualTo(Labels.of("__name__", "build_info", "version", "1.2"));
        assertThat(s.get(2).labels().get("state")).isEqualTo("b");
        assertThat(s.get(6).value()).isEqualTo(1.5);
    }

    @Test
    void helpEscapes() throws Exception {
        ExpositionParser p = om("# HELP m a \\\"quoted\\\" \\\\ text\\nmore\n# EOF\n");
        assertThat(p.next()).isEqualTo(Entry.HELP);
        assertThat(p.help()).isEqualTo("a \"quoted\" \\ text\nmore");
    }

    @Test
    void exemplarsWithAndWithoutTimestamp() throws Exception {
        List<Sample> s = omSamples("# TYPE foo counter\nfoo_total 17.0 1520879607.789 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879602.890\n"
                + "foo_total{a=\"b\"} 1 # {trace_id=\"x\",span=\"y\"} 2\n"
                + "foo_total{a=\"c\"} 1 # {} 3\n# EOF\n");
        Exemplar e0 = s.get(0).exemplar();
        assertThat(s.get(0).timestampMs()).isEqualTo(1520879607789L);
        assertThat(e0.labels()).isEqualTo(Labels.of("trace_id", "KOO5S4vxi0o"));
        assertThat(e0.value()).isEqualTo(0.67);
        assertThat(e0.timestampMs()).isEqualTo((long) (1520879602.890 * 1000));
        Exemplar e1 = s.get(1).exemplar();
        assertThat(e1.labels()).isEqualTo(Labels.of("trace_id", "x", "span", "y"));
        assertThat(e1.hasTimestamp()).isFalse();
        assertThat(s.get(2).exemplar().labels()).isEqualTo(Labels.EMPTY);
        assertThat(s.get(1).series()).isEqualTo("foo_total{a=\"b\"}");
    }

    @Test
    void createdLinesAreSamplesByDefaultAndSkippable() throws Exception {
        String body = "# TYPE c counter\nc_total 1\nc_created 1.7e9\n# TYPE g gauge\ng_created 5\n# EOF\n";
        assertThat(omSamples(body)).hasSize(3);
        List<Sample> skipped = Payloads.samples(Payloads.parser(new OpenMetricsParser(true), body));
        assertThat(skipped).extracting(x -> x.labels().get("__name__")).containsExactly("c_total", "g_created");
    }

    @Test
    void quotedNamesAndTrailingComma() throws Exception {
        assertThat(omSamples("{\"my.metric\",\"a.b\"=\"x\",} 1\n# EOF\n").get(0).labels())
                .isEqualTo(Labels.of("__name__", "my.metric", "a.b", "x"));
        ExpositionParser p = om("# TYPE \"my.metric\" gauge\n# EOF\n");
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.metricFamily()).isEqualTo("my.metric");
    }

    @Test
    void openMetricsValuesAndNaN() throws Exception {
        List<Sample> s = omSamples("a 1.5e3\nb NaN\nc -Inf\nd +Inf\n# EOF\n");
        assertThat(s.get(0).value()).isEqualTo(1500);
        assertThat(Double.doubleToRawLongBits(s.get(1).value())).isEqualTo(ExpositionParser.NORMAL_NAN_BITS);
        assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
