package io.scrapeflux.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.snappy.SnappyDecompressor;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SnappyTemplateTest {

    private static byte[] decompress(byte[] elements, int n, int rawLength) {
        byte[] framed = new byte[5 + n];
        int start = SnappyTemplate.preambleBefore(framed, 5, rawLength);
        System.arraycopy(elements, 0, framed, 5, n);
        byte[] out = new byte[rawLength];
        int got = new SnappyDecompressor().decompress(framed, start, framed.length - start, out, 0, rawLength);
        assertThat(got).isEqualTo(rawLength);
        return out;
    }

    /** Repetitive input (as remote-write entries are) with zones every so often. */
    private static byte[] input(Random rnd, int n) {
        byte[] src = new byte[n];
        String[] words = {"node_cpu_seconds_total", "instance", "127.0.0.1:9100", "job", "mode", "idle", "\n\u0008"};
        int p = 0;
        while (p < n) {
            byte[] w = words[rnd.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (rnd.nextInt(8) == 0) {
                w = new byte[1 + rnd.nextInt(20)];
                rnd.nextBytes(w);
            }
            int k = Math.min(w.length, n - p);
            System.arraycopy(w, 0, src, p, k);
            p += k;
        }
        return src;
    }

    @Property(tries = 300)
    void patchingZonesInTheOutputEqualsCompressingThePatchedInput(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 20_000) int n) {
        Random rnd = new Random(seed);
        byte[] src = input(rnd, n);
        int[] zs = new int[n / 4 + 1];
        int[] zl = new int[zs.length];
        int zones = 0;
        for (int p = rnd.nextInt(40); p < n; p += 1 + rnd.nextInt(60)) {
            int len = Math.min(1 + rnd.nextInt(16), n - p);
            zs[zones] = p;
            zl[zones++] = len;
            p += len;
        }
        SnappyTemplate t = new SnappyTemplate();
        byte[] out = new byte[SnappyTemplate.maxCompressedLength(n)];
        int[] zo = new int[zones];
        byte[] mask = new byte[n];
        for (int z = 0; z < zones; z++) {
            java.util.Arrays.fill(mask, zs[z], zs[z] + zl[z], SnappyTemplate.VARIABLE);
        }
        int c = t.compress(src, n, mask, zs, zones, out, 0, zo);
        assertThat(decompress(out, c, n)).isEqualTo(src);
        for (int round = 0; round < 3; round++) {
            byte[] patched = src.clone();
            for (int z = 0; z < zones; z++) {
                for (int k = 0; k < zl[z]; k++) {
                    byte b = (byte) rnd.nextInt(256);
                    patched[zs[z] + k] = b;
                    out[zo[z] + k] = b;
                }
            }
            assertThat(decompress(out, c, n)).isEqualTo(patched);
        }
    }

    @Property(tries = 300)
    void patchingTheLiteralsOfASharedValueChangesEveryOccurrence(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 200) int entries) {
        // entries as remote write has them: constant labels, a variable value, the batch's shared timestamp
        Random rnd = new Random(seed);
        int tl = 1 + rnd.nextInt(9);
        byte[] ts = new byte[tl];
        rnd.nextBytes(ts);
        java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream kinds = new java.io.ByteArrayOutputStream();
        int[] zs = new int[entries];
        byte[] labels = input(rnd, 40);
        for (int e = 0; e < entries; e++) {
            int k = rnd.nextInt(labels.length);
            in.write(labels, 0, k);
            kinds.write(new byte[k], 0, k);
            zs[e] = in.size();
            byte[] value = new byte[8];
            if (rnd.nextBoolean()) {
                rnd.nextBytes(value);
            }
            in.write(value, 0, 8);
            for (int i = 0; i < 8; i++) {
                kinds.write(SnappyTemplate.VARIABLE);
            }
            in.write(ts, 0, tl);
            for (int i = 0; i < tl; i++) {
                kinds.write(SnappyTemplate.SHARED + i);
            }
        }
        byte[] src = in.toByteArray();
        byte[] mask = kinds.toByteArray();
        SnappyTemplate t = new SnappyTemplate();
        byte[] out = new byte[SnappyTemplate.maxCompressedLength(src.length)];
        int[] zo = new int[entries];
        int c = t.compress(src, src.length, mask, zs, entries, out, 0, zo);
        assertThat(decompress(out, c, src.length)).isEqualTo(src);
        byte[] newTs = new byte[tl];
        rnd.nextBytes(newTs);
        byte[] expected = src.clone();
        for (int e = 0; e < entries; e++) {
            for (int i = 0; i < 8; i++) {
                byte b = (byte) rnd.nextInt(256);
                expected[zs[e] + i] = b;
                out[zo[e] + i] = b;
            }
            System.arraycopy(newTs, 0, expected, zs[e] + 8, tl);
        }
        for (int i = 0; i < t.sharedCount(); i++) {
            int x = t.shared()[i];
            out[x >>> 4] = newTs[x & 15];
        }
        assertThat(decompress(out, c, src.length)).isEqualTo(expected);
    }

    @Test
    void compressesRepetitiveInputAndKeepsCopiesWithinTwoByteOffsets() {
        byte[] src = input(new Random(1), 300_000);
        byte[] out = new byte[SnappyTemplate.maxCompressedLength(src.length)];
        int c = new SnappyTemplate().compress(src, src.length, null, null, 0, out, 0, null);
        assertThat(c).isLessThan(src.length / 2);
        assertThat(decompress(out, c, src.length)).isEqualTo(src);
        for (int p = 0; p < c; ) {
            int tag = out[p] & 0xff;
            assertThat(tag & 3).as("no copy with a 4-byte offset").isNotEqualTo(3);
            if ((tag & 3) == 0) {
                int m = tag >>> 2;
                int len = m < 60 ? m + 1 : 1 + (int) readLittle(out, p + 1, m - 59);
                p += 1 + Math.max(0, m - 59) + len;
            } else {
                p += (tag & 3) == 1 ? 2 : 3;
            }
        }
    }

    private static long readLittle(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b[p + i] & 0xff) << (8 * i);
        }
        return v;
    }

    @Test
    void emptyAndTinyInputs() {
        SnappyTemplate t = new SnappyTemplate();
        for (int n = 0; n < 8; n++) {
            byte[] src = Arrays.copyOf("abcabcab".getBytes(), n);
            byte[] out = new byte[SnappyTemplate.maxCompressedLength(n)];
            byte[] mask = new byte[n];
            if (n > 0) {
                mask[0] = SnappyTemplate.VARIABLE;
            }
            int c = t.compress(src, n, mask, new int[] {0}, n > 0 ? 1 : 0, out, 0, new int[1]);
            assertThat(decompress(out, c, n)).isEqualTo(src);
        }
    }
}
