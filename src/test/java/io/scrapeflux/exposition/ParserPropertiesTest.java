package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Random and mutated bodies: a parser either succeeds or throws {@link ExpositionException}, never
 * anything else, and always terminates within one entry per input byte.
 */
class ParserPropertiesTest {

    /** Valid OpenMetrics, so that mutations reach every kind of line. */
    private static final String OM_SEED = "# HELP m_total Some help \\n with \\\\ escapes\n# TYPE m_total counter\n"
            + "# UNIT m_seconds seconds\nm_total{a=\"x\\\"y\",b=\"ü\",} 1.5e3 1700000000\n"
            + "{\"my.metric\",\"a.b\"=\"v\"} NaN\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3 # {trace_id=\"abc\"} 0.5 1.7e9\n"
            + "m_created 1.7e9\n# EOF\n";

    /** Valid text format. */
    private static final String TEXT_SEED = "# HELP m_total Some help \\n with \\\\ escapes\n# TYPE m_total counter\n"
            + "m_total{a=\"x\\\"y\",b=\"ü\",} 1.5e3 1700000000\n  \n{\"my.metric\", \"a.b\" = \"v\"} NaN\n"
            + "# TYPE h histogram\nh_bucket{le=\"10\"} 3\n# plain comment\nh_sum -Inf\n";

    private static final byte[] ALPHABET = "{}\",=#\\ \t\nabcHELPTYPEUNITEOF_:.0123456789+-eEInfNa\u00c3\u0000xp"
            .getBytes(StandardCharsets.ISO_8859_1);

    @Provide
    Arbitrary<byte[]> randomBodies() {
        return Arbitraries.integers().between(0, ALPHABET.length - 1).list().ofMaxSize(200).map(idx -> {
            byte[] b = new byte[idx.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[idx.get(i)];
            }
            return b;
        });
    }

    /** The seed body with a few random edits: replace, insert or delete a byte. */
    @Provide
    Arbitrary<byte[]> mutatedText() {
        return mutated(TEXT_SEED);
    }

    @Provide
    Arbitrary<byte[]> mutatedOpenMetrics() {
        return mutated(OM_SEED);
    }

    private static Arbitrary<byte[]> mutated(String seedText) {
        byte[] seed = seedText.getBytes(StandardCharsets.UTF_8);
        Arbitrary<int[]> edit = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, seed.length),
                Arbitraries.integers().between(0, 255)).as((op, at, v) -> new int[] {op, at, v});
        return edit.list().ofMinSize(1).ofMaxSize(6).map(edits -> mutate(seed, edits));
    }

    private static byte[] mutate(byte[] seed, List<int[]> edits) {
        byte[] b = seed.clone();
        for (int[] e : edits) {
            int at = Math.min(e[1], b.length);
            byte v = (byte) e[2];
            if (e[0] == 0 && at < b.length) {
                b[at] = v;
            } else if (e[0] == 1) {
                byte[] n = new byte[b.length + 1];
                System.arraycopy(b, 0, n, 0, at);
                n[at] = v;
                System.arraycopy(b, at, n, at + 1, b.length - at);
                b = n;
            } else if (at < b.length) {
                byte[] n = new byte[b.length - 1];
                System.arraycopy(b, 0, n, 0, at);
                System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                b = n;
            }
        }
        return b;
    }

    @Property(tries = 3000)
    void randomBodiesFailOnlyWithExpositionException(@ForAll("randomBodies") byte[] body) {
        drain(new PrometheusTextParser(), body);
        drain(new OpenMetricsParser(), body);
    }

    @Property(tries = 3000)
    void mutatedTextFailsOnlyWithExpositionException(@ForAll("mutatedText") byte[] body) {
        drain(new PrometheusTextParser(), body);
    }

    @Property(tries = 3000)
    void mutatedOpenMetricsFailsOnlyWithExpositionException(@ForAll("mutatedOpenMetrics") byte[] body) {
        drain(new OpenMetricsParser(true), body);
    }

    @Property(tries = 1)
    void seedsAreValid() throws ExpositionException {
        assertThat(Payloads.samples(Payloads.text(TEXT_SEED))).hasSize(4);
        assertThat(Payloads.samples(Payloads.om(OM_SEED))).hasSize(4);
    }

    @Property(tries = 2000)
    void decimalValuesParseExactlyAsDoubleParseDouble(@ForAll @DoubleRange(min = -1e30, max = 1e30) double d,
            @ForAll("formats") String format) {
        String s = format.equals("repr") ? Double.toString(d) : String.format(format, d);
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        FloatParser fp = new FloatParser();
        double parsed = fp.parse(b, 0, b.length);
        assertThat(fp.ok).as(s).isTrue();
        assertThat(Double.doubleToRawLongBits(parsed)).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
    }

    @Property(tries = 5000)
    void randomDecimalLiteralsParseExactlyAsDoubleParseDouble(
            @ForAll("digitStrings") String digits, @ForAll("exponents") int exponent, @ForAll boolean point) {
        String s = (point && digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits) + "e" + exponent;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        FloatParser fp = new FloatParser();
        double parsed = fp.parse(b, 0, b.length);
        double expected = Double.parseDouble(s);
        if (Double.isInfinite(expected)) {
            assertThat(fp.ok).as(s).isFalse();
            assertThat(fp.error).contains("out of range");
        } else {
            assertThat(fp.ok).as(s).isTrue();
            assertThat(Double.doubleToRawLongBits(parsed)).as(s).isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }

    @Provide
    Arbitrary<String> digitStrings() {
        return Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(25);
    }

    @Provide
    Arbitrary<Integer> exponents() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(-30, 30)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(-340, 320)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-400, 400)));
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of("repr", "%.3f", "%.17g", "%.6e", "%.0f", "%.12f", "%.20e", "%.1f");
    }

    /** Drains a parser, touching every accessor; bounded so that a hang becomes a failure. */
    private static void drain(ExpositionParser p, byte[] body) {
        p.reset(body, 0, body.length);
        LabelsBuilder b = Labels.builder();
        Exemplar ex = new Exemplar();
        int entries = 0;
        try {
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                assertThat(++entries).as("entries for %d bytes", body.length).isLessThanOrEqualTo(body.length + 1);
                switch (e) {
                    case SERIES -> {
                        assertThat(p.seriesOffset()).isBetween(0, body.length);
                        assertThat(p.seriesOffset() + p.seriesLength()).isBetween(0, body.length);
                        p.seriesHash();
                        p.value();
                        p.labels(b);
                        assertThat(b.build().get("__name__")).isNotEmpty();
                        p.exemplar(ex);
                    }
                    case TYPE, HELP, UNIT -> {
                        p.metricFamily();
                        p.help();
                        p.unit();
                        p.metricType();
                    }
                    default -> p.comment();
                }
            }
        } catch (ExpositionException expected) {
            assertThat(expected.getMessage()).startsWith("line ");
            assertThat(expected.getMessage()).doesNotContain("internal parser error");
        }
    }
}
