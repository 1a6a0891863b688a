package io.scrapeflux.config;

import java.time.Duration;

/** Prometheus's duration syntax ({@code model.Duration}): units y, w, d, h, m, s, ms, each at most once,
 * largest first, integers only; a year is 365 days. {@code "0"} alone is zero. */
public final class PromDuration {

    private static final long MS_SECOND = 1000;
    private static final long MS_MINUTE = 60 * MS_SECOND;
    private static final long MS_HOUR = 60 * MS_MINUTE;
    private static final long MS_DAY = 24 * MS_HOUR;
    private static final long MS_WEEK = 7 * MS_DAY;
    private static final long MS_YEAR = 365 * MS_DAY;
    private static final long[] UNIT_MS = {MS_YEAR, MS_WEEK, MS_DAY, MS_HOUR, MS_MINUTE, MS_SECOND, 1};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};
    /** Go's time.Duration is int64 nanoseconds; longer durations overflow there. */
    private static final long MAX_MS = Long.MAX_VALUE / 1_000_000;

    private PromDuration() {
    }

    /** Parses {@code s}; the exception message is the one shown to users. */
    public static Duration parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int digitsStart = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digitsStart) {
                throw notValid(s);
            }
            String digits = s.substring(digitsStart, i);
            int unitStart = i;
            while (i < s.length() && !isDigit(s.charAt(i))) {
                i++;
            }
            if (i == unitStart) {
                throw notValid(s);
            }
            String unitName = s.substring(unitStart, i);
            int unit = unitIndex(unitName);
            if (unit < 0) {
                throw new IllegalArgumentException("unknown unit \"" + unitName + "\" in duration \"" + s + "\"");
            }
            // Units go from largest to smallest, each at most once.
            if (unit <= lastUnit) {
                throw notValid(s);
            }
            lastUnit = unit;
            long v;
            try {
                v = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw outOfRange();
            }
            if (v > MAX_MS / UNIT_MS[unit] || total > MAX_MS - v * UNIT_MS[unit]) {
                throw outOfRange();
            }
            total += v * UNIT_MS[unit];
        }
        return Duration.ofMillis(total);
    }

    private static int unitIndex(String name) {
        for (int u = 0; u < UNIT_NAMES.length; u++) {
            if (UNIT_NAMES[u].equals(name)) {
                return u;
            }
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException notValid(String s) {
        return new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }

    private static IllegalArgumentException outOfRange() {
        return new IllegalArgumentException("duration out of range");
    }

    /** Formats as Prometheus prints durations: {@code 0s}, {@code 15s}, {@code 1h30m}, {@code 90d}, {@code 2w}, {@code 1y};
     * years and weeks only when they divide the duration exactly. Sub-millisecond parts are dropped. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (ms < 0) {
            out.append('-');
            ms = -ms;
        }
        for (int i = 0; i < UNIT_MS.length; i++) {
            boolean exactOnly = i < 2;
            if (exactOnly && ms % UNIT_MS[i] != 0) {
                continue;
            }
            long v = ms / UNIT_MS[i];
            if (v > 0) {
                out.append(v).append(UNIT_NAMES[i]);
                ms -= v * UNIT_MS[i];
            }
        }
        return out.toString();
    }
}
