package io.scrapeflux.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Test decoder of remote-write 1.0 bodies, written independently of the encoder; checks every wire rule. */
final class WireFormat {

    /** One sample as received: labels in wire order, raw value bits, timestamp. */
    record Received(List<String[]> labels, long valueBits, long timestampMs) {

        String get(String name) {
            for (String[] l : labels) {
                if (l[0].equals(name)) {
                    return l[1];
                }
            }
            return null;
        }

        double value() {
            return Double.longBitsToDouble(valueBits);
        }

        /** Series identity for grouping. */
        String series() {
            StringBuilder sb = new StringBuilder();
            for (String[] l : labels) {
                sb.append(l[0]).append('=').append(l[1]).append(',');
            }
            return sb.toString();
        }
    }

    private WireFormat() {
    }

    static byte[] unsnappy(byte[] body) {
        int n = SnappyDecompressor.getUncompressedLength(body, 0);
        byte[] out = new byte[n];
        int got = new SnappyDecompressor().decompress(body, 0, body.length, out, 0, n);
        assertThat(got).isEqualTo(n);
        return out;
    }

    /** Decodes a snappy-compressed WriteRequest and asserts the per-series wire rules. */
    static List<Received> decodeCompressed(byte[] body) {
        return decode(unsnappy(body));
    }

    static List<Received> decode(byte[] raw) {
        List<Received> out = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(raw);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                assertThat(tag).as("WriteRequest field").isEqualTo((1 << 3) | 2);
                int limit = in.pushLimit(in.readRawVarint32());
                List<String[]> labels = new ArrayList<>();
                List<long[]> samples = new ArrayList<>();
                while (!in.isAtEnd()) {
                    int t = in.readTag();
                    if (t == ((1 << 3) | 2)) {
                        int l = in.pushLimit(in.readRawVarint32());
                        String name = null;
                        String value = "";
                        while (!in.isAtEnd()) {
                            int lt = in.readTag();
                            if (lt == ((1 << 3) | 2)) {
                                name = in.readStringRequireUtf8();
                            } else if (lt == ((2 << 3) | 2)) {
                                value = in.readStringRequireUtf8();
                            } else {
                                throw new AssertionError("unexpected Label field tag " + lt);
                            }
                        }
                        in.popLimit(l);
                        labels.add(new String[] {name, value});
                    } else if (t == ((2 << 3) | 2)) {
                        int l = in.pushLimit(in.readRawVarint32());
                        long bits = 0;
                        long ts = 0;
                        while (!in.isAtEnd()) {
                            int st = in.readTag();
                            if (st == ((1 << 3) | 1)) {
                                bits = in.readRawLittleEndian64();
                            } else if (st == (2 << 3)) {
                                ts = in.readInt64();
                            } else {
                                throw new AssertionError("unexpected Sample field tag " + st);
                            }
                        }
                        in.popLimit(l);
                        samples.add(new long[] {bits, ts});
                    } else {
                        throw new AssertionError("unexpected TimeSeries field tag " + t);
                    }
                }
                in.popLimit(limit);
                checkSeriesRules(labels, samples);
                for (long[] s : samples) {
                    out.add(new Received(labels, s[0], s[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void checkSeriesRules(List<String[]> labels, List<long[]> samples) {
        assertThat(samples).as("samples per series").isNotEmpty();
        boolean hasName = false;
        for (int i = 0; i < labels.size(); i++) {
            String[] l = labels.get(i);
            assertThat(l[0]).as("label name").isNotNull().isNotEmpty();
            assertThat(l[1]).as("value of label %s", l[0]).isNotEmpty();
            if (i > 0) {
                assertThat(labels.get(i - 1)[0].compareTo(l[0])).as("labels sorted and unique at %s", l[0])
                        .isLessThan(0);
            }
            hasName |= l[0].equals("__name__");
        }
        assertThat(hasName).as("__name__ present in %s", labels.stream().map(l -> l[0]).toList()).isTrue();
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i)[1]).as("sample timestamps in order").isGreaterThanOrEqualTo(samples.get(i - 1)[1]);
        }
    }

    /** A batch of samples; {@code rows} are {Labels, Double value, Long ts}. */
    static ScrapeBatch batch(long scrapeTs, Object[]... rows) {
        Labels[] ls = new Labels[rows.length];
        double[] vs = new double[rows.length];
        long[] ts = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            ls[i] = (Labels) rows[i][0];
            vs[i] = (Double) rows[i][1];
            ts[i] = (Long) rows[i][2];
        }
        return new ScrapeBatch(null, scrapeTs, ls, vs, ts, rows.length);
    }

    static Object[] row(Labels l, double v, long ts) {
        return new Object[] {l, v, ts};
    }
}
