package io.scrapeflux.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking GETs to processes a test started on 127.0.0.1 (call from test threads only). */
public final class LoopbackHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LoopbackHttp() {
    }

    /** GET {@code http://127.0.0.1:port/pathAndQuery}; a refused connection or a timeout is an IOException. */
    public static HttpResponse<String> get(int port, String pathAndQuery) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for http://127.0.0.1:" + port + pathAndQuery, e);
        }
    }
}
