package io.scrapeflux.sink;

import com.google.protobuf.CodedOutputStream;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;

/**
 * Hand-written protobuf encoding of remote-write 1.0 ({@code prometheus.WriteRequest}):
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 * Like Prometheus, every sample travels as its own {@code TimeSeries} entry (labels + one sample), so a
 * request body is simply a concatenation of entries. The labels of a series are encoded once, after
 * {@link SeriesTransform} (external labels, write relabeling), and cached per input {@link Labels}
 * instance. A target's scrapes repeat their series in the same order, so the series of each target's last
 * batch are remembered by position: in steady state encoding a sample is an identity check against the
 * previous batch's series at the same index plus a byte copy, with no hash lookup and no allocation.
 *
 * <p>Output here is the spool format of {@link RemoteWriteSink}: per sample a 4-byte series hash
 * (big-endian, for sharding) followed by the {@code WriteRequest.timeseries} field. {@link #entryFieldOffset}
 * and {@link #entryLength} walk it; {@link #toWriteRequest} strips the hashes.
 *
 * <p>Not thread-safe: one encoder per queue, used from the queue's own thread.
 */
public final class WriteRequestEncoder {

    static final int TAG_TIMESERIES = (1 << 3) | 2;
    static final int TAG_LABELS = (1 << 3) | 2;
    static final int TAG_SAMPLES = (2 << 3) | 2;
    static final int TAG_LABEL_NAME = (1 << 3) | 2;
    static final int TAG_LABEL_VALUE = (2 << 3) | 2;
    static final int TAG_SAMPLE_VALUE = (1 << 3) | 1;
    static final int TAG_SAMPLE_TIMESTAMP = (2 << 3);

    /** Bytes of the series hash in front of every spooled entry. */
    public static final int HASH_BYTES = 4;

    /** A series as it will be sent: its encoded {@code Label} fields and its shard hash. */
    record EncodedSeries(byte[] labelFields, int hash) {
    }

    private static final EncodedSeries DROPPED = new EncodedSeries(new byte[0], 0);

    private final SeriesTransform transform;
    private final int cacheGeneration;
    private HashMap<Labels, EncodedSeries> young = new HashMap<>();
    private HashMap<Labels, EncodedSeries> old = new HashMap<>();

    /** Per scrape target (by identity), the series of its last batch in order. */
    private final IdentityHashMap<Object, BatchMemo> memos = new IdentityHashMap<>();
    private long batches;
    private long nextSweep = MIN_SWEEP_BATCHES;

    private byte[] buf = new byte[64 * 1024];
    private int len;
    private long droppedByRelabel;
    private long droppedNoName;

    /**
     * @param transform       external labels and write relabeling, applied once per distinct series
     * @param cacheGeneration series kept per cache generation; the cache holds at most two generations,
     *                        so memory stays bounded while the active series are re-found cheaply
     */
    public WriteRequestEncoder(SeriesTransform transform, int cacheGeneration) {
        this.transform = transform;
        this.cacheGeneration = Math.max(16, cacheGeneration);
    }

    public WriteRequestEncoder(SeriesTransform transform) {
        this(transform, 200_000);
    }

    /** Starts a new spool record, keeping the buffer. */
    public void reset() {
        len = 0;
    }

    /** The spool bytes written since {@link #reset()}: {@code buffer()[0 .. length())}. */
    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return len;
    }

    /** Samples dropped because write relabeling dropped their series. */
    public long droppedByRelabel() {
        return droppedByRelabel;
    }

    /** Samples dropped because their series had no {@code __name__} after relabeling. */
    public long droppedNoName() {
        return droppedNoName;
    }

    /** Appends every sample of {@code batch}; returns how many were kept (not dropped by relabeling). */
    public int append(ScrapeBatch batch) {
        int n = batch.size();
        BatchMemo memo = memo(batch.target(), n);
        Labels[] keys = memo.keys;
        EncodedSeries[] encoded = memo.series;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Labels labels = batch.labels(i);
            EncodedSeries s;
            if (keys[i] == labels) {
                s = encoded[i];
            } else {
                s = series(labels);
                keys[i] = labels;
                encoded[i] = s;
            }
            if (append(s, batch.value(i), batch.timestampMs(i))) {
                kept++;
            }
        }
        memo.trim(n);
        return kept;
    }

    /** Appends one sample; {@code false} when its series is dropped. Value bits (stale NaN) are kept as they are. */
    public boolean append(Labels labels, double value, long timestampMs) {
        return append(series(labels), value, timestampMs);
    }

    private boolean append(EncodedSeries s, double value, long timestampMs) {
        if (s == DROPPED) {
            return false;
        }
        byte[] lf = s.labelFields;
        int sampleSize = sampleSize(timestampMs);
        int body = lf.length + 1 + CodedOutputStream.computeUInt32SizeNoTag(sampleSize) + sampleSize;
        int entry = HASH_BYTES + 1 + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
        ensure(entry);
        int h = s.hash;
        buf[len] = (byte) (h >>> 24);
        buf[len + 1] = (byte) (h >>> 16);
        buf[len + 2] = (byte) (h >>> 8);
        buf[len + 3] = (byte) h;
        int p = len + HASH_BYTES;
        buf[p++] = (byte) TAG_TIMESERIES;
        p = writeVarint(buf, p, body);
        System.arraycopy(lf, 0, buf, p, lf.length);
        p += lf.length;
        buf[p++] = (byte) TAG_SAMPLES;
        p = writeVarint(buf, p, sampleSize);
        buf[p++] = (byte) TAG_SAMPLE_VALUE;
        long bits = Double.doubleToRawLongBits(value);
        for (int k = 0; k < 8; k++) {
            buf[p++] = (byte) (bits >>> (8 * k));
        }
        buf[p++] = (byte) TAG_SAMPLE_TIMESTAMP;
        p = writeVarint64(buf, p, timestampMs);
        len = p;
        return true;
    }

    private BatchMemo memo(Object target, int size) {
        if (++batches >= nextSweep) {
            // Targets that sent nothing since the last sweep are gone (or slow); forgetting them only costs
            // one batch of hash lookups when they return.
            long since = nextSweep - sweepPeriod();
            memos.values().removeIf(m -> m.lastUsed < since);
            nextSweep = batches + sweepPeriod();
        }
        BatchMemo memo = memos.computeIfAbsent(target, t -> new BatchMemo());
        memo.lastUsed = batches;
        memo.ensure(size);
        return memo;
    }

    private long sweepPeriod() {
        return Math.max(MIN_SWEEP_BATCHES, 2L * memos.size());
    }

    private static final long MIN_SWEEP_BATCHES = 4096;

    /** The series of one target's last batch, by position. */
    private static final class BatchMemo {
        Labels[] keys = new Labels[0];
        EncodedSeries[] series = new EncodedSeries[0];
        int size;
        long lastUsed;

        void ensure(int n) {
            if (keys.length < n) {
                keys = Arrays.copyOf(keys, n);
                series = Arrays.copyOf(series, n);
            }
        }

        /** Forgets positions past this batch so vanished series are not kept alive. */
        void trim(int n) {
            if (size > n) {
                Arrays.fill(keys, n, size, null);
                Arrays.fill(series, n, size, null);
            }
            size = n;
        }
    }

    private EncodedSeries series(Labels labels) {
        EncodedSeries s = young.get(labels);
        if (s != null) {
            return s;
        }
        s = old.get(labels);
        if (s == null) {
            s = encodeSeries(labels);
        }
        if (young.size() >= cacheGeneration) {
            old = young;
            young = new HashMap<>();
        }
        young.put(labels, s);
        return s;
    }

    private EncodedSeries encodeSeries(Labels in) {
        Labels out = transform.apply(in);
        if (out == null) {
            droppedByRelabel++;
            return DROPPED;
        }
        if (!out.has(Labels.METRIC_NAME)) {
            droppedNoName++;
            return DROPPED;
        }
        byte[] lf = encodeLabelFields(out);
        return new EncodedSeries(lf, mix(Arrays.hashCode(lf)));
    }

    /** The {@code TimeSeries.labels} fields of {@code labels} (sorted, unique, non-empty: {@link Labels} guarantees it). */
    public static byte[] encodeLabelFields(Labels labels) {
        int size = 0;
        for (int i = 0; i < labels.size(); i++) {
            int l = labelSize(labels.name(i), labels.value(i));
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(l) + l;
        }
        byte[] out = new byte[size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < labels.size(); i++) {
                cos.writeTag(1, 2);
                cos.writeUInt32NoTag(labelSize(labels.name(i), labels.value(i)));
                cos.writeString(1, labels.name(i));
                cos.writeString(2, labels.value(i));
            }
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static int labelSize(String name, String value) {
        return CodedOutputStream.computeStringSize(1, name) + CodedOutputStream.computeStringSize(2, value);
    }

    private static int sampleSize(long ts) {
        return 1 + 8 + 1 + CodedOutputStream.computeInt64SizeNoTag(ts);
    }

    /** Offset of the {@code timeseries} field of the spool entry starting at {@code entry}. */
    public static int entryFieldOffset(int entry) {
        return entry + HASH_BYTES;
    }

    /** Total length of the spool entry (hash + field) starting at {@code entry} in {@code b}. */
    public static int entryLength(byte[] b, int entry) {
        int p = entry + HASH_BYTES + 1;
        int value = 0;
        int shift = 0;
        int start = p;
        while (true) {
            byte x = b[p++];
            value |= (x & 0x7f) << shift;
            if (x >= 0) {
                break;
            }
            shift += 7;
        }
        return HASH_BYTES + 1 + (p - start) + value;
    }

    /** The shard hash of the spool entry starting at {@code entry}. */
    public static int entryHash(byte[] b, int entry) {
        return ((b[entry] & 0xff) << 24) | ((b[entry + 1] & 0xff) << 16) | ((b[entry + 2] & 0xff) << 8)
                | (b[entry + 3] & 0xff);
    }

    /** The sample timestamp of the spool entry at {@code entry} of length {@code entryLength}: its last varint. */
    public static long entryTimestamp(byte[] b, int entry, int entryLength) {
        int last = entry + entryLength - 1;
        int start = last;
        while (start > entry && b[start - 1] < 0) {
            start--;
        }
        long v = 0;
        int shift = 0;
        for (int p = start; p <= last; p++) {
            v |= (long) (b[p] & 0x7f) << shift;
            shift += 7;
        }
        return v;
    }

    /**
     * Copies the {@code timeseries} fields of the spool entries in {@code spool[off .. off+length)} to
     * {@code dst} at {@code dstOff} (which must have room for {@code length} bytes): a WriteRequest body.
     *
     * @return bytes written
     */
    public static int copyFields(byte[] spool, int off, int length, byte[] dst, int dstOff) {
        int o = dstOff;
        for (int p = off; p < off + length; ) {
            int e = entryLength(spool, p);
            int f = e - HASH_BYTES;
            System.arraycopy(spool, p + HASH_BYTES, dst, o, f);
            o += f;
            p += e;
        }
        return o - dstOff;
    }

    /** Converts spool bytes into a {@code WriteRequest} body (drops the per-entry hashes). */
    public static byte[] toWriteRequest(byte[] spool, int off, int length) {
        byte[] out = new byte[length];
        return Arrays.copyOf(out, copyFields(spool, off, length, out, 0));
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    static int writeVarint(byte[] b, int p, int v) {
        while ((v & ~0x7f) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static int writeVarint64(byte[] b, int p, long v) {
        while ((v & ~0x7fL) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
