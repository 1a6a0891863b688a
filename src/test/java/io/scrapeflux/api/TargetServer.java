package io.scrapeflux.api;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A scrape target for tests: serves a fixed exposition body on 127.0.0.1 and counts requests and open
 * connections. Register it as a JUnit extension: it stops after each test.
 */
final class TargetServer implements AutoCloseable, AfterEachCallback {

    /** Three samples in the Prometheus text format. */
    static final String BODY = """
            # TYPE requests_total counter
            requests_total{path="/"} 7
            requests_total{path="/x"} 3
            # TYPE temperature_celsius gauge
            temperature_celsius 21.5
            """;

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile int status = 200;
    private final DisposableServer server;

    TargetServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(c -> {
                    openConnections.incrementAndGet();
                    c.onDispose(openConnections::decrementAndGet);
                })
                .route(r -> r.get("/metrics", (req, res) -> {
                    requests.incrementAndGet();
                    if (status != 200) {
                        return res.status(status).send();
                    }
                    return res.header("Content-Type", "text/plain; version=0.0.4").sendString(Mono.just(BODY));
                }))
                .bindNow();
    }

    /** {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + server.port();
    }

    /** From now on, answers every scrape with {@code status} (200 serves the body again). */
    void respondWith(int status) {
        this.status = status;
    }

    int requests() {
        return requests.get();
    }

    int openConnections() {
        return openConnections.get();
    }

    @Override
    public void close() {
        server.disposeNow();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
