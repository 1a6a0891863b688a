package io.scrapeflux.discovery.azure;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET requests to Azure Resource Manager with a bearer token: list pages followed through {@code nextLink}, throttling
 * (429) and transient server errors retried a few times after {@code Retry-After} (or a doubling delay), a rejected
 * token (401) dropped so the next refresh fetches a new one.
 */
final class ArmClient {

    private static final Logger log = LoggerFactory.getLogger(ArmClient.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int MAX_RETRIES = 3;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final HttpClient client;
    private final Mono<Map<String, String>> headers;
    private final AzureTokens tokens;
    private final String base;
    private final String host;
    private final Scheduler scheduler;

    ArmClient(HttpClient client, Mono<Map<String, String>> headers, AzureTokens tokens, String base, Scheduler scheduler) {
        this.client = client;
        this.headers = headers;
        this.tokens = tokens;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.host = URI.create(this.base).getHost();
        this.scheduler = scheduler;
    }

    /** Every element of {@code value} over all pages of the list at {@code path}. */
    Flux<JsonNode> list(String path) {
        return get(base + path)
                .expand(page -> {
                    String next = Json.text(page.path("nextLink"));
                    return next.isEmpty() ? Mono.empty() : get(checkedNextLink(next));
                })
                .concatMapIterable(page -> Json.items(page.path("value")));
    }

    /** One resource at {@code path}; empty when Resource Manager answers 404. */
    Mono<JsonNode> find(String path) {
        return get(base + path).onErrorResume(e -> e instanceof ArmException a && a.status == 404, e -> Mono.empty());
    }

    // A nextLink elsewhere than Resource Manager would receive our bearer token: refuse it.
    private String checkedNextLink(String next) {
        URI uri = URI.create(next);
        if (uri.getHost() == null || !uri.getHost().equalsIgnoreCase(host)) {
            throw new IllegalArgumentException("nextLink " + next + " points outside Resource Manager " + base);
        }
        return next;
    }

    private Mono<JsonNode> get(String url) {
        return Mono.defer(() -> tokens.token().zipWith(headers).flatMap(auth -> client
                        .headers(h -> {
                            auth.getT2().forEach(h::set);
                            h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + auth.getT1());
                            h.set(HttpHeaderNames.ACCEPT, "application/json");
                            h.set(HttpHeaderNames.USER_AGENT, "scrapeflux");
                        })
                        .get()
                        .uri(url)
                        .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                                .flatMap(bytes -> parse(url, response.status().code(), response.responseHeaders(),
                                        bytes)))))
                .retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
                    if (signal.failure() instanceof ArmException e && e.retryable() && signal.totalRetries() < MAX_RETRIES) {
                        Duration delay = e.retryAfter != null ? e.retryAfter
                                : FIRST_RETRY.multipliedBy(1L << signal.totalRetries());
                        log.debug("Resource Manager request retried url={} status={} delay={}", url, e.status, delay);
                        return Mono.delay(delay, scheduler);
                    }
                    return Mono.error(signal.failure());
                })));
    }

    private Mono<JsonNode> parse(String url, int status, HttpHeaders headers, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (RuntimeException e) {
            if (status == 200) {
                return Mono.error(new IOException("GET " + url + ": invalid JSON: " + e.getMessage(), e));
            }
            json = null;
        }
        if (status == 200) {
            return json == null ? Mono.error(new IOException("GET " + url + ": empty response")) : Mono.just(json);
        }
        if (status == 401) {
            tokens.invalidate();
        }
        String detail = json == null ? "" : ": " + Json.at(json, "error", "code") + " " + Json.at(json, "error", "message");
        return Mono.error(new ArmException("GET " + url + " failed with HTTP " + status + detail, status,
                retryAfter(headers)));
    }

    /** The server's requested delay: {@code retry-after-ms}, {@code x-ms-retry-after-ms}, then {@code Retry-After}. */
    private Duration retryAfter(HttpHeaders headers) {
        for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String ms = headers.get(name);
            if (ms != null && ms.trim().matches("\\d+")) {
                return Duration.ofMillis(Long.parseLong(ms.trim()));
            }
        }
        String value = headers.get(HttpHeaderNames.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.trim().matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        }
        try {
            long at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Duration.ofMillis(Math.max(0, at - scheduler.now(TimeUnit.MILLISECONDS)));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A refused Resource Manager request. */
    static final class ArmException extends IOException {
        final int status;
        final transient Duration retryAfter;

        ArmException(String message, int status, Duration retryAfter) {
            super(message);
            this.status = status;
            this.retryAfter = retryAfter;
        }

        boolean retryable() {
            return status == 429 || status == 408 || status == 500 || status == 502 || status == 503 || status == 504;
        }
    }
}
