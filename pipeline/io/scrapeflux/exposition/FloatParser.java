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
 * power of ten within 10^22: one correctly rounded multiply or divide). Anything else goes through
 * {@link Double#parseDouble} on a reused char buffer; both are correctly rounded, so results are
 * identical to Go's. Not thread-safe; one per parser.
 */
final class FloatParser {

    /** The NaN bit pattern Prometheus stores for an ordinary NaN sample (distinct from the stale marker). */
    static final double NORMAL_NAN = Double.longBitsToDouble(ExpositionParser.NORMAL_NAN_BITS);

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
    };
    private static final long MAX_EXACT = 1L << 53;

    private char[] chars = new char[32];

    /** Whether the last {@link #parse} succeeded; when false its result is meaningless. */
    boolean ok;
    /** Why the last parse failed. */
    String error;

    double parse(byte[] b, int s, int e) {
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
            return special(b, i, e, neg, signed);
        }
        long m = 0;
        int nd = 0;
        int exp = 0;
        boolean any = false;
        boolean dot = false;
        boolean inexact = false;
        for (; i < e; i++) {
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
        if (i < e) {
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
            if (i >= e) {
                return fail("exponent without digits");
            }
            int ex = 0;
            for (; i < e; i++) {
                c = b[i];
                if (c < '0' || c > '9') {
                    return fail("unexpected character '" + printable(c) + "' in exponent");
                }
                if (ex < 100_000) {
                    ex = ex * 10 + (c - '0');
                }
            }
            exp += eneg ? -ex : ex;
        }
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
        return slow(b, s, e);
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
