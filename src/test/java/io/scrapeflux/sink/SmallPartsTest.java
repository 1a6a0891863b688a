package io.scrapeflux.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import java.time.Duration;
import java.time.Instant;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void reservedAndMalformedHeadersAreRefusedWithTheirNames() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Scope-OrgID", "tenant-1");
        assertThat(RemoteWriteHeaders.validate(h)).isEmpty();
        h.put("Content-Encoding", "gzip");
        h.put("user-agent", "me");
        h.put("Authorization", "Bearer x");
        h.put("X-Prometheus-Remote-Write-Version", "2.0.0");
        h.put("bad header", "v");
        h.put("X-Split", "a\r\nInjected: 1");
        assertThat(RemoteWriteHeaders.validate(h)).hasSize(6)
                .anySatisfy(e -> assertThat(e).contains("Content-Encoding").contains("reserved"))
                .anySatisfy(e -> assertThat(e).contains("user-agent").contains("reserved"))
                .anySatisfy(e -> assertThat(e).contains("Authorization").contains("authorization"))
                .anySatisfy(e -> assertThat(e).contains("X-Prometheus-Remote-Write-Version"))
                .anySatisfy(e -> assertThat(e).contains("bad header"))
                .anySatisfy(e -> assertThat(e).contains("X-Split").contains("line break"));
        assertThatThrownBy(() -> RemoteWriteHeaders.requireValid(h)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Content-Encoding");
    }

    @Test
    void queueMetricsRegisterAsPrometheusCountersAndGaugesPerQueue() throws Exception {
        QueueMetrics a = new QueueMetrics("a", "http://a/w");
        QueueMetrics b = new QueueMetrics("b", "http://b/w");
        a.samplesSent.set(5);
        b.samplesPending.set(7);
        b.highestSentTimestampMs.set(1_500);
        PrometheusRegistry registry = new PrometheusRegistry();
        QueueMetrics.register(registry, () -> List.of(a, b));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("scrapeflux_remote_storage_samples_total{remote_name=\"a\",url=\"http://a/w\"} 5.0")
                .contains("scrapeflux_remote_storage_samples_pending{remote_name=\"b\",url=\"http://b/w\"} 7.0")
                .contains("scrapeflux_remote_storage_queue_highest_sent_timestamp_seconds{remote_name=\"b\",url=\"http://b/w\"} 1.5")
                .contains("scrapeflux_remote_storage_samples_dropped_total{remote_name=\"a\",url=\"http://a/w\"} 0.0");
    }

    @Test
    void userAgentNamesTheProject() {
        assertThat(RemoteWriteHeaders.userAgent()).startsWith("scrapeflux/");
    }

    @Test
    void backoffDoublesUpToMaxAndRetryAfterWins() {
        Backoff b = new Backoff(Duration.ofMillis(30), Duration.ofMillis(100));
        assertThat(b.next(Duration.ofMillis(30))).isEqualTo(Duration.ofMillis(60));
        assertThat(b.next(Duration.ofMillis(60))).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
        assertThat(Backoff.delay(Duration.ofMillis(30), Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(Backoff.delay(Duration.ofMillis(30), null)).isEqualTo(Duration.ofMillis(30));
        assertThat(Backoff.delay(Duration.ofMillis(30), Duration.ZERO)).isEqualTo(Duration.ofMillis(30));
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("min_backoff");
    }

    @Test
    void retryAfterParsesSecondsAndHttpDates() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");
        assertThat(Backoff.parseRetryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(Backoff.parseRetryAfter(" 3 ", now)).isEqualTo(Duration.ofSeconds(3));
        assertThat(Backoff.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Backoff.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(Backoff.parseRetryAfter("soon", now)).isNull();
        assertThat(Backoff.parseRetryAfter(null, now)).isNull();
        assertThat(Backoff.parseRetryAfter("-4", now)).isNull();
    }

    @Test
    void shardScalingFollowsThroughputWithinBoundsAndHysteresis() {
        // 10k samples/s in, 1 ms per 10 samples sent => 1 shard moves 10k/s; backlog adds more
        assertThat(ShardScaling.desired(1, 1, 50, 10_000, 0.0001, 0, 10, false)).isEqualTo(1);
        assertThat(ShardScaling.desired(1, 1, 50, 50_000, 0.0001, 0, 10, false)).isEqualTo(5);
        assertThat(ShardScaling.desired(5, 1, 50, 50_000, 0.0001, 1_000_000, 10, false)).as("within 30%%").isEqualTo(5);
        assertThat(ShardScaling.desired(5, 1, 50, 50_000, 0.0001, 5_000_000, 10, false)).as("backlog").isEqualTo(10);
        assertThat(ShardScaling.desired(10, 1, 50, 12_000, 0.001, 0, 10, false)).isEqualTo(10);
        assertThat(ShardScaling.desired(10, 1, 50, 14_000, 0.001, 0, 10, false)).isEqualTo(14);
        assertThat(ShardScaling.desired(10, 1, 50, 6_000, 0.001, 0, 10, false)).isEqualTo(6);
        assertThat(ShardScaling.desired(10, 2, 50, 100, 0.001, 0, 10, false)).isEqualTo(2);
        assertThat(ShardScaling.desired(10, 1, 20, 1e9, 0.001, 0, 10, false)).isEqualTo(20);
        assertThat(ShardScaling.desired(3, 1, 50, 1e9, 0.001, 0, 10, true)).as("no change while failing").isEqualTo(3);
        assertThat(ShardScaling.desired(3, 1, 50, 1e9, 0, 0, 10, false)).as("nothing measured").isEqualTo(3);
    }

    @Test
    void stdoutLineIsPrometheusTextWithMillisecondTimestamp() {
        StringBuilder sb = new StringBuilder();
        StdoutSink.format(sb, Labels.of("__name__", "up", "job", "a\"b", "i", "x\\y"), 1, 1700000000123L);
        assertThat(sb).hasToString("up{i=\"x\\\\y\", job=\"a\\\"b\"} 1 1700000000123");
        sb.setLength(0);
        StdoutSink.format(sb, Labels.of("__name__", "up"), StaleNaN.VALUE, 5);
        assertThat(sb).hasToString("up NaN 5 # stale");
        sb.setLength(0);
        StdoutSink.format(sb, Labels.of("__name__", "t"), 0.25, 5);
        assertThat(sb).hasToString("t 0.25 5");
    }
}
