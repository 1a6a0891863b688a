package io.scrapeflux.target;

import java.time.Duration;

/**
 * Prometheus's duration strings ({@code 1h30m}, {@code 90s}, {@code 1d}, {@code 0}) as the common
 * library parses and prints them; target labels {@code __scrape_interval__}/{@code __scrape_timeout__}
 * hold them, and error messages quote its wording.
 */
public final class PromDuration {

    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {
        365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000L, 60_000L, 1000L, 1L};

    private PromDuration() {
    }

    /** Parses {@code s}; units must go from largest to smallest, each at most once. */
    public static Duration parse(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        long nanosMax = Long.MAX_VALUE;
        long totalMs = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int digits = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digits) {
                throw invalid(s);
            }
            long v;
            try {
                v = Long.parseLong(s.substring(digits, i));
            } catch (NumberFormatException e) {
                throw invalid(s);
            }
            int unitStart = i;
            while (i < s.length() && !isDigit(s.charAt(i))) {
                i++;
            }
            if (i == unitStart) {
                throw invalid(s);
            }
            String unit = s.substring(unitStart, i);
            int u = unitIndex(unit);
            if (u < 0) {
                throw new IllegalArgumentException("unknown unit " + quote(unit) + " in duration " + quote(s));
            }
            if (u <= lastUnit) {
                throw invalid(s);
            }
            lastUnit = u;
            // Go keeps durations in int64 nanoseconds.
            long nanosPerUnit = MILLIS[u] * 1_000_000L;
            if (v > nanosMax / nanosPerUnit) {
                throw new IllegalArgumentException("duration out of range");
            }
            totalMs += v * MILLIS[u];
            if (totalMs > nanosMax / 1_000_000L) {
                throw new IllegalArgumentException("duration out of range");
            }
        }
        return Duration.ofMillis(totalMs);
    }

    /** Prints as Prometheus does: {@code 1h30m}, {@code 15s}, {@code 2w}, {@code 0s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < UNITS.length; u++) {
            boolean exactOnly = u < 2; // years and weeks only when nothing smaller remains
            if (exactOnly && ms % MILLIS[u] != 0) {
                continue;
            }
            long v = ms / MILLIS[u];
            if (v > 0) {
                sb.append(v).append(UNITS[u]);
                ms -= v * MILLIS[u];
            }
        }
        return sb.toString();
    }

    private static int unitIndex(String unit) {
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(unit)) {
                return u;
            }
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("not a valid duration string: " + quote(s));
    }

    private static String quote(String s) {
        return io.scrapeflux.relabel.GoQuote.quote(s);
    }
}
