package io.scrapeflux.exposition;

import java.nio.charset.StandardCharsets;

/** Byte-level helpers shared by the text parsers: character classes, UTF-8 checks, unescaping. */
final class ByteText {

    /** Metric name start: {@code [a-zA-Z_:]}. */
    static final boolean[] METRIC_START = new boolean[256];
    /** Metric name continuation: {@code [a-zA-Z0-9_:]}. */
    static final boolean[] METRIC_PART = new boolean[256];
    /** Label name start: {@code [a-zA-Z_]}. */
    static final boolean[] LABEL_START = new boolean[256];
    /** Label name continuation: {@code [a-zA-Z0-9_]}. */
    static final boolean[] LABEL_PART = new boolean[256];
    /** Bytes that stop the plain run inside a quoted string: quote, backslash, LF, NUL, non-ASCII. */
    static final boolean[] QUOTED_STOP = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            LABEL_START[c] = letter;
            LABEL_PART[c] = letter || digit;
            METRIC_START[c] = letter || c == ':';
            METRIC_PART[c] = letter || digit || c == ':';
            QUOTED_STOP[c] = c == '"' || c == '\\' || c == '\n' || c == 0 || c >= 0x80;
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTE = ONES * '"';
    private static final long BACKSLASH = ONES * '\\';
    private static final long LF = ONES * '\n';
    private static final long BRACE = ONES * '}';
    /** Subtracting it sets the high bit of bytes below {@code '0'} (lowest one exact). */
    private static final long BELOW_NAME = ONES * '0';
    /** Adding it sets the high bit of bytes above {@code 'z'} (lowest one exact). */
    private static final long ABOVE_NAME = ONES * (0x7F - 'z');
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;

    private ByteText() {
    }

    /**
     * High bit set in each byte of {@code x} that is zero. Borrows can mark bytes above the first zero
     * byte too, so only the lowest marked byte is meaningful, which is all the scanners use.
     */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** High bit set in exactly the bytes of {@code x} that are zero (no borrows, unlike {@link #zeroBytes}). */
    private static long exactZeroBytes(long x) {
        return ~(((x & LOWS) + LOWS) | x | LOWS);
    }

    /**
     * First offset in [{@code p}, {@code end}) holding a byte outside {@code '0'..'z'}, or {@code end}
     * (SWAR). Every metric name byte is inside that range and every byte that may follow a name
     * ({@code '{'}, blanks, line feed) outside it, so for a well-formed line this is where the name
     * ends; it does not check the bytes in between.
     */
    static int skipNameLoosely(byte[] b, int p, int end) {
        while (p + 8 <= end) {
            long x = (long) LONGS.get(b, p);
            long hit = ((x - BELOW_NAME) | ((x + ABOVE_NAME) | x)) & HIGHS;
            if (hit != 0) {
                return p + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
            p += 8;
        }
        while (p < end && b[p] >= '0' && b[p] <= 'z') {
            p++;
        }
        return p;
    }

    /**
     * Offset after the {@code '}'} closing the label block whose {@code '{'} is before {@code p}: the first
     * {@code '}'} outside double quotes. Eight bytes per step without a branch per quote: a multiply
     * turns the quote bytes of a word into running counts, whose low bits say which bytes are inside a
     * string. Returns -1 when a backslash comes first (an escape would shift the quotes' pairing) or the
     * input ends; the caller then checks the block in full. Line feeds are not looked for: a block that
     * holds one is malformed, and the caller's full check reports it (a well-formed series never holds
     * one, so such bytes never equal a checked series).
     */
    static int skipLabelBlock(byte[] b, int p, int end) {
        long inside = 0;
        while (p + 8 <= end) {
            long x = (long) LONGS.get(b, p);
            long quotes = exactZeroBytes(x ^ QUOTE);
            if ((zeroBytes(x ^ BRACE) | zeroBytes(x ^ BACKSLASH)) == 0) {
                // Most words hold neither '}' nor '\\': only the side of the quotes after them matters.
                inside ^= -(Long.bitCount(quotes) & 1) & ONES;
                p += 8;
                continue;
            }
            long counts = (quotes >>> 7) * ONES;
            long in = (counts & ONES) ^ inside;
            // Borrows may mark a byte above a '}' too, but that byte is on the same side of the quotes
            // (only a quote changes sides), so the lowest mark outside quotes is a real '}'.
            long closes = (zeroBytes(x ^ BRACE) >>> 7) & ~in;
            long escapes = zeroBytes(x ^ BACKSLASH);
            if ((closes | escapes) != 0) {
                int close = Long.numberOfTrailingZeros(closes);
                if (Long.numberOfTrailingZeros(escapes) < close) {
                    return -1;
                }
                return p + (close >>> 3) + 1;
            }
            inside ^= -((counts >>> 56) & 1) & ONES;
            p += 8;
        }
        boolean quoted = inside != 0;
        for (; p < end; p++) {
            byte c = b[p];
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\') {
                return -1;
            } else if (!quoted && c == '}') {
                return p + 1;
            }
        }
        return -1;
    }

    /**
     * First offset in [{@code p}, {@code end}) holding a byte of {@link #QUOTED_STOP}, or {@code end}:
     * eight bytes per step (SWAR), then byte by byte for the tail.
     */
    static int skipQuotedPlain(byte[] b, int p, int end) {
        while (p + 8 <= end) {
            long x = (long) LONGS.get(b, p);
            long hit = zeroBytes(x ^ QUOTE) | zeroBytes(x ^ BACKSLASH) | zeroBytes(x ^ LF) | zeroBytes(x) | (x & HIGHS);
            if (hit != 0) {
                return p + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
            p += 8;
        }
        while (p < end && !QUOTED_STOP[b[p] & 0xff]) {
            p++;
        }
        return p;
    }

    /** Whether [{@code s}, {@code e}) holds a backslash (bit 1) or a non-ASCII byte (bit 2); SWAR. */
    static int backslashOrNonAscii(byte[] b, int s, int e) {
        long acc = 0;
        int p = s;
        for (; p + 8 <= e; p += 8) {
            long x = (long) LONGS.get(b, p);
            acc |= zeroBytes(x ^ BACKSLASH) | ((x & HIGHS) >>> 1);
        }
        int flags = (acc & HIGHS) != 0 ? 1 : 0;
        flags |= (acc & (HIGHS >>> 1)) != 0 ? 2 : 0;
        for (; p < e; p++) {
            if (b[p] == '\\') {
                flags |= 1;
            } else if (b[p] < 0) {
                flags |= 2;
            }
        }
        return flags;
    }

    /** First offset in [{@code p}, {@code end}) holding a line feed or NUL, or {@code end} (SWAR). */
    static int skipToLineFeedOrNul(byte[] b, int p, int end) {
        while (p + 8 <= end) {
            long x = (long) LONGS.get(b, p);
            long hit = zeroBytes(x ^ LF) | zeroBytes(x);
            if (hit != 0) {
                return p + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
            p += 8;
        }
        while (p < end && b[p] != '\n' && b[p] != 0) {
            p++;
        }
        return p;
    }

    /**
     * Length of the well-formed UTF-8 sequence starting at {@code p} (whose first byte is non-ASCII),
     * or -1 when it is malformed, overlong, a surrogate, beyond U+10FFFF or cut off by {@code end}.
     */
    static int utf8SequenceLength(byte[] b, int p, int end) {
        int c = b[p] & 0xff;
        if (c >= 0xC2 && c <= 0xDF) {
            return p + 1 < end && isCont(b[p + 1]) ? 2 : -1;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            if (p + 2 >= end) {
                return -1;
            }
            int c1 = b[p + 1] & 0xff;
            int lo = c == 0xE0 ? 0xA0 : 0x80;
            int hi = c == 0xED ? 0x9F : 0xBF;
            return c1 >= lo && c1 <= hi && isCont(b[p + 2]) ? 3 : -1;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            if (p + 3 >= end) {
                return -1;
            }
            int c1 = b[p + 1] & 0xff;
            int lo = c == 0xF0 ? 0x90 : 0x80;
            int hi = c == 0xF4 ? 0x8F : 0xBF;
            return c1 >= lo && c1 <= hi && isCont(b[p + 2]) && isCont(b[p + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean isCont(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** Offset of the first byte in [{@code s}, {@code e}) that breaks UTF-8, or -1 when all is well-formed. */
    static int firstInvalidUtf8(byte[] b, int s, int e) {
        int p = s;
        while (p < e) {
            if (b[p] >= 0) {
                p++;
                continue;
            }
            int n = utf8SequenceLength(b, p, e);
            if (n < 0) {
                return p;
            }
            p += n;
        }
        return -1;
    }

    /**
     * Copies [{@code s}, {@code e}) into {@code out} resolving {@code \\}, {@code \n} and, when
     * {@code quotes}, {@code \"}; any other backslash is kept as written. Returns the output length.
     */
    static int unescape(byte[] b, int s, int e, byte[] out, boolean quotes) {
        int n = 0;
        for (int p = s; p < e; p++) {
            byte c = b[p];
            if (c == '\\' && p + 1 < e) {
                byte d = b[p + 1];
                if (d == '\\') {
                    out[n++] = '\\';
                    p++;
                    continue;
                }
                if (d == 'n') {
                    out[n++] = '\n';
                    p++;
                    continue;
                }
                if (d == '"' && quotes) {
                    out[n++] = '"';
                    p++;
                    continue;
                }
            }
            out[n++] = c;
        }
        return n;
    }

    /** The line around {@code at} for an error message: at most 120 bytes, non-printables escaped. */
    static String excerpt(byte[] b, int lineStart, int end) {
        int e = lineStart;
        int limit = Math.min(end, lineStart + 120);
        while (e < limit && b[e] != '\n') {
            e++;
        }
        StringBuilder sb = new StringBuilder(e - lineStart + 8).append('"');
        String s = new String(b, lineStart, e - lineStart, StandardCharsets.UTF_8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (e == limit && e < end && b[e] != '\n') {
            sb.append("...");
        }
        return sb.toString();
    }
}
