package io.scrapeflux.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * scrapeflux's HTTP endpoint: {@code /metrics} (own metrics, Prometheus text or OpenMetrics by
 * {@code Accept}), {@code /-/healthy}, {@code /-/ready} and, when enabled, the lifecycle endpoints
 * {@code /-/reload} and {@code /-/quit}. Other stages add their routes through {@code extraRoutes}.
 */
public final class WebServer {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    /** What the lifecycle endpoints call; {@code reload} completes when the new config is in force. */
    public interface Lifecycle {
        Mono<Void> reload();

        void quit();
    }

    private final InetSocketAddress bindAddress;
    private final PrometheusRegistry registry;
    private final BooleanSupplier ready;
    private final Lifecycle lifecycle;
    private final Consumer<HttpServerRoutes> extraRoutes;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private DisposableServer server;

    /**
     * @param lifecycle   null leaves {@code /-/reload} and {@code /-/quit} disabled (403), as Prometheus
     *                    does without {@code --web.enable-lifecycle}
     * @param extraRoutes adds routes of later stages (API, UI); may be a no-op
     */
    public WebServer(InetSocketAddress bindAddress, PrometheusRegistry registry, BooleanSupplier ready,
            Lifecycle lifecycle, Consumer<HttpServerRoutes> extraRoutes) {
        this.bindAddress = bindAddress;
        this.registry = registry;
        this.ready = ready;
        this.lifecycle = lifecycle;
        this.extraRoutes = extraRoutes;
    }

    /** Binds and starts serving; fails if the address is taken. */
    public synchronized void start() {
        server = HttpServer.create()
                .bindAddress(() -> bindAddress)
                .route(routes -> {
                    routes.get("/metrics", this::metrics)
                            .get("/-/healthy", (req, res) -> text(res, HttpResponseStatus.OK, "scrapeflux is Healthy.\n"))
                            .get("/-/ready", this::readiness)
                            .route(r -> r.uri().startsWith("/-/reload") || r.uri().startsWith("/-/quit"), this::lifecycle);
                    extraRoutes.accept(routes);
                })
                .bindNow(Duration.ofSeconds(30));
        log.atInfo().addKeyValue("address", server.host() + ":" + server.port()).log("Listening");
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.port();
    }

    public String host() {
        return server.host();
    }

    public synchronized void stop() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(10));
            server = null;
        }
    }

    private Publisher<Void> metrics(HttpServerRequest req, HttpServerResponse res) {
        String accept = req.requestHeaders().get("Accept");
        // Collecting JVM and process metrics reads /proc files: keep it off the event loop.
        return Mono.fromCallable(() -> render(accept))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(body -> res.status(HttpResponseStatus.OK)
                        .header("Content-Type", body.contentType)
                        .sendByteArray(Mono.just(body.bytes)).then());
    }

    private record Rendered(String contentType, byte[] bytes) {
    }

    private Rendered render(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(writer.getContentType(), out.toByteArray());
    }

    private Publisher<Void> readiness(HttpServerRequest req, HttpServerResponse res) {
        return ready.getAsBoolean()
                ? text(res, HttpResponseStatus.OK, "scrapeflux is Ready.\n")
                : text(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service Unavailable\n");
    }

    private Publisher<Void> lifecycle(HttpServerRequest req, HttpServerResponse res) {
        if (lifecycle == null) {
            return text(res, HttpResponseStatus.FORBIDDEN, "Lifecycle API is not enabled.\n");
        }
        String method = req.method().name();
        if (!method.equals("POST") && !method.equals("PUT")) {
            return text(res, HttpResponseStatus.METHOD_NOT_ALLOWED, "Only POST or PUT requests allowed\n");
        }
        if (req.uri().startsWith("/-/quit")) {
            return text(res, HttpResponseStatus.OK, "Requesting termination... Goodbye!\n")
                    .then(Mono.fromRunnable(lifecycle::quit).subscribeOn(Schedulers.boundedElastic()).then());
        }
        return lifecycle.reload()
                .then(text(res, HttpResponseStatus.OK, ""))
                .onErrorResume(e -> text(res, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "failed to reload config: " + e.getMessage() + "\n"));
    }

    private static Mono<Void> text(HttpServerResponse res, HttpResponseStatus status, String body) {
        return res.status(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .sendString(Mono.just(body), StandardCharsets.UTF_8).then();
    }

    /** Parses Prometheus-style listen addresses: {@code host:port}, {@code :port}, {@code [::1]:port}. */
    public static InetSocketAddress parseListenAddress(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen address \"" + address + "\" has no port (want host:port)");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen address \"" + address + "\" has an invalid port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen address \"" + address + "\" has an invalid port");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
