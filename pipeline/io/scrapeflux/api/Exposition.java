package io.scrapeflux.api;

import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.exposition.ExpositionException;
import io.scrapeflux.exposition.ExpositionParser;
import io.scrapeflux.exposition.ExpositionParsers;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import reactor.core.publisher.Flux;

/**
 * The exposition parsers on their own: Prometheus text (0.0.4, 1.0.0) and OpenMetrics 1.0, chosen by
 * Content-Type as Prometheus 3 chooses them, with its validation.
 *
 * <pre>{@code
 * Exposition.parse("requests_total{path=\"/\"} 7\n", "text/plain; version=0.0.4")
 *         .subscribe(s -> System.out.println(s.labels() + " " + s.value()));
 * }</pre>
 */
public final class Exposition {

    private Exposition() {
    }

    /**
     * One sample line.
     *
     * @param labels      metric name ({@code __name__}) and labels
     * @param value       the value (Prometheus's NaN for {@code NaN})
     * @param timestampMs the sample's own timestamp in Unix milliseconds, if it has one
     */
    public record Sample(Labels labels, double value, OptionalLong timestampMs) {

        public String name() {
            return labels.get(Labels.METRIC_NAME);
        }
    }

    /**
     * The samples of {@code body}, parsed lazily as they are requested. A body that breaks the format ends
     * the flux with an {@link InvalidExpositionException} naming the line, after the samples before it.
     *
     * @param contentType the response's Content-Type; null or blank reads the Prometheus text format
     */
    public static Flux<Sample> parse(byte[] body, String contentType) {
        return Flux.<Sample, ExpositionParser>generate(() -> {
            ExpositionParser p = ExpositionParsers.forContentType(contentType, ScrapeProtocol.PrometheusText0_0_4);
            p.reset(body, 0, body.length);
            return p;
        }, (parser, sink) -> {
            try {
                ExpositionParser.Entry e;
                while ((e = parser.next()) != ExpositionParser.Entry.EOF) {
                    if (e == ExpositionParser.Entry.SERIES) {
                        LabelsBuilder b = Labels.builder();
                        parser.labels(b);
                        sink.next(new Sample(b.build(), parser.value(),
                                parser.hasTimestamp() ? OptionalLong.of(parser.timestampMs()) : OptionalLong.empty()));
                        return parser;
                    }
                }
                sink.complete();
            } catch (ExpositionException ex) {
                sink.error(new InvalidExpositionException(ex.line(), ex.getMessage()));
            }
            return parser;
        }).onErrorMap(ExpositionException.class, ex -> new InvalidExpositionException(ex.line(), ex.getMessage()));
    }

    /** {@link #parse(byte[], String)} of {@code body} in UTF-8. */
    public static Flux<Sample> parse(String body, String contentType) {
        return parse(body.getBytes(StandardCharsets.UTF_8), contentType);
    }
}
