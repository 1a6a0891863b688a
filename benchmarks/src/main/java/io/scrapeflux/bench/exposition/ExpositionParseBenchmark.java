package io.scrapeflux.bench.exposition;

import io.scrapeflux.exposition.ExpositionException;
import io.scrapeflux.exposition.ExpositionParser;
import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.exposition.OpenMetricsParser;
import io.scrapeflux.exposition.PrometheusTextParser;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One operation = one whole scrape body. MiB/s = bodyBytes / (avgt) and ns/sample = avgt / samples;
 * both are printed by {@link #setup()} so the table can be derived from JMH's avgt.
 *
 * <ul>
 *   <li>{@code fullDecode}: every sample's labels decoded into a reused builder, value and timestamp.
 *   <li>{@code steadyState}: what the scrape cache needs on a hit: series bytes, their hash, the value,
 *       with the series checks deferred as the scrape loop defers them (a hit needs none: see
 *       {@link ExpositionParser#deferSeriesChecks}).
 *   <li>{@code steadyStateChecked}: the same pass with every series checked in {@code next()}: what a
 *       body of series never seen before costs before their labels are decoded.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ExpositionParseBenchmark {

    @Param({"node_exporter_1.5.prom", "ksm_like_10k.prom", "alltypes.237mfs.prom.txt", "alltypes.5mfs.om.txt"})
    public String payload;

    private byte[] body;
    private ExpositionParser parser;
    private ExpositionParser cacheParser;
    private final LabelsBuilder builder = Labels.builder();

    @Setup
    public void setup() throws IOException, ExpositionException {
        // Run from the repository root; the payloads are the test resources.
        Path file = Path.of(System.getProperty("scrapeflux.bench.data", "src/test/resources"), "exposition", payload);
        body = Files.readAllBytes(file);
        parser = payload.contains(".om.") ? new OpenMetricsParser() : new PrometheusTextParser();
        cacheParser = payload.contains(".om.") ? new OpenMetricsParser() : new PrometheusTextParser();
        cacheParser.deferSeriesChecks(true);
        parser.reset(body, 0, body.length);
        int samples = 0;
        for (Entry e = parser.next(); e != Entry.EOF; e = parser.next()) {
            if (e == Entry.SERIES) {
                samples++;
            }
        }
        System.out.printf("%n# payload %s: %d bytes, %d samples%n", payload, body.length, samples);
    }

    @Benchmark
    public long fullDecode(Blackhole bh) throws ExpositionException {
        ExpositionParser p = parser;
        LabelsBuilder b = builder;
        p.reset(body, 0, body.length);
        long n = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                p.labels(b);
                bh.consume(b);
                bh.consume(p.value());
                bh.consume(p.hasTimestamp() ? p.timestampMs() : 0L);
                n++;
            }
        }
        return n;
    }

    @Benchmark
    public long steadyState(Blackhole bh) throws ExpositionException {
        return seriesPass(cacheParser, bh);
    }

    @Benchmark
    public long steadyStateChecked(Blackhole bh) throws ExpositionException {
        return seriesPass(parser, bh);
    }

    private long seriesPass(ExpositionParser p, Blackhole bh) throws ExpositionException {
        p.reset(body, 0, body.length);
        long h = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e == Entry.SERIES) {
                h += p.seriesHash() + p.seriesOffset() + p.seriesLength();
                bh.consume(p.value());
            }
        }
        return h;
    }
}
