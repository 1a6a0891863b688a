package io.scrapeflux.config;

import java.util.Map;

/** Byte sizes as Prometheus writes them ({@code units.Base2Bytes}): a number with a unit, repeated
 * ({@code 1GB512MB}); KB/KiB, MB/MiB... up to EB/EiB are all powers of 1024, {@code B} is one byte,
 * decimals allowed ({@code 1.5MB}); {@code "0"} alone is zero. Lower-case {@code kB} is rejected. */
public final class ByteSize {

    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("B", 1L),
            Map.entry("KB", 1L << 10), Map.entry("KiB", 1L << 10),
            Map.entry("MB", 1L << 20), Map.entry("MiB", 1L << 20),
            Map.entry("GB", 1L << 30), Map.entry("GiB", 1L << 30),
            Map.entry("TB", 1L << 40), Map.entry("TiB", 1L << 40),
            Map.entry("PB", 1L << 50), Map.entry("PiB", 1L << 50),
            Map.entry("EB", 1L << 60), Map.entry("EiB", 1L << 60));
    private static final String[] PREFIXES = {"", "K", "M", "G", "T", "P", "E"};

    private ByteSize() {
    }

    /** Parses a size into bytes; the exception message is the one shown to users. */
    public static long parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty size string");
        }
        if (s.equals("0")) {
            return 0;
        }
        int i = 0;
        double total = 0;
        while (i < s.length()) {
            int numStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (i == numStart) {
                throw invalid(s);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            if (i == unitStart) {
                throw new IllegalArgumentException("missing unit in size \"" + s + "\"");
            }
            Long mult = UNITS.get(s.substring(unitStart, i));
            if (mult == null) {
                throw new IllegalArgumentException("unknown unit \"" + s.substring(unitStart, i) + "\" in size \"" + s
                        + "\" (use B, KB/KiB, MB/MiB, GB/GiB, TB/TiB, PB/PiB or EB/EiB)");
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(numStart, unitStart));
            } catch (NumberFormatException e) {
                throw invalid(s);
            }
            total += number * mult;
        }
        if (total >= 0x1p63) {
            throw new IllegalArgumentException("size out of range: \"" + s + "\"");
        }
        return (long) total;
    }

    /** Formats as {@code Base2Bytes.String()}: {@code 0B}, {@code 10MiB}, {@code 1KiB512B}. */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0B";
        }
        StringBuilder out = new StringBuilder();
        long n = bytes;
        for (int i = 0; i < PREFIXES.length && n != 0; i++) {
            long part = n % 1024;
            if (part != 0) {
                String unit = i == 0 ? "B" : PREFIXES[i] + "iB";
                out.insert(0, part + unit);
            }
            n /= 1024;
        }
        return out.toString();
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("invalid size \"" + s + "\"");
    }
}
