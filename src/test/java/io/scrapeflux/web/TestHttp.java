package io.scrapeflux.web;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** Blocking loopback HTTP calls for tests (test threads only). */
final class TestHttp {

    record Response(int status, HttpHeaders headers, String body) {
    }

    private TestHttp() {
    }

    static Response get(String url, Consumer<HttpHeaders> headers) {
        return call(HttpClient.create(), HttpMethod.GET, url, headers);
    }

    static Response get(String url) {
        return get(url, h -> { });
    }

    static Response call(HttpClient client, HttpMethod method, String url, Consumer<HttpHeaders> headers) {
        return client.headers(headers)
                .request(method)
                .uri(url)
                .responseSingle((res, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(b -> new Response(res.status().code(), res.responseHeaders(), b)))
                .switchIfEmpty(Mono.error(new IllegalStateException("no response from " + url)))
                .block(Duration.ofSeconds(30));
    }
}
