package io.scrapeflux.sink;

import static io.scrapeflux.sink.WireFormat.batch;
import static io.scrapeflux.sink.WireFormat.row;
import static org.assertj.core.api.Assertions.assertThat;

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

    /** Decodes the record the way a receiver gets it: its chunks' snappy elements behind one preamble. */
    private static List<WireFormat.Received> roundTrip(WriteRequestEncoder enc) {
        return WireFormat.decodeCompressed(request(enc.buffer(), 0, enc.length()));
    }

    /** The request body the sink sends for the chunks in {@code spool[from .. to)}. */
    static byte[] request(byte[] spool, int from, int to) {
        java.io.ByteArrayOutputStream elements = new java.io.ByteArrayOutputStream();
        int raw = 0;
        for (int p = from; p < to; p = WriteRequestEncoder.nextChunk(spool, p)) {
            raw += WriteRequestEncoder.chunkRawLength(spool, p);
            elements.write(spool, p + WriteRequestEncoder.CHUNK_HEADER, WriteRequestEncoder.chunkCompressedLength(spool, p));
        }
        byte[] out = new byte[5 + elements.size()];
        int start = SnappyTemplate.preambleBefore(out, 5, raw);
        System.arraycopy(elements.toByteArray(), 0, out, 5, elements.size());
        return Arrays.copyOfRange(out, start, out.length);
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
        assertThat(enc.append(batch(1, row(Labels.of("__name__", "up", "job", "x"), 1, 1)))).isZero();
        assertThat(enc.droppedNoName()).isEqualTo(1);
        assertThat(enc.length()).isZero();
    }

    @Test
    void transformRunsOncePerSeriesAndForgottenSeriesEncodeIdentically() {
        int[] calls = {0};
        WriteRequestEncoder enc = new WriteRequestEncoder(l -> {
            calls[0]++;
            return l;
        }, 16, 2000);
        Labels a = Labels.of("__name__", "a");
        enc.append(batch(10, row(a, 1, 10)));
        byte[] first = Arrays.copyOf(enc.buffer(), enc.length());
        enc.reset();
        enc.append(batch(10, row(a, 1, 10)));
        assertThat(Arrays.copyOf(enc.buffer(), enc.length())).isEqualTo(first);
        assertThat(calls[0]).isEqualTo(1);
        // beyond two generations the cache forgets, and re-encoding gives the same bytes
        for (int i = 0; i < 40; i++) {
            enc.append(batch(0, row(Labels.of("__name__", "s" + i), 0, 0)));
        }
        enc.reset();
        enc.append(batch(10, row(Labels.of("__name__", "a"), 1, 10)));
        assertThat(Arrays.copyOf(enc.buffer(), enc.length())).isEqualTo(first);
        assertThat(calls[0]).isEqualTo(42);
    }

    @Test
    void steadyScrapesPatchTheTemplateAndDecodeToTheirOwnValues() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.externalLabels(Map.of("cluster", "c1")));
        Labels[] series = new Labels[50];
        for (int i = 0; i < series.length; i++) {
            series[i] = Labels.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i % 4), "mode",
                    "m" + i, "instance", "127.0.0.1:9100", "job", "node");
        }
        long[] scrapeTimes = {1_700_000_000_000L, 1_700_000_015_000L, 1_700_000_030_000L};
        for (int s = 0; s < scrapeTimes.length; s++) {
            Object[][] rows = new Object[series.length][];
            for (int i = 0; i < series.length; i++) {
                // values that compress well (repeats) must still come out exactly, zeros and NaN included
                double v = i % 3 == 0 ? 0.0 : i % 3 == 1 ? s * 1000.5 + i : Double.NaN;
                rows[i] = row(series[i], v, scrapeTimes[s]);
            }
            enc.reset();
            assertThat(enc.append(batch(scrapeTimes[s], rows))).isEqualTo(series.length);
            List<WireFormat.Received> got = roundTrip(enc);
            assertThat(got).hasSize(series.length);
            for (int i = 0; i < series.length; i++) {
                assertThat(got.get(i).get("mode")).isEqualTo("m" + i);
                assertThat(got.get(i).get("cluster")).isEqualTo("c1");
                assertThat(got.get(i).valueBits()).isEqualTo(Double.doubleToRawLongBits((Double) rows[i][1]));
                assertThat(got.get(i).timestampMs()).isEqualTo(scrapeTimes[s]);
            }
        }
        assertThat(enc.templatesBuilt()).as("one template for three scrapes of the same series").isEqualTo(1);
    }

    @Test
    void aTimestampOfAnotherEncodedLengthRebuildsTheTemplate() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY);
        Labels a = Labels.of("__name__", "a");
        Labels b = Labels.of("__name__", "b");
        long[] ts = {127, 126, 128, 1_700_000_000_123L, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0};
        long[] built = {1, 1, 2, 3, 4, 4, 5, 6};
        for (int s = 0; s < ts.length; s++) {
            enc.reset();
            enc.append(batch(ts[s], row(a, s, ts[s]), row(b, -s, 5)));
            List<WireFormat.Received> got = roundTrip(enc);
            assertThat(got).extracting(WireFormat.Received::timestampMs).containsExactly(ts[s], 5L);
            assertThat(got).extracting(WireFormat.Received::value).containsExactly((double) s, (double) -s);
            assertThat(enc.templatesBuilt()).as("after timestamp %d", ts[s]).isEqualTo(built[s]);
        }
    }

    @Test
    void batchesAreCutIntoChunksThatConcatenateIntoValidRequests() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY, 1000, 2);
        Labels[] l = new Labels[5];
        Object[][] rows = new Object[5][];
        for (int i = 0; i < 5; i++) {
            l[i] = Labels.of("__name__", "m", "i", Integer.toString(i));
            rows[i] = row(l[i], i, 100 + i);
        }
        enc.append(batch(100, rows));
        byte[] spool = Arrays.copyOf(enc.buffer(), enc.length());
        int[] starts = new int[4];
        int chunks = 0;
        for (int p = 0; p < spool.length; p = WriteRequestEncoder.nextChunk(spool, p)) {
            starts[chunks++] = p;
        }
        starts[chunks] = spool.length;
        assertThat(chunks).isEqualTo(3);
        assertThat(new int[] {WriteRequestEncoder.chunkSamples(spool, starts[0]),
                WriteRequestEncoder.chunkSamples(spool, starts[1]), WriteRequestEncoder.chunkSamples(spool, starts[2])})
                .containsExactly(2, 2, 1);
        assertThat(WriteRequestEncoder.chunkMinTimestamp(spool, starts[1])).isEqualTo(102);
        assertThat(WriteRequestEncoder.chunkMaxTimestamp(spool, starts[1])).isEqualTo(103);
        assertThat(WriteRequestEncoder.chunkShardKey(spool, starts[2]))
                .isEqualTo(WriteRequestEncoder.chunkShardKey(spool, starts[0]));
        // any run of whole chunks is a request on its own
        assertThat(WireFormat.decodeCompressed(request(spool, starts[1], starts[3])))
                .extracting(WireFormat.Received::timestampMs).containsExactly(102L, 103L, 104L);
        assertThat(WireFormat.decode(WriteRequestEncoder.rawChunk(spool, starts[0])))
                .extracting(WireFormat.Received::value).containsExactly(0.0, 1.0);
    }

    @Test
    void seriesThatComeAndGoRebuildAndKeepTheirOwnLabels() {
        WriteRequestEncoder enc = new WriteRequestEncoder(SeriesTransform.IDENTITY, 1000, 3);
        java.util.Random rnd = new java.util.Random(7);
        Labels[] pool = new Labels[30];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = Labels.of("__name__", "m" + (i % 5), "k", "v" + i);
        }
        Object[][] rows = new Object[0][];
        for (int round = 0; round < 400; round++) {
            // half the rounds share one timestamp; some repeat the last series (template reused)
            long common = rnd.nextBoolean() ? 1_000L + round * (rnd.nextBoolean() ? 1 : 1_000_000L) : -1;
            boolean same = rnd.nextInt(3) == 0;
            int n = same ? rows.length : rnd.nextInt(12);
            Object[][] next = new Object[n][];
            for (int i = 0; i < n; i++) {
                Labels l = same ? (Labels) rows[i][0] : pool[rnd.nextInt(pool.length)];
                next[i] = row(l, rnd.nextDouble(), common >= 0 ? common : 1_000L + rnd.nextInt(300));
            }
            rows = next;
            enc.reset();
            enc.append(batch(1000, rows));
            List<WireFormat.Received> got = roundTrip(enc);
            assertThat(got).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(got.get(i).get("k")).isEqualTo(((Labels) rows[i][0]).get("k"));
                assertThat(got.get(i).value()).isEqualTo((Double) rows[i][1]);
                assertThat(got.get(i).timestampMs()).isEqualTo((Long) rows[i][2]);
            }
        }
    }
}
