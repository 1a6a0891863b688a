package io.scrapeflux.bench.scrape;

import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Limits;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.config.SourceLocation;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.BodyProcessor;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.target.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One steady-state scrape of a body already in memory: parse, series-cache lookup, staleness
 * tracking, report series, batch columns. Run with {@code -prof gc}: B/op divided by the sample count
 * is the per-sample allocation (only the batch's three column arrays are expected).
 *
 * <p>Payloads are read from {@code src/test/resources/exposition/} (run from the repository root) or
 * from the directory in {@code -Dscrapeflux.bench.payloads=...}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SteadyStateScrapeBenchmark {

    @Param({"ksm_like_10k.prom", "node_exporter_1.5.prom"})
    public String payload;

    private byte[] body;
    private BodyProcessor processor;
    private long ts;

    @Setup
    public void setUp() throws IOException {
        Path dir = Path.of(System.getProperty("scrapeflux.bench.payloads", "src/test/resources/exposition"));
        body = Files.readAllBytes(dir.resolve(payload));
        Target target = new Target("bench", Labels.of("job", "bench", "instance", "127.0.0.1:9100"), Labels.EMPTY,
                "http://127.0.0.1:9100/metrics", Duration.ofSeconds(10), Duration.ofSeconds(10));
        ScrapeConfig cfg = new ScrapeConfig("bench", Duration.ofSeconds(10), Duration.ofSeconds(10),
                ScrapeProtocol.DEFAULTS, ScrapeProtocol.PrometheusText0_0_4, "/metrics", "http", false, true, false,
                true, Map.of(), HttpClientConfig.DEFAULT, Limits.NONE, NameValidationScheme.UTF8, "underscores",
                false, List.of(), List.of(), List.of(), SourceLocation.NONE);
        processor = BodyProcessor.create(target, cfg);
        ScrapeBatch first = processor.process(body, body.length, "text/plain; version=0.0.4", ts, 0.01);
        if (first.size() < 10) {
            throw new IllegalStateException("payload did not parse: " + first.size() + " samples");
        }
    }

    @Benchmark
    public ScrapeBatch steadyStateScrape() {
        ts += 10_000;
        return processor.process(body, body.length, "text/plain; version=0.0.4", ts, 0.01);
    }
}
