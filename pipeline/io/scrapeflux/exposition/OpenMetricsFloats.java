package io.scrapeflux.exposition;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a float the way Prometheus writes {@code le} and {@code quantile} values: Go's shortest
 * {@code 'g'} formatting ({@code 1e+06}, {@code 0.005}, {@code 1e-05}), with {@code .0} appended when
 * the result has neither a point nor an exponent, and {@code NaN}/{@code +Inf}/{@code -Inf}.
 *
 * <p>Java 17's {@code Double.toString} is not always the shortest round-trip form, so the digits are
 * found by rounding the exact binary value to ever more significant digits until it reads back as the
 * same double. Only used when decoding labels, and cached by the parser.
 */
public final class OpenMetricsFloats {

    private OpenMetricsFloats() {
    }

    public static String format(double f) {
        if (f == 1) {
            return "1.0";
        }
        if (f == 0) {
            return "0.0";
        }
        if (f == -1) {
            return "-1.0";
        }
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        String g = shortestG(f);
        return g.indexOf('.') >= 0 || g.indexOf('e') >= 0 ? g : g + ".0";
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} for finite non-zero {@code f}. */
    static String shortestG(double f) {
        boolean neg = f < 0;
        double a = Math.abs(f);
        BigDecimal exact = new BigDecimal(a);
        BigDecimal r = exact;
        for (int prec = 1; prec <= 17; prec++) {
            BigDecimal c = exact.round(new MathContext(prec, RoundingMode.HALF_EVEN));
            if (c.doubleValue() == a) {
                r = c;
                break;
            }
        }
        r = r.stripTrailingZeros();
        String digits = r.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - r.scale();
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder(nd + 8);
        if (neg) {
            sb.append('-');
        }
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            if (ax < 10) {
                sb.append('0');
            }
            sb.append(ax);
            return sb.toString();
        }
        if (dp > 0) {
            for (int i = 0; i < dp; i++) {
                sb.append(i < nd ? digits.charAt(i) : '0');
            }
        } else {
            sb.append('0');
        }
        int frac = Math.max(nd - dp, 0);
        if (frac > 0) {
            sb.append('.');
            for (int i = 1; i <= frac; i++) {
                int j = dp + i - 1;
                sb.append(j >= 0 && j < nd ? digits.charAt(j) : '0');
            }
        }
        return sb.toString();
    }
}
