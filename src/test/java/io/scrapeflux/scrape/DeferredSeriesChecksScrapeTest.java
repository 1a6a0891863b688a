package io.scrapeflux.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.exposition.ExpositionParsers;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The scrape loop lets the parser skip checking series its cache already holds; every series it has not
 * seen is still checked, so a malformed body fails the scrape with the parser's located error.
 */
class DeferredSeriesChecksScrapeTest {

    private static final String TEXT = "text/plain; version=0.0.4";
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";

    private static ScrapeProcessor processor(ScrapeTestSupport.Cfg cfg) {
        return new ScrapeProcessor(ScrapeTestSupport.target("127.0.0.1:9100"), LoopSettings.of(cfg.build(), UnaryOperator.identity()),
                ExpositionParsers::forContentType, new ScrapeMetrics(), 1000);
    }

    private static ScrapeBatch scrape(ScrapeProcessor p, String body, String contentType, long ts) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return p.success(b, b.length, contentType, ts, 0.01, b.length);
    }

    @Test
    void aNewMalformedSeriesFailsTheScrapeNextToCachedOnes() {
        ScrapeProcessor p = processor(new ScrapeTestSupport.Cfg());
        scrape(p, "m{a=\"1\"} 1\nn 2\n", TEXT, 1000);
        ScrapeBatch again = scrape(p, "m{a=\"1\"} 1\nn 2\n", TEXT, 2000);
        assertThat(ScrapeTestSupport.value(again, "m")).isEqualTo(1);
        assertThatThrownBy(() -> scrape(p, "m{a=\"1\"} 1\nm{b=2} 3\n", TEXT, 3000)).isInstanceOf(ScrapeFailure.class)
                .hasMessageStartingWith("line 2: ").hasMessageContaining("expected a quoted label value");
        assertThatThrownBy(() -> scrape(p, "m{a=\"1\"} 1\nm{a=\"1\",a=\"2\"} 3\n", TEXT, 4000))
                .isInstanceOf(ScrapeFailure.class).hasMessageContaining("duplicate label name \"a\"");
    }

    @Test
    void samplesPastTheSampleLimitAreStillChecked() {
        ScrapeTestSupport.Cfg cfg = new ScrapeTestSupport.Cfg();
        cfg.limits = ScrapeTestSupport.limits(0, 1, 0, 0, 0, 0);
        ScrapeProcessor p = processor(cfg);
        assertThatThrownBy(() -> scrape(p, "a 1\nb 2\n", TEXT, 1000)).isInstanceOf(ScrapeFailure.class)
                .hasMessage("sample limit exceeded");
        assertThatThrownBy(() -> scrape(p, "a 1\nb 2\nc{x=1} 3\n", TEXT, 2000)).isInstanceOf(ScrapeFailure.class)
                .hasMessageStartingWith("line 3: ").hasMessageContaining("expected a quoted label value");
    }

    @Test
    void aSeriesCachedFromTheTextFormatIsCheckedAgainWhenOpenMetricsDoesNotAllowItsSpacing() {
        ScrapeProcessor p = processor(new ScrapeTestSupport.Cfg());
        scrape(p, "m{a=\"1\", b=\"2\"} 1\n", TEXT, 1000);
        assertThatThrownBy(() -> scrape(p, "m{a=\"1\", b=\"2\"} 1\n# EOF\n", OPENMETRICS, 2000))
                .isInstanceOf(ScrapeFailure.class).hasMessageStartingWith("line 1: ");
        ScrapeBatch om = scrape(p, "m{a=\"1\",b=\"2\"} 5\n# EOF\n", OPENMETRICS, 3000);
        assertThat(ScrapeTestSupport.value(om, "m")).isEqualTo(5);
    }

    @Test
    void aSeriesCheckedUnderTheTextFormatIsCheckedAgainWhenItReturnsUnderOpenMetrics() {
        ScrapeProcessor p = processor(new ScrapeTestSupport.Cfg());
        scrape(p, "m{a=\"1\" , b=\"2\"} 1\nn 1\n", TEXT, 1000);
        scrape(p, "n 2\n# EOF\n", OPENMETRICS, 2000);
        assertThatThrownBy(() -> scrape(p, "n 3\nm{a=\"1\" , b=\"2\"} 1\n# EOF\n", OPENMETRICS, 3000))
                .isInstanceOf(ScrapeFailure.class).hasMessageStartingWith("line 2: ");
    }

    @Test
    void aMetadataLineBrokenAfterWarmScrapesFailsTheScrapeAsOnTheFirstScrape() {
        String good = "# HELP h Latency.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n";
        String bad = "# HELP h Latency.\n# TYPE h histogramm\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n";
        ScrapeProcessor cold = processor(new ScrapeTestSupport.Cfg());
        String coldError = null;
        try {
            scrape(cold, bad, TEXT, 1000);
        } catch (ScrapeFailure e) {
            coldError = e.getMessage();
        }
        assertThat(coldError).startsWith("line 2: ").contains("invalid metric type");
        ScrapeProcessor p = processor(new ScrapeTestSupport.Cfg());
        scrape(p, good, TEXT, 1000);
        scrape(p, good, TEXT, 2000);
        assertThatThrownBy(() -> scrape(p, bad, TEXT, 3000)).isInstanceOf(ScrapeFailure.class).hasMessage(coldError);
        // A recalled TYPE line still types the family: a new bucket's le is normalized as for a histogram.
        scrape(p, good, TEXT, 4000);
        ScrapeBatch batch = scrape(p, good.replace("le=\"1\"", "le=\"2\""), TEXT, 5000);
        assertThat(ScrapeTestSupport.samples(batch).toString()).contains("le=\"2.0\"");
    }
}
