package io.scrapeflux.sink;

import static io.scrapeflux.sink.RemoteWriteTesting.await;
import static io.scrapeflux.sink.WireFormat.batch;
import static io.scrapeflux.sink.WireFormat.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import io.scrapeflux.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Integration with a real receiver: the Debian {@code prometheus} binary, started on loopback with its
 * remote-write receiver enabled and a temporary TSDB; we remote-write series and query them back.
 * Skipped (with the reason) when the binary is not installed.
 */
class PrometheusReceiverTest {

    @TempDir
    Path tmp;

    private PrometheusProcess prometheus;
    private RemoteWriteSink sink;

    @BeforeEach
    void startPrometheus() throws Exception {
        PrometheusProcess.assumeInstalled();
        prometheus = PrometheusProcess.start(tmp.resolve("prometheus"), PrometheusProcess.freePort());
    }

    @AfterEach
    void stopAll() {
        if (sink != null) {
            sink.shutdown().block(Duration.ofSeconds(30));
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private JsonNode query(String promql, long timeMs) throws IOException {
        return prometheus.query(promql, timeMs);
    }

    @Test
    void seriesWrittenRemotelyAreQueriedBackWithTheSameLabelsAndValues() throws Exception {
        sink = RemoteWriteSink.start(RemoteWriteTesting.config(prometheus.writeUrl(), "prom",
                RemoteWriteTesting.queue(2, 50), Map.of()), Map.of("cluster", "it"), null,
                RemoteWriteSink.Options.defaults(tmp.resolve("storage")));
        long t0 = (System.currentTimeMillis() / 1000 - 600) * 1000;
        int steps = 20;
        for (int s = 0; s < steps; s++) {
            long ts = t0 + s * 15_000L;
            sink.write(batch(ts,
                    row(Labels.of("__name__", "sf_it_gauge", "job", "it", "k", "a"), s * 1.5, ts),
                    row(Labels.of("__name__", "sf_it_gauge", "job", "it", "k", "b"), -s - 0.25, ts),
                    row(Labels.of("__name__", "sf_it_counter_total", "job", "it"), 1000.0 + s, ts),
                    row(Labels.of("__name__", "sf_it_stale", "job", "it"), s < 10 ? 7.0 : StaleNaN.VALUE, ts)))
                    .block(Duration.ofSeconds(30));
        }
        await("acknowledged by prometheus", () -> sink.metrics().samplesSent.get() == 4L * steps);
        assertThat(sink.metrics().samplesFailed.get()).isZero();

        long end = t0 + (steps - 1) * 15_000L;
        JsonNode all = query("{job=\"it\"}[10m]", end);
        Map<String, JsonNode> bySeries = new HashMap<>();
        for (JsonNode series : all) {
            JsonNode m = series.get("metric");
            assertThat(m.get("cluster").asString()).isEqualTo("it");
            bySeries.put(m.get("__name__").asString() + "/" + (m.has("k") ? m.get("k").asString() : ""), series);
        }
        assertThat(bySeries).containsOnlyKeys("sf_it_gauge/a", "sf_it_gauge/b", "sf_it_counter_total/", "sf_it_stale/");
        JsonNode a = bySeries.get("sf_it_gauge/a").get("values");
        JsonNode b = bySeries.get("sf_it_gauge/b").get("values");
        JsonNode c = bySeries.get("sf_it_counter_total/").get("values");
        assertThat(a.size()).isEqualTo(steps);
        for (int s = 0; s < steps; s++) {
            long ts = t0 + s * 15_000L;
            assertThat(a.get(s).get(0).asDouble()).isEqualTo(ts / 1000.0);
            assertThat(Double.parseDouble(a.get(s).get(1).asString())).isEqualTo(s * 1.5);
            assertThat(Double.parseDouble(b.get(s).get(1).asString())).isEqualTo(-s - 0.25);
            assertThat(Double.parseDouble(c.get(s).get(1).asString())).isEqualTo(1000.0 + s);
        }
        // Staleness marker arrived as Prometheus's stale NaN: the range shows only the real samples,
        // and an instant query after the marker finds nothing, while one before it finds the value.
        assertThat(bySeries.get("sf_it_stale/").get("values").size()).isEqualTo(10);
        assertThat(query("sf_it_stale", t0 + 9 * 15_000L + 1000)).hasSize(1);
        assertThat(query("sf_it_stale", t0 + 10 * 15_000L + 1000)).isEmpty();
    }
}
