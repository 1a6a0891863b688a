package io.scrapeflux.sink;

import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.target.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;

/**
 * Hand-written protobuf encoding of remote-write 1.0 ({@code prometheus.WriteRequest}), already
 * snappy-compressed:
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 * Like Prometheus, every sample travels as its own {@code TimeSeries} entry (labels + one sample), so a
 * request body is a concatenation of entries. The labels of a series are encoded once, after
 * {@link SeriesTransform} (external labels, write relabeling).
 *
 * <h2>Templates</h2>
 * A target's scrapes repeat its series in the same order, and its entries then differ only in the eight
 * value bytes and the timestamp of each sample. Per target the encoder keeps the entries of its last
 * batch compressed by {@link SnappyTemplate}, with the value and timestamp bytes as patchable literals.
 * While the series (by identity, position by position) and the timestamps' encoded lengths stay the same,
 * encoding a batch is a copy of the compressed template plus, per sample, an 8-byte store and a varint:
 * no label bytes are touched, nothing is compressed and nothing is allocated. Any change rebuilds the
 * target's template from its series, which are cached per input {@link Labels} instance.
 *
 * <h2>Output: the spool record of {@link RemoteWriteSink}</h2>
 * A sequence of chunks, each at most {@code chunkSamples} samples of one batch:
 * <pre>
 * [u32 samples][u32 rawLength][i64 minTs][i64 maxTs][u32 shardKey][u32 compressedLength][snappy elements]
 * </pre>
 * big-endian; the elements are a snappy stream without its length preamble whose copies stay inside the
 * chunk, so any run of chunks behind one preamble (the sum of their raw lengths) is a valid compressed
 * WriteRequest. The shard key is the same for every chunk of a target, across restarts too, which keeps
 * each series on one shard and in order.
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

    /** Bytes of a chunk's header in front of its snappy elements. */
    public static final int CHUNK_HEADER = 32;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** A series as it will be sent: its encoded {@code Label} fields. */
    record EncodedSeries(byte[] labelFields) {
    }

    private static final EncodedSeries DROPPED = new EncodedSeries(new byte[0]);

    private final SeriesTransform transform;
    private final int cacheGeneration;
    private final int chunkSamples;
    private final SnappyTemplate snappy = new SnappyTemplate();
    private HashMap<Labels, EncodedSeries> young = new HashMap<>();
    private HashMap<Labels, EncodedSeries> old = new HashMap<>();

    /** Per scrape target (by identity), the series and compressed template of its last batch. */
    private final IdentityHashMap<Object, BatchMemo> memos = new IdentityHashMap<>();
    private long batches;
    private long nextSweep = MIN_SWEEP_BATCHES;

    private byte[] buf = new byte[64 * 1024];
    private int len;
    private long droppedByRelabel;
    private long droppedNoName;
    private long templatesBuilt;

    // template-building scratch
    private byte[] raw = new byte[64 * 1024];
    private byte[] mask = new byte[64 * 1024];
    private int[] zoneStart = new int[256];
    private int[] zoneOut = new int[256];
    private final byte[] tsBytes = new byte[10];
    private byte[] compressed = new byte[0];

    /**
     * @param transform       external labels and write relabeling, applied once per distinct series
     * @param cacheGeneration series kept per cache generation; the cache holds at most two generations,
     *                        so memory stays bounded while the active series are re-found cheaply
     * @param chunkSamples    most samples per chunk ({@code max_samples_per_send}: a request is whole chunks)
     */
    public WriteRequestEncoder(SeriesTransform transform, int cacheGeneration, int chunkSamples) {
        if (chunkSamples < 1) {
            throw new IllegalArgumentException("chunkSamples must be positive, got " + chunkSamples);
        }
        this.transform = transform;
        this.cacheGeneration = Math.max(16, cacheGeneration);
        this.chunkSamples = chunkSamples;
    }

    public WriteRequestEncoder(SeriesTransform transform) {
        this(transform, 200_000, 2000);
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

    /** How many times a target's template was (re)built: once per target plus once per change of its series. */
    public long templatesBuilt() {
        return templatesBuilt;
    }

    /** Appends every sample of {@code batch} as chunks; returns how many were kept (not dropped by relabeling). */
    public int append(ScrapeBatch batch) {
        int n = batch.size();
        BatchMemo memo = memo(batch.target(), n);
        boolean reuse = memo.built && memo.size == n;
        Labels[] keys = memo.keys;
        EncodedSeries[] encoded = memo.series;
        byte[] tsLen = memo.tsLen;
        boolean first = true;
        long common = 0;
        for (int i = 0; i < n; i++) {
            Labels labels = batch.labels(i);
            if (keys[i] != labels) {
                keys[i] = labels;
                encoded[i] = series(labels);
                reuse = false;
            } else if (reuse && tsLen[i] != 0) {
                long ts = batch.timestampMs(i);
                if (!memo.sharedTimestamp) {
                    reuse = tsLen[i] == varint64Size(ts);
                } else if (first) {
                    common = ts;
                    first = false;
                    reuse = tsLen[i] == varint64Size(ts);
                } else {
                    reuse = ts == common;
                }
            }
        }
        memo.trim(n);
        if (!reuse) {
            build(memo, batch, n);
        }
        emit(memo, batch);
        return memo.kept;
    }

    /** Patches the current values and timestamps into a copy of each template chunk. */
    private void emit(BatchMemo memo, ScrapeBatch batch) {
        int[] keptIndex = memo.keptIndex;
        byte[] tsBytes = this.tsBytes;
        for (int c = 0; c < memo.chunkCount; c++) {
            Chunk chunk = memo.chunks[c];
            ensure(CHUNK_HEADER + chunk.comp.length);
            int header = len;
            int base = header + CHUNK_HEADER;
            byte[] b = buf;
            System.arraycopy(chunk.comp, 0, b, base, chunk.comp.length);
            int[] zone = chunk.zoneOffset;
            long min;
            long max;
            if (memo.sharedTimestamp) {
                long ts = batch.timestampMs(keptIndex[chunk.firstKept]);
                min = ts;
                max = ts;
                writeVarint64(tsBytes, 0, ts);
                int[] shared = chunk.sharedTimestampBytes;
                for (int e : shared) {
                    b[base + (e >>> 4)] = tsBytes[e & 15];
                }
                for (int j = 0, k = chunk.firstKept; j < chunk.samples; j++, k++) {
                    LONG_LE.set(b, base + zone[j], Double.doubleToRawLongBits(batch.value(keptIndex[k])));
                }
            } else {
                min = Long.MAX_VALUE;
                max = Long.MIN_VALUE;
                for (int j = 0, k = chunk.firstKept; j < chunk.samples; j++, k++) {
                    int i = keptIndex[k];
                    int at = base + zone[j];
                    LONG_LE.set(b, at, Double.doubleToRawLongBits(batch.value(i)));
                    long ts = batch.timestampMs(i);
                    writeVarint64(b, at + 9, ts);
                    min = Math.min(min, ts);
                    max = Math.max(max, ts);
                }
            }
            INT_BE.set(b, header, chunk.samples);
            INT_BE.set(b, header + 4, chunk.rawLength);
            LONG_BE.set(b, header + 8, min);
            LONG_BE.set(b, header + 16, max);
            INT_BE.set(b, header + 24, memo.shardKey);
            INT_BE.set(b, header + 28, chunk.comp.length);
            len = base + chunk.comp.length;
        }
    }

    /**
     * Encodes the batch's entries afresh and compresses them into the target's template chunks. Value
     * bytes are variable; when every sample has the same timestamp (the scrape's, the usual case) its
     * bytes are shared, so they compress like the labels and one patch per chunk position updates them,
     * otherwise each timestamp is variable too.
     */
    private void build(BatchMemo memo, ScrapeBatch batch, int n) {
        templatesBuilt++;
        memo.ensureBuild(n);
        EncodedSeries[] encoded = memo.series;
        boolean shared = true;
        boolean any = false;
        long common = 0;
        for (int i = 0; i < n && shared; i++) {
            if (encoded[i] != DROPPED) {
                long ts = batch.timestampMs(i);
                shared = !any || ts == common;
                common = ts;
                any = true;
            }
        }
        memo.sharedTimestamp = shared;
        int kept = 0;
        int chunkFirst = 0;
        int r = 0;
        memo.chunkCount = 0;
        for (int i = 0; i < n; i++) {
            EncodedSeries s = encoded[i];
            if (s == DROPPED) {
                memo.tsLen[i] = 0;
                continue;
            }
            long ts = batch.timestampMs(i);
            int tl = varint64Size(ts);
            memo.tsLen[i] = (byte) tl;
            byte[] lf = s.labelFields;
            int sampleSize = 1 + 8 + 1 + tl;
            int body = lf.length + 1 + varintSize(sampleSize) + sampleSize;
            int entry = 1 + varintSize(body) + body;
            if (r + entry > raw.length) {
                int size = Math.max(raw.length * 2, r + entry);
                raw = Arrays.copyOf(raw, size);
                mask = Arrays.copyOf(mask, size);
            }
            int z = kept - chunkFirst;
            if (z == zoneStart.length) {
                zoneStart = Arrays.copyOf(zoneStart, z * 2);
                zoneOut = Arrays.copyOf(zoneOut, z * 2);
            }
            byte[] w = raw;
            int entryStart = r;
            w[r++] = (byte) TAG_TIMESERIES;
            r = writeVarint(w, r, body);
            System.arraycopy(lf, 0, w, r, lf.length);
            r += lf.length;
            w[r++] = (byte) TAG_SAMPLES;
            r = writeVarint(w, r, sampleSize);
            w[r++] = (byte) TAG_SAMPLE_VALUE;
            int value = r;
            zoneStart[z] = value;
            LONG_LE.set(w, value, Double.doubleToRawLongBits(batch.value(i)));
            w[value + 8] = (byte) TAG_SAMPLE_TIMESTAMP;
            r = writeVarint64(w, value + 9, ts);
            Arrays.fill(mask, entryStart, value, SnappyTemplate.CONSTANT);
            if (shared) {
                Arrays.fill(mask, value, value + 8, SnappyTemplate.VARIABLE);
                mask[value + 8] = SnappyTemplate.CONSTANT;
                for (int k = 0; k < tl; k++) {
                    mask[value + 9 + k] = (byte) (SnappyTemplate.SHARED + k);
                }
            } else {
                // one zone: value, timestamp tag, timestamp (its length is fixed by the template)
                Arrays.fill(mask, value, r, SnappyTemplate.VARIABLE);
            }
            memo.keptIndex[kept++] = i;
            if (kept - chunkFirst == chunkSamples) {
                finishChunk(memo, chunkFirst, kept - chunkFirst, r);
                chunkFirst = kept;
                r = 0;
            }
        }
        if (kept > chunkFirst) {
            finishChunk(memo, chunkFirst, kept - chunkFirst, r);
        }
        memo.kept = kept;
        memo.built = true;
    }

    private void finishChunk(BatchMemo memo, int firstKept, int samples, int rawLength) {
        int max = SnappyTemplate.maxCompressedLength(rawLength);
        if (compressed.length < max) {
            compressed = new byte[max];
        }
        int n = snappy.compress(raw, rawLength, mask, zoneStart, samples, compressed, 0, zoneOut);
        Chunk c = memo.nextChunk();
        c.comp = Arrays.copyOf(compressed, n);
        c.zoneOffset = Arrays.copyOf(zoneOut, samples);
        c.sharedTimestampBytes = Arrays.copyOf(snappy.shared(), snappy.sharedCount());
        c.firstKept = firstKept;
        c.samples = samples;
        c.rawLength = rawLength;
    }

    private BatchMemo memo(Object target, int size) {
        if (++batches >= nextSweep) {
            // Targets that sent nothing since the last sweep are gone (or slow); forgetting them only costs
            // one template build when they return.
            long since = nextSweep - sweepPeriod();
            memos.values().removeIf(m -> m.lastUsed < since);
            nextSweep = batches + sweepPeriod();
        }
        BatchMemo memo = memos.get(target);
        if (memo == null) {
            memo = new BatchMemo(shardKey(target));
            memos.put(target, memo);
        }
        memo.lastUsed = batches;
        memo.ensure(size);
        return memo;
    }

    /** Stable across restarts, so recovered and fresh samples of a series go to the same shard. */
    private static int shardKey(Object target) {
        if (target instanceof Target t) {
            return mix(t.scrapePool().hashCode() * 31 + t.labels().hashCode());
        }
        return target == null ? 0 : mix(target.hashCode());
    }

    private long sweepPeriod() {
        return Math.max(MIN_SWEEP_BATCHES, 2L * memos.size());
    }

    private static final long MIN_SWEEP_BATCHES = 4096;

    /** A compressed run of entries of one target's batch (see {@link SnappyTemplate}). */
    private static final class Chunk {
        byte[] comp;
        /**
         * Per sample, where its value bytes sit in {@code comp}; without a shared timestamp its timestamp
         * varint starts 9 bytes later.
         */
        int[] zoneOffset;
        /** With a shared timestamp, its literal bytes in {@code comp}: {@code (offset << 4) | byte index}. */
        int[] sharedTimestampBytes;
        int firstKept;
        int samples;
        int rawLength;
    }

    /** The series and template of one target's last batch, by position. */
    private static final class BatchMemo {
        final int shardKey;
        Labels[] keys = new Labels[0];
        EncodedSeries[] series = new EncodedSeries[0];
        /** Per position, the timestamp varint length the template was built with (0 = series dropped). */
        byte[] tsLen = new byte[0];
        int[] keptIndex = new int[0];
        Chunk[] chunks = new Chunk[0];
        int chunkCount;
        int kept;
        boolean built;
        /** The template was built from a batch whose samples all had one timestamp. */
        boolean sharedTimestamp;
        int size;
        long lastUsed;

        BatchMemo(int shardKey) {
            this.shardKey = shardKey;
        }

        void ensure(int n) {
            if (keys.length < n) {
                keys = Arrays.copyOf(keys, n);
                series = Arrays.copyOf(series, n);
            }
        }

        void ensureBuild(int n) {
            if (tsLen.length < n) {
                tsLen = Arrays.copyOf(tsLen, n);
                keptIndex = Arrays.copyOf(keptIndex, n);
            }
        }

        Chunk nextChunk() {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, Math.max(1, chunkCount * 2));
            }
            Chunk c = chunks[chunkCount];
            if (c == null) {
                c = new Chunk();
                chunks[chunkCount] = c;
            }
            chunkCount++;
            return c;
        }

        /** Forgets positions past this batch so vanished series are not kept alive. */
        void trim(int n) {
            if (size > n) {
                Arrays.fill(keys, n, size, null);
                Arrays.fill(series, n, size, null);
                built = false;
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
        return new EncodedSeries(encodeLabelFields(out));
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

    // ---- reading chunks (the sink, tests) ----

    public static int chunkSamples(byte[] b, int chunk) {
        return (int) INT_BE.get(b, chunk);
    }

    /** Bytes of the chunk's entries uncompressed: what it adds to the request's snappy preamble. */
    public static int chunkRawLength(byte[] b, int chunk) {
        return (int) INT_BE.get(b, chunk + 4);
    }

    public static long chunkMinTimestamp(byte[] b, int chunk) {
        return (long) LONG_BE.get(b, chunk + 8);
    }

    public static long chunkMaxTimestamp(byte[] b, int chunk) {
        return (long) LONG_BE.get(b, chunk + 16);
    }

    public static int chunkShardKey(byte[] b, int chunk) {
        return (int) INT_BE.get(b, chunk + 24);
    }

    public static int chunkCompressedLength(byte[] b, int chunk) {
        return (int) INT_BE.get(b, chunk + 28);
    }

    /** Offset just past the chunk at {@code chunk}: the next chunk's. */
    public static int nextChunk(byte[] b, int chunk) {
        return chunk + CHUNK_HEADER + chunkCompressedLength(b, chunk);
    }

    /** The chunk's entries, uncompressed: a WriteRequest body of its own. */
    public static byte[] rawChunk(byte[] b, int chunk) {
        int comp = chunkCompressedLength(b, chunk);
        int rawLength = chunkRawLength(b, chunk);
        byte[] framed = new byte[5 + comp];
        int start = SnappyTemplate.preambleBefore(framed, 5, rawLength);
        System.arraycopy(b, chunk + CHUNK_HEADER, framed, 5, comp);
        byte[] out = new byte[rawLength];
        int n = new SnappyDecompressor().decompress(framed, start, framed.length - start, out, 0, rawLength);
        if (n != rawLength) {
            throw new IllegalStateException("chunk decompressed to " + n + " bytes, its header says " + rawLength);
        }
        return out;
    }

    /** Converts spool bytes into an uncompressed {@code WriteRequest} body (every chunk, in order). */
    public static byte[] toWriteRequest(byte[] spool, int off, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int p = off; p < off + length; p = nextChunk(spool, p)) {
            out.writeBytes(rawChunk(spool, p));
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code raw[0 .. rawLength)} (whole entries, {@code samples} of them) as one chunk at
     * {@code dst[off ..)}, which needs {@link #CHUNK_HEADER} + {@link SnappyTemplate#maxCompressedLength} room.
     * For the slow paths: re-chunking after filtering, spools of older versions.
     *
     * @return bytes written
     */
    static int writeChunk(SnappyTemplate snappy, byte[] raw, int rawLength, int samples, long minTs, long maxTs,
            int shardKey, byte[] dst, int off) {
        int comp = snappy.compress(raw, rawLength, null, null, 0, dst, off + CHUNK_HEADER, null);
        INT_BE.set(dst, off, samples);
        INT_BE.set(dst, off + 4, rawLength);
        LONG_BE.set(dst, off + 8, minTs);
        LONG_BE.set(dst, off + 16, maxTs);
        INT_BE.set(dst, off + 24, shardKey);
        INT_BE.set(dst, off + 28, comp);
        return CHUNK_HEADER + comp;
    }

    /** Length of the entry ({@code TimeSeries} field) starting at {@code p}. */
    static int entryLength(byte[] b, int p) {
        int q = p + 1;
        int value = 0;
        int shift = 0;
        while (true) {
            byte x = b[q++];
            value |= (x & 0x7f) << shift;
            if (x >= 0) {
                break;
            }
            shift += 7;
        }
        return q - p + value;
    }

    /** The sample timestamp of the entry at {@code p} of length {@code entryLength}: its last varint. */
    static long entryTimestamp(byte[] b, int p, int entryLength) {
        int last = p + entryLength - 1;
        int start = last;
        while (start > p && b[start - 1] < 0) {
            start--;
        }
        long v = 0;
        int shift = 0;
        for (int q = start; q <= last; q++) {
            v |= (long) (b[q] & 0x7f) << shift;
            shift += 7;
        }
        return v;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    static int varintSize(int v) {
        return SnappyTemplate.varintSize(v);
    }

    static int varint64Size(long v) {
        return v < 0 ? 10 : (70 - Long.numberOfLeadingZeros(v | 1)) / 7;
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
