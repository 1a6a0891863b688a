package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * hashmod: MD5 of the joined source value (UTF-8), bytes 8..15 read as a big-endian unsigned 64-bit
 * integer, modulo the (unsigned) modulus, written in decimal to the target label. Bit-for-bit what
 * Prometheus computes, so shards agree across the two.
 */
final class HashModStep extends Step {

    private static final int CACHED = 1024;

    private final String target;
    private final long modulus;
    /** Decimal strings of the small results, so a shard number costs no allocation. */
    private final String[] names;
    private final ThreadLocal<Md5> md5 = ThreadLocal.withInitial(Md5::new);

    HashModStep(RelabelConfig rule) {
        super(rule);
        if (rule.modulus() == 0) {
            throw new IllegalArgumentException("relabel configuration for hashmod requires non-zero modulus");
        }
        this.target = rule.targetLabel();
        this.modulus = rule.modulus();
        int n = Long.compareUnsigned(modulus, CACHED) < 0 ? (int) modulus : CACHED;
        this.names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = Integer.toString(i);
        }
    }

    @Override
    boolean apply(LabelsBuilder b) {
        long mod = Long.remainderUnsigned(md5.get().low64(sourceValue(b)), modulus);
        b.set(target, Long.compareUnsigned(mod, names.length) < 0 ? names[(int) mod] : Long.toUnsignedString(mod));
        return true;
    }

    /** Prometheus's shard of {@code value} among {@code modulus} (unsigned) shards. */
    public static long hashMod(String value, long modulus) {
        return Long.remainderUnsigned(new Md5().low64(value), modulus);
    }

    /** One thread's MD5 with scratch buffers, so hashing an ASCII value allocates nothing. */
    private static final class Md5 {
        private final MessageDigest md;
        private byte[] in = new byte[64];
        private final byte[] out = new byte[16];

        Md5() {
            try {
                md = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM has no MD5", e);
            }
        }

        /** Bytes 8..15 of the MD5 of {@code value}'s UTF-8 encoding, big-endian. */
        long low64(String value) {
            int n = value.length();
            byte[] bytes = in;
            boolean ascii = true;
            if (n > bytes.length) {
                bytes = new byte[n];
            }
            for (int i = 0; i < n && ascii; i++) {
                char c = value.charAt(i);
                ascii = c < 0x80;
                bytes[i] = (byte) c;
            }
            if (ascii) {
                md.update(bytes, 0, n);
            } else {
                md.update(value.getBytes(StandardCharsets.UTF_8));
            }
            try {
                md.digest(out, 0, 16);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
            long x = 0;
            for (int i = 8; i < 16; i++) {
                x = (x << 8) | (out[i] & 0xff);
            }
            return x;
        }
    }
}
