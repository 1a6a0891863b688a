package io.scrapeflux.bench.sink;

import io.airlift.compress.snappy.SnappyCompressor;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.sink.SeriesTransform;
import io.scrapeflux.sink.WriteRequestEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Remote-write cost of one whole scrape: encode every sample into the spool format (series cache hit,
 * one external label), turn the spool into a WriteRequest body and snappy-compress it. That is the
 * per-sample CPU work of the send path minus the HTTP exchange and the disk write.
 * ns/sample = avgt / samples; bytes/sample (raw protobuf and snappy) are printed by {@link #setup()}.
 *
 * <p>Payloads are read from {@code src/test/resources/exposition} (run from the repository root, or set
 * {@code -Dscrapeflux.bench.data}); the tiny text parser below only splits sample lines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RemoteWriteEncodeBenchmark {

    @Param({"node_exporter_1.5.prom", "ksm_like_10k.prom"})
    public String payload;

    private ScrapeBatch batch;
    private WriteRequestEncoder encoder;
    private final SnappyCompressor snappy = new SnappyCompressor();
    private byte[] body = new byte[0];
    private byte[] compressed = new byte[0];

    @Setup
    public void setup() throws IOException {
        Path file = Path.of(System.getProperty("scrapeflux.bench.data", "src/test/resources"), "exposition", payload);
        batch = parse(Files.readString(file, StandardCharsets.UTF_8), 1_700_000_000_000L);
        encoder = new WriteRequestEncoder(SeriesTransform.externalLabels(Map.of("cluster", "bench")));
        int c = encodeAndCompress(); // builds the target's template and sizes the buffers
        body = WriteRequestEncoder.toWriteRequest(encoder.buffer(), 0, encoder.length());
        bodyLength = body.length;
        compressed = new byte[snappy.maxCompressedLength(bodyLength)];
        int whole = compressOnly();
        System.out.printf("%n# payload %s: %d samples, protobuf %.1f B/sample, spooled chunks %.1f B/sample, "
                + "aircompressor snappy of the whole body %.1f B/sample%n", payload, batch.size(),
                (double) bodyLength / batch.size(), (double) c / batch.size(), (double) whole / batch.size());
    }

    private int bodyLength;

    /**
     * Steady state: the batch's series are those of the previous one, so this patches values and
     * timestamps into the target's compressed template (external labels, protobuf and snappy included).
     */
    @Benchmark
    public int encodeAndCompress() {
        encoder.reset();
        encoder.append(batch);
        return encoder.length();
    }

    /** What the template saves: aircompressor's snappy over the uncompressed WriteRequest body. */
    @Benchmark
    public int compressOnly() {
        return snappy.compress(body, 0, bodyLength, compressed, 0, compressed.length);
    }

    /** Sample lines only: {@code name{a="b",...} value [timestamp]}; comments and blank lines skipped. */
    static ScrapeBatch parse(String text, long ts) {
        List<Labels> series = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        LabelsBuilder b = Labels.builder();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            b.reset(Labels.EMPTY);
            int i = 0;
            while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
                i++;
            }
            b.set(Labels.METRIC_NAME, line.substring(0, i));
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String name = line.substring(i, eq).trim();
                    StringBuilder v = new StringBuilder();
                    int p = eq + 2;
                    while (line.charAt(p) != '"') {
                        char ch = line.charAt(p);
                        if (ch == '\\') {
                            char n = line.charAt(++p);
                            v.append(n == 'n' ? '\n' : n);
                        } else {
                            v.append(ch);
                        }
                        p++;
                    }
                    b.set(name, v.toString());
                    i = p + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            String[] rest = line.substring(i).trim().split(" ");
            series.add(b.build());
            values.add(Double.parseDouble(rest[0].replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
        }
        int n = series.size();
        double[] vs = new double[n];
        long[] tss = new long[n];
        for (int k = 0; k < n; k++) {
            vs[k] = values.get(k);
            tss[k] = ts;
        }
        return new ScrapeBatch(null, ts, series.toArray(new Labels[0]), vs, tss, n);
    }
}
