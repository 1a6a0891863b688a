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
    private final ThreadLocal<MessageDigest> md5 = ThreadLocal.withInitial(HashModStep::newMd5);

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
        long mod = hashMod(md5.get(), sourceValue(b), modulus);
        b.set(target, Long.compareUnsigned(mod, names.length) < 0 ? names[(int) mod] : Long.toUnsignedString(mod));
        return true;
    }

    /** Prometheus's shard of {@code value} among {@code modulus} (unsigned) shards. */
    public static long hashMod(String value, long modulus) {
        return hashMod(newMd5(), value, modulus);
    }

    private static long hashMod(MessageDigest md, String value, long modulus) {
        byte[] h = md.digest(value.getBytes(StandardCharsets.UTF_8));
        long x = 0;
        for (int i = 8; i < 16; i++) {
            x = (x << 8) | (h[i] & 0xff);
        }
        return Long.remainderUnsigned(x, modulus);
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }
}
