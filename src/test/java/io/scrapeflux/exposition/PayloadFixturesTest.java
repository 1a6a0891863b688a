package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.exposition.ExpositionParser.MetricType;
import io.scrapeflux.exposition.Payloads.Sample;
import io.scrapeflux.model.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared payloads parse completely, with the expected counts, values, labels and metadata. */
class PayloadFixturesTest {

    private static List<Sample> parse(ExpositionParser p, String name) throws ExpositionException {
        byte[] b = Payloads.load(name);
        p.reset(b, 0, b.length);
        return Payloads.samples(p);
    }

    private static Map<Entry, Integer> entries(ExpositionParser p, String name) throws ExpositionException {
        byte[] b = Payloads.load(name);
        p.reset(b, 0, b.length);
        Map<Entry, Integer> counts = new HashMap<>();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            counts.merge(e, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void nodeExporter() throws Exception {
        List<Sample> s = parse(new PrometheusTextParser(), "node_exporter_1.5.prom");
        assertThat(s).hasSize(507);
        assertThat(s.get(0).labels()).isEqualTo(Labels.of("__name__", "go_gc_duration_seconds", "quantile", "0.0"));
        assertThat(s.get(0).series()).isEqualTo("go_gc_duration_seconds{quantile=\"0\"}");
        assertThat(find(s, "go_memstats_buck_hash_sys_bytes").value()).isEqualTo(1.445857e+06);
        assertThat(find(s, "go_info").labels().get("version")).isEqualTo("go1.19.8");
        Map<Entry, Integer> counts = entries(new PrometheusTextParser(), "node_exporter_1.5.prom");
        assertThat(counts.get(Entry.SERIES)).isEqualTo(507);
        assertThat(counts.get(Entry.HELP)).isEqualTo(counts.get(Entry.TYPE));
    }

    @Test
    void ksmLike10k() throws Exception {
        List<Sample> s = parse(new PrometheusTextParser(), "ksm_like_10k.prom");
        assertThat(s).hasSize(10_000);
        Sample first = s.get(0);
        assertThat(first.labels()).isEqualTo(Labels.of("__name__", "kube_pod_status_phase", "namespace", "kube-system",
                "pod", "app-0-00000", "uid", "00000000-0000-0007-0008-000000000000", "phase", "Running"));
        assertThat(s.get(4).value()).isEqualTo(3.5e6);
        assertThat(s.get(5).value()).isEqualTo(17);
    }

    @Test
    void alltypesWithAndWithoutMetadata() throws Exception {
        assertThat(parse(new PrometheusTextParser(), "alltypes.237mfs.prom.txt")).hasSize(1857);
        assertThat(parse(new PrometheusTextParser(), "alltypes.237mfs.nometa.prom.txt")).hasSize(1857);
        Map<Entry, Integer> counts = entries(new PrometheusTextParser(), "alltypes.237mfs.prom.txt");
        assertThat(counts.get(Entry.TYPE)).isEqualTo(237);
        assertThat(counts.get(Entry.HELP)).isEqualTo(237);
        assertThat(counts.get(Entry.COMMENT)).isEqualTo(1); // the trailing "# EOF" is a comment in text
    }

    @Test
    void alltypesLeValuesAreNormalizedLikePrometheus3() throws Exception {
        List<Sample> s = parse(new PrometheusTextParser(), "alltypes.237mfs.prom.txt");
        Sample bucket = s.stream().filter(x -> x.series().startsWith("go_gc_heap_allocs_by_size_bytes_bucket{le=\"8.99"))
                .findFirst().orElseThrow();
        assertThat(bucket.labels().get("le")).isEqualTo("8.999999999999998");
        assertThat(bucket.value()).isEqualTo(2.279966416e+09);
        assertThat(find(s, "go_gc_duration_seconds_sum").value()).isEqualTo(44.985611511);
    }

    @Test
    void openMetricsHistogram() throws Exception {
        List<Sample> s = parse(new OpenMetricsParser(), "1histogram.om.txt");
        assertThat(s).hasSize(42);
        assertThat(s.get(0).labels().get("le")).isEqualTo("0.005");
        assertThat(s.get(10).labels().get("le")).isEqualTo("10.0");
        assertThat(s.get(11).labels().get("le")).isEqualTo("+Inf");
        assertThat(s.get(12).labels().get("__name__")).isEqualTo("golang_manual_histogram_seconds_sum");
        assertThat(s.get(12).value()).isEqualTo(10.0);
    }

    @Test
    void openMetricsAlltypesWithExemplarsAndCreated() throws Exception {
        List<Sample> s = parse(new OpenMetricsParser(), "alltypes.5mfs.om.txt");
        assertThat(s).hasSize(53);
        assertThat(s.stream().filter(x -> x.exemplar() != null)).hasSize(6);
        Sample withEx = s.stream().filter(x -> x.exemplar() != null).findFirst().orElseThrow();
        assertThat(withEx.labels().get("le")).isEqualTo("-0.0002899999999999998");
        assertThat(withEx.value()).isEqualTo(3);
        assertThat(withEx.exemplar().labels()).isEqualTo(Labels.of("dummyID", "17783"));
        assertThat(withEx.exemplar().value()).isEqualTo(-0.0003825067330956884);
        assertThat(withEx.exemplar().hasTimestamp()).isTrue();
        assertThat(withEx.exemplar().timestampMs()).isEqualTo((long) (1.7268398142239082e+09 * 1000));
        Sample created = find(s, "promhttp_metric_handler_errors_created");
        assertThat(created.value()).isEqualTo(1.726839813016397e+09);

        List<Sample> skipping = parse(new OpenMetricsParser(true), "alltypes.5mfs.om.txt");
        assertThat(skipping).hasSize(53 - 9);
        assertThat(skipping).noneMatch(x -> x.labels().get("__name__").endsWith("_created"));
    }

    @Test
    void openMetricsMetadata() throws Exception {
        byte[] b = Payloads.load("alltypes.5mfs.om.txt");
        ExpositionParser p = new OpenMetricsParser();
        p.reset(b, 0, b.length);
        assertThat(p.next()).isEqualTo(Entry.HELP);
        assertThat(p.metricFamily()).isEqualTo("go_build_info");
        assertThat(p.help()).isEqualTo("Build information about the main Go module.");
        assertThat(p.next()).isEqualTo(Entry.TYPE);
        assertThat(p.metricType()).isEqualTo(MetricType.GAUGE);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        assertThat(p.line()).isEqualTo(3);
    }

    private static Sample find(List<Sample> s, String name) {
        return s.stream().filter(x -> x.labels().get("__name__").equals(name)).findFirst().orElseThrow();
    }
}
