package io.scrapeflux.sink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A snappy compressor whose output can be patched. The caller marks input bytes in a mask:
 * <ul>
 *   <li>{@link #CONSTANT}: compressed as usual;</li>
 *   <li>{@link #VARIABLE}: always a literal byte at a known output offset, never the source of a copy;</li>
 *   <li>{@code SHARED + k} (k &lt; 14): byte k of a value that is the same wherever it occurs (a batch's
 *       common timestamp). It is copied only from an occurrence of the same byte k, so patching its
 *       literal occurrences ({@link #shared()}) patches all of them.</li>
 * </ul>
 * Overwriting those literals in the compressed output is therefore the same as compressing the input
 * with those bytes changed.
 *
 * <p>Why: a target's scrapes repeat the same series in the same order, so its remote-write entries differ
 * between scrapes only in their sample values and timestamps. Compressing once per change of the series
 * set and patching the output afterwards removes snappy from the steady-state hot path.
 *
 * <p>The output is a snappy element stream without the length preamble. Streams whose copies only reach
 * back into themselves can be concatenated behind one preamble (the sum of their uncompressed lengths)
 * into a valid snappy block: that is how a request is assembled from the chunks of several scrapes.
 * Copies never reach back more than 65,535 bytes, so every decoder handles them (2-byte offsets).
 *
 * <p>Not thread-safe: holds scratch tables; one instance per encoder.
 */
final class SnappyTemplate {

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final int HASH_BITS = 14;
    private static final int MAX_OFFSET = 65_535;
    private static final int MIN_MATCH = 4;

    static final byte CONSTANT = 0;
    static final byte VARIABLE = 1;
    static final byte SHARED = 2;

    private final int[] table = new int[1 << HASH_BITS];
    private byte[] noMask = new byte[0];
    private int[] shared = new int[64];
    private int sharedCount;

    /** Room {@link #compress} may need for {@code n} input bytes (snappy's worst case). */
    static int maxCompressedLength(int n) {
        return 32 + n + n / 6;
    }

    /**
     * Compresses {@code src[0 .. n)} into {@code dst[dstOff ..)} (which needs {@link #maxCompressedLength}
     * room). {@code mask[0 .. n)} classifies the bytes (null: all constant). Variable zones, the runs of
     * {@link #VARIABLE} bytes, start at {@code zoneStart[0 .. zones)} in order; the output offset (relative
     * to {@code dstOff}) of each zone's first byte is stored in {@code zoneOut[z]}, its other bytes follow
     * it. Literal shared bytes are listed by {@link #shared()} afterwards.
     *
     * @return bytes written
     */
    int compress(byte[] src, int n, byte[] mask, int[] zoneStart, int zones, byte[] dst, int dstOff,
            int[] zoneOut) {
        byte[] m = mask;
        if (m == null) {
            if (noMask.length < n) {
                noMask = new byte[Math.max(n, noMask.length * 2)];
            }
            m = noMask;
        }
        sharedCount = 0;
        Arrays.fill(table, -1);
        int out = dstOff;
        int emitFrom = 0;
        int zone = 0;
        int p = 0;
        int misses = 0;
        while (p + MIN_MATCH <= n) {
            int kinds = (int) INT_LE.get(m, p);
            int v = kinds ^ 0x01010101;
            if (((v - 0x01010101) & ~v & 0x80808080) != 0) {
                // a VARIABLE byte in the window (a zero byte of v): no match starts here
                p++;
                continue;
            }
            int word = (int) INT_LE.get(src, p);
            int h = ((word ^ kinds) * 0x1e35a7bd) >>> (32 - HASH_BITS);
            int cand = table[h];
            table[h] = p;
            if (cand < 0 || p - cand > MAX_OFFSET || (int) INT_LE.get(src, cand) != word
                    || (int) INT_LE.get(m, cand) != kinds) {
                // Incompressible stretches are crossed faster the longer they last, as snappy itself does.
                p += 1 + (misses++ >>> 5);
                continue;
            }
            misses = 0;
            int len = MIN_MATCH;
            while (p + len < n && src[p + len] == src[cand + len] && m[p + len] == m[cand + len]
                    && m[p + len] != VARIABLE) {
                len++;
            }
            out = literal(src, m, emitFrom, p, dst, out, dstOff, zoneStart, zones, zone, zoneOut);
            zone = firstZoneFrom(zoneStart, zones, zone, p);
            out = copy(dst, out, p - cand, len);
            p += len;
            emitFrom = p;
        }
        out = literal(src, m, emitFrom, n, dst, out, dstOff, zoneStart, zones, zone, zoneOut);
        return out - dstOff;
    }

    /**
     * The literal shared bytes of the last {@link #compress}: {@code shared()[0 .. sharedCount())}, each
     * {@code (outputOffset << 4) | k} for byte k of the shared value.
     */
    int[] shared() {
        return shared;
    }

    int sharedCount() {
        return sharedCount;
    }

    private static int firstZoneFrom(int[] zoneStart, int zones, int zone, int pos) {
        while (zone < zones && zoneStart[zone] < pos) {
            zone++;
        }
        return zone;
    }

    /** Emits {@code src[from .. to)} as one literal and records where its zones and shared bytes land. */
    private int literal(byte[] src, byte[] mask, int from, int to, byte[] dst, int out, int dstOff,
            int[] zoneStart, int zones, int zone, int[] zoneOut) {
        int len = to - from;
        if (len == 0) {
            return out;
        }
        int m = len - 1;
        if (m < 60) {
            dst[out++] = (byte) (m << 2);
        } else if (m < 1 << 8) {
            dst[out++] = (byte) (60 << 2);
            dst[out++] = (byte) m;
        } else if (m < 1 << 16) {
            dst[out++] = (byte) (61 << 2);
            dst[out++] = (byte) m;
            dst[out++] = (byte) (m >>> 8);
        } else if (m < 1 << 24) {
            dst[out++] = (byte) (62 << 2);
            dst[out++] = (byte) m;
            dst[out++] = (byte) (m >>> 8);
            dst[out++] = (byte) (m >>> 16);
        } else {
            dst[out++] = (byte) (63 << 2);
            dst[out++] = (byte) m;
            dst[out++] = (byte) (m >>> 8);
            dst[out++] = (byte) (m >>> 16);
            dst[out++] = (byte) (m >>> 24);
        }
        System.arraycopy(src, from, dst, out, len);
        for (int z = zone; z < zones && zoneStart[z] < to; z++) {
            zoneOut[z] = out - dstOff + (zoneStart[z] - from);
        }
        for (int i = from; i < to; i++) {
            if (mask[i] >= SHARED) {
                if (sharedCount == shared.length) {
                    shared = Arrays.copyOf(shared, sharedCount * 2);
                }
                shared[sharedCount++] = ((out - dstOff + (i - from)) << 4) | (mask[i] - SHARED);
            }
        }
        return out + len;
    }

    private static int copy(byte[] dst, int out, int offset, int len) {
        while (len >= 68) {
            out = copy2(dst, out, offset, 64);
            len -= 64;
        }
        if (len > 64) {
            // Leaves at least four bytes for the last element, the shortest copy-1 can express.
            out = copy2(dst, out, offset, 60);
            len -= 60;
        }
        if (len <= 11 && offset < 2048) {
            dst[out++] = (byte) (1 | ((len - 4) << 2) | ((offset >>> 8) << 5));
            dst[out++] = (byte) offset;
            return out;
        }
        return copy2(dst, out, offset, len);
    }

    private static int copy2(byte[] dst, int out, int offset, int len) {
        dst[out++] = (byte) (2 | ((len - 1) << 2));
        dst[out++] = (byte) offset;
        dst[out++] = (byte) (offset >>> 8);
        return out;
    }

    /** Writes the snappy preamble (uncompressed length varint) ending just before {@code end}; returns its start. */
    static int preambleBefore(byte[] dst, int end, int uncompressedLength) {
        int size = varintSize(uncompressedLength);
        int p = end - size;
        int v = uncompressedLength;
        for (int i = p; i < end - 1; i++) {
            dst[i] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        dst[end - 1] = (byte) v;
        return p;
    }

    static int varintSize(int v) {
        return v < 0 ? 5 : (38 - Integer.numberOfLeadingZeros(v | 1)) / 7;
    }
}
