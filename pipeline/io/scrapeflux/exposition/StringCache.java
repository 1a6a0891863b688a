package io.scrapeflux.exposition;

import java.util.Arrays;

/**
 * A small direct-mapped cache from byte slices to Strings, so that label names (and normalized
 * {@code le}/{@code quantile} values) that repeat on every line decode once per parser instead of once
 * per sample. A collision simply replaces the slot; correctness never depends on a hit.
 */
final class StringCache {

    private static final int SLOTS = 1024;
    /** Longer keys are not worth caching: they are rare and would pin memory. */
    static final int MAX_KEY = 64;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    /** The cached String for the bytes [{@code s}, {@code e}), or null. */
    String get(byte[] b, int s, int e) {
        int slot = slot(b, s, e);
        byte[] k = keys[slot];
        return k != null && Arrays.equals(k, 0, k.length, b, s, e) ? values[slot] : null;
    }

    void put(byte[] b, int s, int e, String value) {
        if (e - s > MAX_KEY) {
            return;
        }
        int slot = slot(b, s, e);
        keys[slot] = Arrays.copyOfRange(b, s, e);
        values[slot] = value;
    }

    private static int slot(byte[] b, int s, int e) {
        int h = e - s;
        for (int i = s; i < e; i++) {
            h = h * 31 + b[i];
        }
        h ^= h >>> 15;
        return h & (SLOTS - 1);
    }
}
