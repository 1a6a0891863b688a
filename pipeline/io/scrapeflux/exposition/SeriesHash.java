package io.scrapeflux.exposition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hashes of byte slices that cost no allocation, reading eight bytes at a time through a little-endian
 * view: {@link #hash} is xxHash64 (seed 0); {@link #quick} is a cheaper hash for in-memory tables, the
 * one parsers give series.
 */
public final class SeriesHash {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private SeriesHash() {
    }

    /** xxHash64 of {@code len} bytes of {@code b} from {@code off}. */
    public static long hash(byte[] b, int off, int len) {
        int end = off + len;
        int p = off;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            int limit = end - 32;
            do {
                v1 = round(v1, (long) LONGS.get(b, p));
                v2 = round(v2, (long) LONGS.get(b, p + 8));
                v3 = round(v3, (long) LONGS.get(b, p + 16));
                v4 = round(v4, (long) LONGS.get(b, p + 24));
                p += 32;
            } while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        while (p + 8 <= end) {
            h ^= round(0, (long) LONGS.get(b, p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= (((int) INTS.get(b, p)) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (b[p] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    private static final long K1 = 0xA0761D6478BD642FL;
    private static final long K2 = 0xE7037ED1A0B428DBL;
    private static final long K3 = 0x8EBC6AF09C88C6E3L;

    /**
     * A 64-bit hash of {@code len} bytes of {@code b} from {@code off} for hash tables that compare keys
     * on a match, after wyhash's design: each 16 bytes fold into the state through one 64x64->128-bit
     * multiply whose halves are xored (every input bit reaches every output bit), the last 16 bytes (or
     * the whole of a short slice) are read as overlapping words instead of byte by byte. Not a stable
     * format: values may change between versions.
     */
    public static long quick(byte[] b, int off, int len) {
        int end = off + len;
        long s = K3;
        long x;
        long y;
        if (len > 16) {
            int last = end - 16;
            int p = off;
            do {
                s = fold((long) LONGS.get(b, p) ^ K1, (long) LONGS.get(b, p + 8) ^ s);
                p += 16;
            } while (p < last);
            x = (long) LONGS.get(b, last);
            y = (long) LONGS.get(b, last + 8);
        } else if (len >= 8) {
            x = (long) LONGS.get(b, off);
            y = (long) LONGS.get(b, end - 8);
        } else if (len >= 4) {
            x = (int) INTS.get(b, off) & 0xFFFFFFFFL;
            y = (int) INTS.get(b, end - 4) & 0xFFFFFFFFL;
        } else {
            x = len == 0 ? 0 : (b[off] & 0xFFL) | (b[off + (len >>> 1)] & 0xFFL) << 8 | (b[end - 1] & 0xFFL) << 16;
            y = 0;
        }
        x ^= K2;
        y ^= s;
        return fold(x * y ^ K1 ^ len, Math.multiplyHigh(x, y) ^ K2);
    }

    /** The two halves of the 128-bit product, xored. */
    private static long fold(long x, long y) {
        return x * y ^ Math.multiplyHigh(x, y);
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long merge(long h, long v) {
        h ^= round(0, v);
        return h * P1 + P4;
    }
}
