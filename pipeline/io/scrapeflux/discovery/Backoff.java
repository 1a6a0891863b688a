package io.scrapeflux.discovery;

import java.time.Duration;

/**
 * An exponential schedule: {@code initial}, doubling per step, capped at {@code max}.
 *
 * @param initial the first delay (positive)
 * @param max     the largest delay (at least {@code initial})
 */
public record Backoff(Duration initial, Duration max) {

    /** Update coalescing: first change after quiet within 50 ms, sustained churn backs off to one emission per 5 s. */
    public static final Backoff COALESCING = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));

    /** Resubscribing a failed discoverer or re-polling a failed source: 1 s doubling to 1 min. */
    public static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below initial " + initial);
        }
    }

    /** The delay of step {@code n} (0-based): {@code initial * 2^n}, at most {@code max}. */
    public Duration delay(int n) {
        long ms = initial.toMillis();
        long maxMs = max.toMillis();
        for (int i = 0; i < n && ms < maxMs; i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxMs));
    }
}
