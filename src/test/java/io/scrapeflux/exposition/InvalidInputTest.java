package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.model.Labels;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Malformed bodies fail with an {@link ExpositionException} naming the line and the problem. */
class InvalidInputTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> text(String body, int line) {
        return fails(new PrometheusTextParser(), body.getBytes(StandardCharsets.UTF_8), line);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> om(String body, int line) {
        return fails(new OpenMetricsParser(), body.getBytes(StandardCharsets.UTF_8), line);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> fails(ExpositionParser p, byte[] body, int line) {
        p.reset(body, 0, body.length);
        return assertThatThrownBy(() -> Payloads.samples(p)).isInstanceOf(ExpositionException.class)
                .hasMessageStartingWith("line " + line + ": ")
                .satisfies(e -> assertThat(((ExpositionException) e).line()).isEqualTo(line));
    }

    @Test
    void unterminatedQuotes() {
        text("ok 1\nm{a=\"b} 1\n", 2).hasMessageContaining("unterminated label value");
        text("m{a=\"b", 1).hasMessageContaining("unterminated label value");
        om("m{a=\"b} 1\n# EOF\n", 1).hasMessageContaining("unterminated label value");
        text("{\"my.metric} 1\n", 1).hasMessageContaining("unterminated quoted name");
        text("m{a=\"b\" 1\n", 1).hasMessageContaining("expected a label name or '}'");
    }

    @Test
    void badEscapes() {
        text("m{a=\"\\t\"} 1\n", 1).hasMessageContaining("invalid escape sequence \\t");
        om("m{a=\"x\\q\"} 1\n# EOF\n", 1).hasMessageContaining("invalid escape sequence \\q");
    }

    @Test
    void duplicateLabels() {
        text("m{a=\"1\",a=\"2\"} 1\n", 1).hasMessageContaining("duplicate label name \"a\"");
        text("m{a=\"1\",\"a\"=\"2\"} 1\n", 1).hasMessageContaining("duplicate label name \"a\"");
        text("m{__name__=\"x\"} 1\n", 1).hasMessageContaining("duplicate label name \"__name__\"");
        om("m 1 # {t=\"1\",t=\"2\"} 1\n# EOF\n", 1).hasMessageContaining("duplicate label name \"t\" in exemplar");
        text("{\"a\",\"b\"} 1\n", 1).hasMessageContaining("metric name set twice");
        text("{a=\"b\"} 1\n", 1).hasMessageContaining("metric name not set");
    }

    @Test
    void duplicatesAmongManyLabels() throws Exception {
        StringBuilder line = new StringBuilder("m{");
        for (int i = 0; i < 100; i++) {
            line.append("l").append(i).append("=\"v\",");
        }
        assertThat(Payloads.textSamples(line + "} 1\n").get(0).labels().size()).isEqualTo(101);
        text(line + "l7=\"again\"} 1\n", 1).hasMessageContaining("duplicate label name \"l7\"");
        text(line + "l99=\"again\"} 1\n", 1).hasMessageContaining("duplicate label name \"l99\"");
    }

    @Test
    void missingEof() {
        om("a 1\n", 2).hasMessageContaining("data does not end with # EOF");
        om("", 1).hasMessageContaining("data does not end with # EOF");
        om("a 1", 1).hasMessageContaining("data does not end with # EOF");
    }

    @Test
    void textAfterEof() {
        om("a 1\n# EOF\nb 1\n", 3).hasMessageContaining("unexpected data after # EOF");
        om("# EOF\n\n", 2).hasMessageContaining("unexpected data after # EOF");
    }

    @Test
    void badFloats() {
        text("m 1_000\n", 1).hasMessageContaining("invalid value \"1_000\"");
        text("m 0x1p3\n", 1).hasMessageContaining("invalid value \"0x1p3\"");
        text("m 1e400\n", 1).hasMessageContaining("out of range");
        text("m 1.2.3\n", 1).hasMessageContaining("invalid value");
        text("m +nan\n", 1).hasMessageContaining("invalid value");
        text("m 1e\n", 1).hasMessageContaining("invalid value");
        text("m abc\n", 1).hasMessageContaining("invalid value");
        text("m 1d\n", 1).hasMessageContaining("invalid value");
        om("m 1 NaN\n# EOF\n", 1).hasMessageContaining("invalid timestamp");
        om("m 1 # {a=\"b\"} x\n# EOF\n", 1).hasMessageContaining("invalid exemplar value");
        text("m 1 1.5\n", 1).hasMessageContaining("expected the end of the line after the timestamp");
        text("m 1 99999999999999999999\n", 1).hasMessageContaining("timestamp out of range");
    }

    @Test
    void nulBytes() {
        text("m{a=\"x\u0000\"} 1\n", 1).hasMessageContaining("NUL byte");
        text("\u0000\n", 1).hasMessageContaining("NUL byte");
        text("# comment \u0000\n", 1).hasMessageContaining("NUL byte");
        om("m 1\u0000\n# EOF\n", 1).hasMessageContaining("invalid value");
    }

    @Test
    void invalidUtf8() {
        byte[] value = "m{a=\"\u00ff\"} 1\n".getBytes(StandardCharsets.ISO_8859_1);
        fails(new PrometheusTextParser(), value, 1).hasMessageContaining("invalid UTF-8 in label value");
        byte[] help = "# HELP m bad \u00c3\u0028\n".getBytes(StandardCharsets.ISO_8859_1);
        fails(new PrometheusTextParser(), help, 1).hasMessageContaining("invalid UTF-8 in help text");
        byte[] surrogate = {'m', '{', 'a', '=', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}', ' ', '1', '\n'};
        fails(new PrometheusTextParser(), surrogate, 1).hasMessageContaining("invalid UTF-8");
        byte[] name = "{\"m\u00e9\"} 1\n# EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        fails(new OpenMetricsParser(), name, 1).hasMessageContaining("invalid UTF-8 in quoted name");
    }

    @Test
    void textFormatLineStructure() {
        text("m 1", 1).hasMessageContaining("missing line feed");
        text("# TYPE m gauge", 1).hasMessageContaining("missing line feed");
        text("# TYPE m gauges\n", 1).hasMessageContaining("invalid metric type \"gauges\"");
        text("# TYPE m info\n", 1).hasMessageContaining("invalid metric type");
        text("# HELP 9m x\n", 1).hasMessageContaining("expected a metric name after HELP");
        text("m\n", 1).hasMessageContaining("expected a value");
        text("9m 1\n", 1).hasMessageContaining("expected a metric name");
        text("m{a=1} 1\n", 1).hasMessageContaining("expected a quoted label value");
        text("m{a} 1\n", 1).hasMessageContaining("expected '='");
        text("m 1 2 3\n", 1).hasMessageContaining("expected the end of the line");
    }

    @Test
    void openMetricsLineStructure() {
        om("\n# EOF\n", 1).hasMessageContaining("empty line");
        om("# random comment\n# EOF\n", 1).hasMessageContaining("invalid comment");
        om("m  1\n# EOF\n", 1).hasMessageContaining("expected a value");
        om(" m 1\n# EOF\n", 1).hasMessageContaining("expected a metric name");
        om("m{a=\"1\" b=\"2\"} 1\n# EOF\n", 1).hasMessageContaining("expected ',' or '}'");
        om("m{a=\"1\"} 1 \n# EOF\n", 1).hasMessageContaining("expected a timestamp");
        om("# TYPE m untyped\n# EOF\n", 1).hasMessageContaining("invalid metric type");
        om("# HELP m\n# EOF\n", 1).hasMessageContaining("expected a space and text");
        om("# UNIT m_bytes seconds\n# EOF\n", 1).hasMessageContaining("not a suffix");
        om("m 1 # {\"x\"} 1\n# EOF\n", 1).hasMessageContaining("not a metric name, in exemplar");
        om("m 1 # {a=\"b\"}\n# EOF\n", 1).hasMessageContaining("exemplar value");
    }

    @Test
    void errorMessagesShowColumnAndLine() {
        text("ok 1\nm{a=\"\\t\"} 1\n", 2).hasMessage("line 2: column 6: invalid escape sequence \\t in label value "
                + "(only \\\\, \\\" and \\n are allowed) in \"m{a=\\\"\\\\t\\\"} 1\"");
    }

    @Test
    void aFailedParserKeepsFailingUntilReset() throws Exception {
        ExpositionParser p = Payloads.text("m{a=\"\\t\"} 1\n");
        assertThatThrownBy(p::next).isInstanceOf(ExpositionException.class);
        assertThatThrownBy(p::next).isInstanceOf(ExpositionException.class);
        byte[] ok = "m 1\n".getBytes(StandardCharsets.UTF_8);
        p.reset(ok, 0, ok.length);
        assertThat(p.next()).isEqualTo(Entry.SERIES);
        var b = Labels.builder();
        p.labels(b);
        assertThat(b.build()).isEqualTo(Labels.of("__name__", "m"));
    }
}
