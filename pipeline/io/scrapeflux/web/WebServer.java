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
 * {@code /-/reload} and {@code /-/quit}. With a {@link WebState} ({@link Builder#state}) it also serves
 * the Prometheus API ({@link TargetsApi}, {@link StatusApi}) and the UI ({@link UiPages}); with a
 * {@link WebConfig} every endpoint is behind its TLS and basic-auth settings. Other stages add routes
 * through {@code extraRoutes}.
 */
public final class WebServer {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    /** What the lifecycle endpoints call; {@code reload} completes when the new config is in force. */
    public interface Lifecycle extends Reloader {
        void quit();
    }

    private static final int COMPRESS_MIN_BYTES = 8 * 1024;

    private final InetSocketAddress bindAddress;
    private final PrometheusRegistry registry;
    private final BooleanSupplier ready;
    private final Lifecycle lifecycle;
    private final Consumer<HttpServerRoutes> extraRoutes;
    private final WebState state;
    private final WebConfig webConfig;
    private final String externalHost;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private DisposableServer server;

    /**
     * @param lifecycle   null leaves {@code /-/reload} and {@code /-/quit} disabled (403), as Prometheus
     *                    does without {@code --web.enable-lifecycle}
     * @param extraRoutes adds routes of later stages (API, UI); may be a no-op
     */
    public WebServer(InetSocketAddress bindAddress, PrometheusRegistry registry, BooleanSupplier ready,
            Lifecycle lifecycle, Consumer<HttpServerRoutes> extraRoutes) {
        this(new Builder(bindAddress, registry).ready(ready).lifecycle(lifecycle).extraRoutes(extraRoutes));
    }

    private WebServer(Builder b) {
        this.bindAddress = b.bindAddress;
        this.registry = b.registry;
        this.state = b.state;
        this.ready = b.ready != null ? b.ready : b.state != null ? b.state::isReady : () -> true;
        this.lifecycle = b.lifecycle;
        this.extraRoutes = b.extraRoutes;
        this.webConfig = b.webConfig;
        this.externalHost = b.externalHost != null ? b.externalHost : GlobalUrl.localHostName();
    }

    public static Builder builder(InetSocketAddress bindAddress, PrometheusRegistry registry) {
        return new Builder(bindAddress, registry);
    }

    /** Binds and starts serving; fails if the address is taken or the TLS files cannot be read. */
    public synchronized void start() {
        HttpServerRoutes routes = HttpServerRoutes.newRoutes()
                .get("/metrics", this::metrics)
                .get("/-/healthy", (req, res) -> text(res, HttpResponseStatus.OK, "scrapeflux is Healthy.\n"))
                .get("/-/ready", this::readiness)
                .route(r -> r.uri().startsWith("/-/reload") || r.uri().startsWith("/-/quit"), this::lifecycle);
        if (state != null) {
            // the API answers 503 until ready, as Prometheus's does; the pages load and show that
            routes.route(r -> r.uri().startsWith("/api/v1/") && !ready.getAsBoolean(),
                    (req, res) -> text(res, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service Unavailable\n"));
            new TargetsApi(state, new GlobalUrl(externalHost)).register(routes);
            new StatusApi(state).register(routes);
            new UiPages().register(routes);
        }
        extraRoutes.accept(routes);
        WebSecurity security = new WebSecurity(webConfig);
        HttpServer http = HttpServer.create()
                .bindAddress(() -> bindAddress)
                // gzip when the client accepts it: a 5,000-target /api/v1/targets is megabytes of JSON
                .compress(COMPRESS_MIN_BYTES)
                .handle((req, res) -> security.filter(req, res, routes));
        server = security.secure(http).bindNow(Duration.ofSeconds(30));
        log.atInfo().addKeyValue("address", server.host() + ":" + server.port())
                .addKeyValue("tls", webConfig.tls() != null).log("Listening");
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
                .publishOn(EventLoops.of(res))
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
                .publishOn(EventLoops.of(res))
                .then(text(res, HttpResponseStatus.OK, ""))
                .onErrorResume(e -> text(res, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "failed to reload config: " + e.getMessage() + "\n"));
    }

    private static Mono<Void> text(HttpServerResponse res, HttpResponseStatus status, String body) {
        return res.status(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .sendString(Mono.just(body), StandardCharsets.UTF_8).then();
    }

    /** Settings of a {@link WebServer}; only the bind address and the metrics registry are required. */
    public static final class Builder {
        private final InetSocketAddress bindAddress;
        private final PrometheusRegistry registry;
        private BooleanSupplier ready;
        private Lifecycle lifecycle;
        private Consumer<HttpServerRoutes> extraRoutes = routes -> { };
        private WebState state;
        private WebConfig webConfig = WebConfig.NONE;
        private String externalHost;

        private Builder(InetSocketAddress bindAddress, PrometheusRegistry registry) {
            this.bindAddress = bindAddress;
            this.registry = registry;
        }

        /** Serves the API and UI from {@code state}; readiness then follows {@link WebState#isReady()}. */
        public Builder state(WebState state) {
            this.state = state;
            return this;
        }

        /** Overrides readiness (default: the state's, or always ready without a state). */
        public Builder ready(BooleanSupplier ready) {
            this.ready = ready;
            return this;
        }

        /** Enables {@code /-/reload} and {@code /-/quit} ({@code --web.enable-lifecycle}); null leaves them 403. */
        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = lifecycle;
            return this;
        }

        public Builder extraRoutes(Consumer<HttpServerRoutes> extraRoutes) {
            this.extraRoutes = extraRoutes;
            return this;
        }

        /** TLS and basic auth from {@code --web.config.file} ({@link WebConfig#load}). */
        public Builder webConfig(WebConfig webConfig) {
            this.webConfig = webConfig;
            return this;
        }

        /** Host name that replaces loopback hosts in targets' {@code globalUrl} (default: this machine's). */
        public Builder externalHost(String host) {
            this.externalHost = host;
            return this;
        }

        public WebServer build() {
            return new WebServer(this);
        }
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
