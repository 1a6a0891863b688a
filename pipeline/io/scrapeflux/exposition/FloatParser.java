package io.scrapeflux.exposition;

/**
 * Parses sample values straight from bytes with the grammar Prometheus accepts: Go's
 * {@code strconv.ParseFloat} minus the forms Prometheus rejects ({@code p}/{@code P} exponents, hence
 * every hex float, and {@code _} separators). So: an optional sign, decimal digits with an optional
 * point, an optional {@code e}/{@code E} exponent; {@code Inf}/{@code Infinity} with optional sign and
 * {@code NaN} without one, in any letter case. A finite literal that overflows is an error, as Go
 * reports {@code ErrRange}; underflow rounds to zero.
 *
 * <p>Common values take an exact fast path (at most 18 significant digits, mantissa within 2^53 and a
 * power of ten within 10^22: one correctly rounded multiply or divide). Other values with at most 18
 * significant digits (e.g. the 17-digit values Go clients print) go through the Eisel-Lemire algorithm,
 * the one Go's own parser uses, which either yields the correctly rounded double or declines. Whatever
 * is left (more digits, subnormals, a declined case) goes through {@link Double#parseDouble} on a
 * reused char buffer. All paths are correctly rounded, so results are identical to Go's. Not
 * thread-safe; one per parser.
 */
final class FloatParser {

    /** Decimal exponents covered by {@link #POW10_MANTISSA}. */
    private static final int MIN_EXP10 = -348;
    private static final int MAX_EXP10 = 347;
    /**
     * 128-bit mantissas of 10^e (high, low pairs), rounded down, normalized so the top bit is set:
     * the table Eisel-Lemire multiplies by. Computed once with exact integer arithmetic.
     */
    private static final long[] POW10_MANTISSA = new long[2 * (MAX_EXP10 - MIN_EXP10 + 1)];

    static {
        java.math.BigInteger five = java.math.BigInteger.valueOf(5);
        for (int e = MIN_EXP10; e <= MAX_EXP10; e++) {
            java.math.BigInteger m;
            if (e >= 0) {
                java.math.BigInteger p = five.pow(e);
                int bits = p.bitLength();
                m = bits <= 128 ? p.shiftLeft(128 - bits) : p.shiftRight(bits - 128);
            } else {
                java.math.BigInteger p = five.pow(-e);
                // floor(2^b / 5^-e) with b chosen so that the quotient has exactly 128 bits.
                int b = p.bitLength() + 127;
                m = java.math.BigInteger.ONE.shiftLeft(b).divide(p);
                if (m.bitLength() < 128) {
                    m = java.math.BigInteger.ONE.shiftLeft(b + 1).divide(p);
                }
            }
            int i = 2 * (e - MIN_EXP10);
            POW10_MANTISSA[i] = m.shiftRight(64).longValue();
            POW10_MANTISSA[i + 1] = m.longValue();
        }
    }

    /** Set by {@link #eiselLemire} when it declines. */
    private boolean declined;

    /** The NaN bit pattern Prometheus stores for an ordinary NaN sample (distinct from the stale marker). */
    static final double NORMAL_NAN = Double.longBitsToDouble(ExpositionParser.NORMAL_NAN_BITS);

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT = 1L << 53;

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ZEROS = 0x3030303030303030L;
    /** Adding it sets the high bit of bytes above {@code '9'}. */
    private static final long ABOVE_NINE = 0x0101010101010101L * (0x7F - '9');
    private static final long HIGHS = 0x8080808080808080L;

    private char[] chars = new char[32];

    /** Whether the last {@link #parse} succeeded; when false its result is meaningless. */
    boolean ok;
    /** Why the last parse failed. */
    String error;
    /** Where the number read by the last {@link #parsePrefix} ends. */
    int stop;

    /** Parses the value token [{@code s}, {@code e}). */
    double parse(byte[] b, int s, int e) {
        return parse(b, s, e, false);
    }

    /**
     * Parses the decimal number that starts at {@code s} and ends at the first byte that cannot continue
     * it (before {@code e}), and sets {@link #stop} there: the token and the number in one pass. Fails
     * (without a useful {@link #error}) on anything but a well-formed decimal, Inf and NaN included; a
     * caller then finds the token's end itself and calls {@link #parse(byte[], int, int)}, which gives
     * the same value for the same token and the error to report.
     */
    double parsePrefix(byte[] b, int s, int e) {
        return parse(b, s, e, true);
    }

    private double parse(byte[] b, int s, int e, boolean prefix) {
        ok = true;
        if (s >= e) {
            return fail("empty value");
        }
        int i = s;
        boolean neg = false;
        boolean signed = false;
        byte c = b[i];
        if (c == '+' || c == '-') {
            neg = c == '-';
            signed = true;
            i++;
            if (i >= e) {
                return fail("sign without digits");
            }
            c = b[i];
        }
        if (c != '.' && (c < '0' || c > '9')) {
            return prefix ? fail("not a decimal") : special(b, i, e, neg, signed);
        }
        long m = 0;
        int nd = 0;
        int exp = 0;
        boolean any = false;
        boolean dot = false;
        boolean inexact = false;
        int chunkFrom = i;
        for (; i < e; i++) {
            if (m != 0 && nd <= 18 - 8 && i >= chunkFrom && i + 8 <= e) {
                // Eight significant digits at once (17-digit values are common); else the byte loop.
                long x = (long) LONGS.get(b, i);
                long nonDigits = ((x - ZEROS) | (x + ABOVE_NINE) | x) & HIGHS;
                if (nonDigits == 0) {
                    m = m * 100_000_000L + eightDigits(x);
                    nd += 8;
                    if (dot) {
                        exp -= 8;
                    }
                    i += 7;
                    continue;
                }
                chunkFrom = i + (Long.numberOfTrailingZeros(nonDigits) >>> 3) + 1;
            }
            c = b[i];
            if (c >= '0' && c <= '9') {
                any = true;
                if (m == 0 && c == '0') {
                    if (dot) {
                        exp--;
                    }
                } else if (nd < 18) {
                    m = m * 10 + (c - '0');
                    nd++;
                    if (dot) {
                        exp--;
                    }
                } else {
                    inexact = true;
                    if (!dot) {
                        exp++;
                    }
                }
            } else if (c == '.') {
                if (dot) {
                    return fail("second decimal point");
                }
                dot = true;
            } else {
                break;
            }
        }
        if (!any) {
            return fail("no digits");
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E' || !prefix)) {
            c = b[i];
            if (c != 'e' && c != 'E') {
                return fail("unexpected character '" + printable(c) + "'");
            }
            i++;
            boolean eneg = false;
            if (i < e && (b[i] == '+' || b[i] == '-')) {
                eneg = b[i] == '-';
                i++;
            }
            if (i >= e || (prefix && (b[i] < '0' || b[i] > '9'))) {
                return fail("exponent without digits");
            }
            int ex = 0;
            for (; i < e; i++) {
                c = b[i];
                if (c < '0' || c > '9') {
                    if (prefix) {
                        break;
                    }
                    return fail("unexpected character '" + printable(c) + "' in exponent");
                }
                if (ex < 100_000) {
                    ex = ex * 10 + (c - '0');
                }
            }
            exp += eneg ? -ex : ex;
        }
        stop = i;
        if (m == 0) {
            return neg ? -0.0 : 0.0;
        }
        if (!inexact && m <= MAX_EXACT) {
            double d = m;
            if (exp == 0) {
                return neg ? -d : d;
            }
            if (exp > 0 && exp <= 22) {
                d *= POW10[exp];
                return neg ? -d : d;
            }
            if (exp < 0 && exp >= -22) {
                d /= POW10[-exp];
                return neg ? -d : d;
            }
            if (exp > 22 && exp <= 22 + 15) {
                // Shift the surplus power of ten into the mantissa while it stays exact.
                long mm = m;
                int k = exp - 22;
                while (k > 0 && mm <= MAX_EXACT / 10) {
                    mm *= 10;
                    k--;
                }
                if (k == 0) {
                    d = mm * POW10[22];
                    return neg ? -d : d;
                }
            }
        }
        if (!inexact) {
            double d = eiselLemire(m, exp, neg);
            if (!declined) {
                return d;
            }
        }
        return slow(b, s, i);
    }

    /** The value of eight ASCII digits, the first in the lowest byte (SWAR: pairs, then quads, then all). */
    private static long eightDigits(long x) {
        long v = x - ZEROS;
        v = v * 10 + (v >>> 8);
        return (((v & 0x000000FF000000FFL) * (100 + (1000000L << 32)))
                + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10000L << 32)))) >>> 32;
    }

    /**
     * Eisel-Lemire: the correctly rounded double nearest {@code man * 10^exp10}, or {@link #declined}
     * when the 128-bit approximation cannot decide (or the result is subnormal or out of range).
     */
    private double eiselLemire(long man, int exp10, boolean neg) {
        declined = true;
        if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) {
            return 0;
        }
        int clz = Long.numberOfLeadingZeros(man);
        man <<= clz;
        long retExp2 = ((217706L * exp10) >> 16) + 64 + 1023 - clz;
        int row = 2 * (exp10 - MIN_EXP10);
        long powHi = POW10_MANTISSA[row];
        long powLo = POW10_MANTISSA[row + 1];
        long xHi = unsignedMultiplyHigh(man, powHi);
        long xLo = man * powHi;
        if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
            long yHi = unsignedMultiplyHigh(man, powLo);
            long yLo = man * powLo;
            long mergedHi = xHi;
            long mergedLo = xLo + yHi;
            if (Long.compareUnsigned(mergedLo, xLo) < 0) {
                mergedHi++;
            }
            if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                return 0;
            }
            xHi = mergedHi;
            xLo = mergedLo;
        }
        long msb = xHi >>> 63;
        long mantissa = xHi >>> (msb + 9);
        retExp2 -= 1 ^ msb;
        if (xLo == 0 && (xHi & 0x1FF) == 0 && (mantissa & 3) == 1) {
            return 0;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if ((mantissa >>> 53) > 0) {
            mantissa >>>= 1;
            retExp2 += 1;
        }
        if (Long.compareUnsigned(retExp2 - 1, 0x7FF - 1) >= 0) {
            return 0;
        }
        declined = false;
        long bits = retExp2 << 52 | (mantissa & 0x000FFFFFFFFFFFFFL);
        if (neg) {
            bits |= 0x8000000000000000L;
        }
        return Double.longBitsToDouble(bits);
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private double slow(byte[] b, int s, int e) {
        int n = e - s;
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        for (int k = 0; k < n; k++) {
            chars[k] = (char) b[s + k];
        }
        double d;
        try {
            d = Double.parseDouble(new String(chars, 0, n));
        } catch (NumberFormatException ex) {
            return fail("not a number");
        }
        if (Double.isInfinite(d)) {
            return fail("value out of range");
        }
        return d;
    }

    private double special(byte[] b, int i, int e, boolean neg, boolean signed) {
        int n = e - i;
        if ((n == 3 || n == 8) && equalsIgnoreCase(b, i, e, n == 3 ? "inf" : "infinity")) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!signed && n == 3 && equalsIgnoreCase(b, i, e, "nan")) {
            return NORMAL_NAN;
        }
        return fail("not a number");
    }

    private static boolean equalsIgnoreCase(byte[] b, int s, int e, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            int c = b[s + k] | 0x20;
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private double fail(String why) {
        ok = false;
        error = why;
        return Double.NaN;
    }

    private static String printable(byte c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xff);
    }
}
