package io.scrapeflux.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.scrapeflux.model.Labels;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Prometheus API envelope ({@code {"status":"success","data":...}} or
 * {@code {"status":"error","errorType":...,"error":...}}) and the value formats Go's encoder produces,
 * written with Jackson's streaming generator.
 */
final class ApiResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** Go's zero {@code time.Time}, what Prometheus shows for a target never scraped. */
    static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    private ApiResponses() {
    }

    /** Writes a success envelope whose {@code data} the callback writes. */
    static Mono<Void> success(HttpServerResponse res, Consumer<JsonGenerator> data) {
        return send(res, HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeStringProperty("status", "success");
            g.writeName("data");
            data.accept(g);
            g.writeEndObject();
        });
    }

    /** A {@code bad_data} error (HTTP 400) as Prometheus reports invalid parameters. */
    static Mono<Void> badData(HttpServerResponse res, String message) {
        return send(res, HttpResponseStatus.BAD_REQUEST, g -> {
            g.writeStartObject();
            g.writeStringProperty("status", "error");
            g.writeStringProperty("errorType", "bad_data");
            g.writeStringProperty("error", message);
            g.writeEndObject();
        });
    }

    /**
     * Renders on a parallel worker, not the connection's event loop: thousands of targets make a
     * multi-megabyte body, and the event loop also serves {@code /metrics} and health checks.
     */
    private static Mono<Void> send(HttpServerResponse res, HttpResponseStatus status, Consumer<JsonGenerator> body) {
        return Mono.fromCallable(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                body.accept(g);
            }
            return out.toByteArray();
        }).subscribeOn(Schedulers.parallel())
                .publishOn(EventLoops.of(res))
                .flatMap(bytes -> res.status(status)
                        .header("Content-Type", "application/json")
                        .sendByteArray(Mono.just(bytes)).then());
    }

    static void labels(JsonGenerator g, Labels labels) {
        g.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            g.writeStringProperty(labels.name(i), labels.value(i));
        }
        g.writeEndObject();
    }

    static void stringMap(JsonGenerator g, Map<String, String> map) {
        g.writeStartObject();
        map.forEach(g::writeStringProperty);
        g.writeEndObject();
    }

    static void stringArray(JsonGenerator g, List<String> values) {
        g.writeStartArray();
        values.forEach(g::writeString);
        g.writeEndArray();
    }

    /** A {@code time.Time} as Go's JSON encoder writes it: RFC 3339 with trailing zeros of the fraction cut. */
    static String goTime(long unixMillis) {
        if (unixMillis == 0) {
            return GO_ZERO_TIME;
        }
        Instant t = Instant.ofEpochMilli(unixMillis);
        StringBuilder s = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            s.append('.').append(frac, 0, end);
        }
        return s.append('Z').toString();
    }

    /**
     * A float64 as Go's {@code encoding/json} writes it: shortest digits, plain notation between 1e-6
     * and 1e21, otherwise {@code 1e-7} / {@code 1e+21} style.
     */
    static String goFloat(double v) {
        if (v == 0) {
            return "0";
        }
        double abs = Math.abs(v);
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder s = new StringBuilder(v < 0 ? "-" : "");
        s.append(digits.charAt(0));
        if (digits.length() > 1) {
            s.append('.').append(digits, 1, digits.length());
        }
        return s.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent)).toString();
    }

    /** First value of a query parameter, or "" when absent (Go's {@code Query().Get}). */
    static String param(HttpServerRequest req, String name) {
        List<String> values = new QueryStringDecoder(req.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}
