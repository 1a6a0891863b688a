package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * {@link FloatParser#parsePrefix} (number and token end in one pass) agrees with parsing the token on
 * its own: whenever it succeeds, the bytes before its stop are number bytes and parsing exactly them
 * gives the same bits; a well-formed decimal followed by a delimiter always succeeds.
 */
class FloatPrefixTest {

    @Property(tries = 3000)
    void prefixOfAnyBytesAgreesWithTheTokenParse(@ForAll("numberish") String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        FloatParser prefix = new FloatParser();
        double v = prefix.parsePrefix(b, 0, b.length);
        if (!prefix.ok) {
            return;
        }
        int stop = prefix.stop;
        assertThat(stop).as(s).isBetween(1, b.length);
        for (int i = 0; i < stop; i++) {
            assertThat("0123456789.eE+-".indexOf(b[i])).as(s).isNotNegative();
        }
        FloatParser token = new FloatParser();
        double expected = token.parse(b, 0, stop);
        assertThat(token.ok).as(s).isTrue();
        assertThat(Double.doubleToRawLongBits(v)).as(s).isEqualTo(Double.doubleToRawLongBits(expected));
    }

    @Property(tries = 3000)
    void decimalsFollowedByADelimiterParseExactlyAsDoubleParseDouble(
            @ForAll @DoubleRange(min = -1e300, max = 1e300) double d, @ForAll("formats") String format,
            @ForAll("delimiters") String delimiter) {
        String s = format.equals("repr") ? Double.toString(d) : String.format(format, d);
        byte[] b = (s + delimiter + "1700000000").getBytes(StandardCharsets.US_ASCII);
        FloatParser fp = new FloatParser();
        double v = fp.parsePrefix(b, 0, b.length);
        assertThat(fp.ok).as(s).isTrue();
        assertThat(fp.stop).as(s).isEqualTo(s.length());
        assertThat(Double.doubleToRawLongBits(v)).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
    }

    @Provide
    Arbitrary<String> numberish() {
        return Arbitraries.of("0", "1", "7", "9", ".", "e", "E", "+", "-", " ", "\t", "\n", "{", "x", "I", "n", "f",
                "N", "a", "_", "p", "12345678901234567890").list().ofMinSize(1).ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of("repr", "%.3f", "%.17g", "%.6e", "%.0f", "%.12f", "%.20e", "%.1f", "%.25g");
    }

    @Provide
    Arbitrary<String> delimiters() {
        return Arbitraries.of(" ", "\n", "\t", "{", "x");
    }
}
