package io.scrapeflux.model;

/**
 * Prometheus's staleness marker: a NaN with a fixed bit pattern, distinct from an ordinary NaN sample.
 * Compare bits, never values (every NaN compares unequal).
 */
public final class StaleNaN {

    public static final long BITS = 0x7ff0000000000002L;
    public static final double VALUE = Double.longBitsToDouble(BITS);

    private StaleNaN() {
    }

    public static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == BITS;
    }
}
