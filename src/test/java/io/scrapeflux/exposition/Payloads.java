package io.scrapeflux.exposition;

import io.scrapeflux.exposition.ExpositionParser.Entry;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: load payloads from test resources and drain parsers into plain records. */
final class Payloads {

    record Sample(Labels labels, double value, Long timestampMs, String series, Exemplar exemplar) {
    }

    private Payloads() {
    }

    static byte[] load(String name) {
        try (InputStream in = Payloads.class.getResourceAsStream("/exposition/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExpositionParser text(String body) {
        return parser(new PrometheusTextParser(), body);
    }

    static ExpositionParser om(String body) {
        return parser(new OpenMetricsParser(), body);
    }

    static ExpositionParser parser(ExpositionParser p, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        p.reset(b, 0, b.length);
        return p;
    }

    /** Every sample of the body, labels decoded. */
    static List<Sample> samples(ExpositionParser p) throws ExpositionException {
        List<Sample> out = new ArrayList<>();
        LabelsBuilder b = Labels.builder();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e != Entry.SERIES) {
                continue;
            }
            p.labels(b);
            Exemplar ex = null;
            if (p.hasExemplar()) {
                ex = new Exemplar();
                p.exemplar(ex);
            }
            out.add(new Sample(b.build(), p.value(), p.hasTimestamp() ? p.timestampMs() : null,
                    new String(p.buffer(), p.seriesOffset(), p.seriesLength(), StandardCharsets.UTF_8), ex));
        }
        return out;
    }

    static List<Sample> textSamples(String body) throws ExpositionException {
        return samples(text(body));
    }

    static List<Sample> omSamples(String body) throws ExpositionException {
        return samples(om(body));
    }
}
