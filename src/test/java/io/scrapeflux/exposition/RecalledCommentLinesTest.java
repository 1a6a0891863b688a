package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With deferred checks a text parser takes a comment line ({@code # HELP}, {@code # TYPE}, free-form)
 * whose bytes it checked in the previous body without checking it again. Callers must not be able to
 * tell: every entry, metadata value and error is what a parser that never saw a body before gives.
 */
class RecalledCommentLinesTest {

    private static final String BODY = """
            # HELP http_requests_total Requests served.\\nBy code.
            # TYPE http_requests_total counter
            http_requests_total{code="200"} 1027 1395066363000
            # a free-form comment
               # HELP  temp_celsius Temperature in \u00b0C
            #  TYPE temp_celsius gauge \t
            temp_celsius 21.5
            # HELP "utf8.name" Quoted name.
            # TYPE "utf8.name" histogram
            {"utf8.name",le="1"} 3
            {"utf8.name",le="+Inf"} 4
            # TYPE untyped_one untyped
            untyped_one 1
            """;

    /** Everything a caller can see of a body, entry by entry, metadata values included; ends with the error if any. */
    private static List<String> observe(ExpositionParser p, byte[] body) {
        return observe(p, body, 0, body.length);
    }

    private static List<String> observe(ExpositionParser p, byte[] buf, int off, int len) {
        p.reset(buf, off, len);
        List<String> out = new ArrayList<>();
        try {
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                String what = switch (e) {
                    case HELP -> p.metricFamily() + " help=" + p.help();
                    case TYPE -> p.metricFamily() + " type=" + p.metricType();
                    case COMMENT -> p.comment();
                    case SERIES -> p.seriesOffset() + "+" + p.seriesLength() + " " + p.value();
                    default -> "";
                };
                out.add(e + " " + p.line() + " " + p.metricType() + " " + what);
            }
            out.add("EOF " + p.line());
        } catch (ExpositionException e) {
            out.add("ERROR " + e.getMessage());
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ExpositionParser warm(byte[] body) {
        ExpositionParser p = new PrometheusTextParser();
        p.deferSeriesChecks(true);
        observe(p, body);
        observe(p, body);
        return p;
    }

    @Test
    void metadataSeenByConsumersIsUnchangedWhenRecalled() {
        byte[] body = utf8(BODY);
        List<String> cold = observe(new PrometheusTextParser(), body);
        assertThat(cold.get(cold.size() - 1)).startsWith("EOF");
        assertThat(cold).contains("HELP 1 UNKNOWN http_requests_total help=Requests served.\nBy code.",
                "TYPE 6 GAUGE temp_celsius type=GAUGE", "COMMENT 4 COUNTER # a free-form comment",
                "HELP 5 COUNTER temp_celsius help=Temperature in \u00b0C");
        ExpositionParser p = warm(body);
        assertThat(observe(p, body)).isEqualTo(cold);
        // The same bytes elsewhere in an array: what is recalled is relative to the line, not the body.
        byte[] shifted = new byte[body.length + 7];
        System.arraycopy(body, 0, shifted, 7, body.length);
        assertThat(observe(p, shifted, 7, body.length)).isEqualTo(observe(new PrometheusTextParser(), shifted, 7, body.length))
                .hasSameSizeAs(cold);
    }

    @Test
    void fixturesGiveTheSameEntriesWarmAsCold() {
        for (String name : new String[] {"node_exporter_1.5.prom", "alltypes.237mfs.prom.txt"}) {
            byte[] body = Payloads.load(name);
            assertThat(observe(warm(body), body)).as(name).isEqualTo(observe(new PrometheusTextParser(), body));
        }
    }

    @Test
    void malformedCommentLinesAfterAWarmCacheFailAsInAColdParse() {
        String[][] breakages = {
            {"# HELP http_requests_total Requests served.\\nBy code.\n", "# HELP http_requests_total Bad \u00ff\u00fe UTF-8\n"},
            {"# TYPE http_requests_total counter\n", "# TYPE http_requests_total countre\n"},
            {"# TYPE http_requests_total counter\n", "# TYPE http_requests_total counter \n# TYPE 1bad gauge\n"},
            {"# HELP \"utf8.name\" Quoted name.\n", "# HELP \"utf8.name Quoted name.\n"},
            {"# TYPE \"utf8.name\" histogram\n", "# TYPE \"utf8.name\" info\n"},
            {"# a free-form comment\n", "# a free-form\0comment\n"},
            {"# TYPE untyped_one untyped\n", "# TYPE untyped_one untyped\n# HELP x y"},
        };
        byte[] good = utf8(BODY);
        // A Latin-1 view of the UTF-8 bytes, so that a breakage can hold raw bytes that are not UTF-8.
        String goodBytes = new String(good, StandardCharsets.ISO_8859_1);
        for (String[] b : breakages) {
            assertThat(goodBytes).contains(b[0]);
            String bad = goodBytes.replace(b[0], b[1]);
            if (b[1].endsWith("# HELP x y")) {
                bad = bad.substring(0, bad.indexOf(b[1]) + b[1].length()); // the body ends without a line feed
            }
            byte[] badBytes = bad.getBytes(StandardCharsets.ISO_8859_1);
            List<String> cold = observe(new PrometheusTextParser(), badBytes);
            assertThat(cold.get(cold.size() - 1)).as(b[1]).startsWith("ERROR");
            ExpositionParser p = warm(good);
            assertThat(observe(p, badBytes)).as(b[1]).isEqualTo(cold);
            // After the failure, the good body parses as before and the bad one still fails the same way.
            assertThat(observe(p, good)).isEqualTo(observe(new PrometheusTextParser(), good));
            assertThat(observe(p, badBytes)).as(b[1]).isEqualTo(cold);
        }
    }

    @Test
    void bodiesThatChangeBetweenScrapesGiveWhatAColdParseGives() {
        String[] lines = BODY.split("\n");
        String[] extra = {"# HELP new_metric Just appeared.", "# TYPE new_metric summary", "new_metric{quantile=\"0.5\"} 2",
            "# TYPE bad_metric nonsense", "# HELP bad\u00ff", "#", "# HELP", "# TYPE x", "  # TYPE y gauge"};
        Random random = new Random(6);
        ExpositionParser p = new PrometheusTextParser();
        p.deferSeriesChecks(true);
        List<String> body = new ArrayList<>(List.of(lines));
        for (int round = 0; round < 400; round++) {
            int edit = random.nextInt(4);
            int at = random.nextInt(body.size() + 1);
            if (edit == 0 && !body.isEmpty() && at < body.size()) {
                body.remove(at);
            } else if (edit == 1) {
                body.add(at, extra[random.nextInt(extra.length)]);
            } else if (edit == 2 && body.size() < 4) {
                body = new ArrayList<>(List.of(lines));
            }
            if (random.nextInt(10) == 0) {
                body = new ArrayList<>(List.of(lines));
            }
            byte[] bytes = (String.join("\n", body) + "\n").getBytes(StandardCharsets.UTF_8);
            assertThat(observe(p, bytes)).as("round %d: %s", round, body).isEqualTo(observe(new PrometheusTextParser(), bytes));
        }
    }
}
