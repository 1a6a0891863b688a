package io.scrapeflux.sink;

import static io.scrapeflux.sink.WireFormat.batch;
import static io.scrapeflux.sink.WireFormat.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.snappy.SnappyCompressor;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteRequestEncoderTest {

    private static List<WireFormat.Received> roundTrip(WriteRequestEncoder enc) {
        byte[] body = WriteRequestEncoder.toWriteRequest(enc.buffer(), 0, enc.length());
        SnappyCompressor c = new SnappyCompressor();
        byte[] comp = new byte[c.maxCompressedLength(body.length)];
        int n = c.compress(body, 0, body.length, comp, 0, comp.length);
        return WireFormat.decodeCompressed(Arrays.copyOf(comp, n));
    }

    @Test
    void encodesLabelsValuesAndTimestampsExactly() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY);
        Labels a = Labels.of("__name__", "up", "job", "node", "instance", "h:9100");
        Labels b = Labels.of("__name__", "temp_celsius", "zone", "é ünïcode \"q\"");
        enc.append(batch(1000, row(a, 1.0, 1000L), row(b, -12.5, 1000L), row(a, 0.0, 2000L), row(b, Double.NaN, -5L),
                row(a, Double.POSITIVE_INFINITY, Long.MAX_VALUE)));
        List<WireFormat.Received> got = roundTrip(enc);
        assertThat(got).hasSize(5);
        assertThat(got.get(0).series()).isEqualTo("__name__=up,instance=h:9100,job=node,");
        assertThat(got.get(0).value()).isEqualTo(1.0);
        assertThat(got.get(0).timestampMs()).isEqualTo(1000);
        assertThat(got.get(1).get("zone")).isEqualTo("é ünïcode \"q\"");
        assertThat(got.get(1).value()).isEqualTo(-12.5);
        assertThat(got.get(2).value()).isEqualTo(0.0);
        assertThat(got.get(2).timestampMs()).isEqualTo(2000);
        assertThat(got.get(3).valueBits()).isEqualTo(Double.doubleToRawLongBits(Double.NaN));
        assertThat(got.get(3).timestampMs()).isEqualTo(-5);
        assertThat(got.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(got.get(4).timestampMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void seriesThatMoveBetweenScrapesAreStillEncodedWithTheirOwnLabels() {
        // Successive batches of one target are matched by position first; a reorder, a new series, a
        // shorter batch and a dropped series must still each come out with their own labels.
        SeriesTransform t = SeriesTransform.writeRelabel(
                List.of(RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), "go_.*", null, null)),
                NameValidationScheme.UTF8);
        WriteRequestEncoder enc = new WriteRequestEncoder(t);
        Labels a = Labels.of("__name__", "a");
        Labels b = Labels.of("__name__", "b");
        Labels c = Labels.of("__name__", "c");
        Labels go = Labels.of("__name__", "go_x");
        enc.append(batch(1, row(a, 1.0, 1L), row(go, 1.0, 1L), row(b, 1.0, 1L), row(c, 1.0, 1L)));
        enc.reset();
        int kept = enc.append(batch(2, row(go, 2.0, 2L), row(b, 2.0, 2L), row(a, 2.0, 2L)));
        assertThat(kept).isEqualTo(2);
        assertThat(roundTrip(enc)).extracting(WireFormat.Received::series)
                .containsExactly("__name__=b,", "__name__=a,");
        enc.reset();
        enc.append(batch(3, row(Labels.of("__name__", "a"), 3.0, 3L), row(c, 3.0, 3L), row(b, 3.0, 3L),
                row(a, 3.0, 3L)));
        assertThat(roundTrip(enc)).extracting(WireFormat.Received::series)
                .containsExactly("__name__=a,", "__name__=c,", "__name__=b,", "__name__=a,");
    }

    @Test
    void staleMarkerKeepsItsExactBits() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY);
        enc.append(batch(5, row(Labels.of("__name__", "x"), StaleNaN.VALUE, 5L)));
        WireFormat.Received r = roundTrip(enc).get(0);
        assertThat(r.valueBits()).isEqualTo(StaleNaN.BITS);
        assertThat(StaleNaN.isStale(r.value())).isTrue();
    }

    @Test
    void externalLabelsAreAddedButNeverOverrideTheSeriesOwn() {
        SeriesTransform t = SeriesTransform.externalLabels(Map.of("cluster", "eu1", "job", "external", "a", "first"));
        WriteRequestEncoder enc = new WriteRequestEncoder(t);
        enc.append(batch(1, row(Labels.of("__name__", "up", "job", "node"), 1.0, 1L)));
        WireFormat.Received r = roundTrip(enc).get(0);
        assertThat(r.series()).isEqualTo("__name__=up,a=first,cluster=eu1,job=node,");
    }

    @Test
    void writeRelabelDropsAndRewritesAfterExternalLabels() {
        List<RelabelConfig> rules = List.of(
                RelabelConfig.of(RelabelAction.DROP, List.of("__name__"), "go_.*", null, null),
                RelabelConfig.of(RelabelAction.REPLACE, List.of("cluster"), "(.*)", "region", "r-$1"));
        SeriesTransform t = SeriesTransform.externalLabels(Map.of("cluster", "eu1"))
                .andThen(SeriesTransform.writeRelabel(rules, NameValidationScheme.UTF8));
        WriteRequestEncoder enc = new WriteRequestEncoder(t);
        int kept = enc.append(batch(1, row(Labels.of("__name__", "go_goroutines"), 3.0, 1L),
                row(Labels.of("__name__", "up"), 1.0, 1L)));
        assertThat(kept).isEqualTo(1);
        assertThat(enc.droppedByRelabel()).isEqualTo(1);
        List<WireFormat.Received> got = roundTrip(enc);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).series()).isEqualTo("__name__=up,cluster=eu1,region=r-eu1,");
    }

    @Test
    void seriesLeftWithoutNameAreNotSent() {
        SeriesTransform dropName = l -> l.toBuilder().del("__name__").build();
        WriteRequestEncoder enc = new WriteRequestEncoder(dropName);
        assertThat(enc.append(Labels.of("__name__", "up", "job", "x"), 1, 1)).isFalse();
        assertThat(enc.droppedNoName()).isEqualTo(1);
        assertThat(enc.length()).isZero();
    }

    @Test
    void cachedSeriesEncodeIdenticallyAndTransformRunsOncePerSeries() {
        int[] calls = {0};
        WriteRequestEncoder enc = new WriteRequestEncoder(l -> {
            calls[0]++;
            return l;
        }, 16);
        Labels a = Labels.of("__name__", "a");
        enc.append(a, 1, 10);
        byte[] first = Arrays.copyOf(enc.buffer(), enc.length());
        enc.reset();
        enc.append(a, 1, 10);
        assertThat(Arrays.copyOf(enc.buffer(), enc.length())).isEqualTo(first);
        assertThat(calls[0]).isEqualTo(1);
        // beyond two generations the cache forgets, and re-encoding gives the same bytes
        for (int i = 0; i < 40; i++) {
            enc.append(Labels.of("__name__", "s" + i), 0, 0);
        }
        enc.reset();
        enc.append(a, 1, 10);
        assertThat(Arrays.copyOf(enc.buffer(), enc.length())).isEqualTo(first);
        assertThat(calls[0]).isEqualTo(42);
    }

    @Test
    void spoolEntriesExposeHashAndTimestamp() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY);
        long[] ts = {0, 1, 127, 128, 1_700_000_000_123L, -1, Long.MIN_VALUE};
        for (long t : ts) {
            enc.append(Labels.of("__name__", "m"), 1, t);
        }
        int p = 0;
        int i = 0;
        int hash = WriteRequestEncoder.entryHash(enc.buffer(), 0);
        while (p < enc.length()) {
            int len = WriteRequestEncoder.entryLength(enc.buffer(), p);
            assertThat(WriteRequestEncoder.entryTimestamp(enc.buffer(), p, len)).isEqualTo(ts[i++]);
            assertThat(WriteRequestEncoder.entryHash(enc.buffer(), p)).isEqualTo(hash);
            p += len;
        }
        assertThat(i).isEqualTo(ts.length);
    }
}
