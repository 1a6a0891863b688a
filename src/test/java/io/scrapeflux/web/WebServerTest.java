package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;

class WebServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private WebServer server;

    @BeforeAll
    static void blockHound() {
        BlockHound.install();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private WebServer start(PrometheusRegistry registry, AtomicBoolean ready, WebServer.Lifecycle lifecycle) {
        server = new WebServer(new InetSocketAddress("127.0.0.1", 0), registry, ready::get, lifecycle,
                routes -> routes.get("/extra", (req, res) -> res.sendString(Mono.just("extra"))));
        server.start();
        return server;
    }

    @Test
    void servesMetricsInPrometheusTextOrOpenMetrics() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("things_total").help("Things.").register(registry).inc(3);
        start(registry, new AtomicBoolean(true), null);

        HttpResponse<String> text = get("/metrics", null);
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(text.body()).contains("# TYPE things_total counter", "things_total 3.0");

        HttpResponse<String> om = get("/metrics", "application/openmetrics-text; version=1.0.0");
        assertThat(om.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
        assertThat(om.body()).contains("things_total 3.0").endsWith("# EOF\n");
    }

    @Test
    void healthReadinessAndExtraRoutes() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        start(new PrometheusRegistry(), ready, null);
        assertThat(get("/-/healthy", null).statusCode()).isEqualTo(200);
        assertThat(get("/-/ready", null).statusCode()).isEqualTo(503);
        ready.set(true);
        assertThat(get("/-/ready", null).statusCode()).isEqualTo(200);
        assertThat(get("/extra", null).body()).isEqualTo("extra");
        assertThat(get("/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void lifecycleEndpointsAreForbiddenUnlessEnabled() throws Exception {
        start(new PrometheusRegistry(), new AtomicBoolean(true), null);
        assertThat(post("/-/reload").statusCode()).isEqualTo(403);
        assertThat(post("/-/quit").statusCode()).isEqualTo(403);
    }

    @Test
    void lifecycleEndpointsCallTheAgent() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        java.util.concurrent.CountDownLatch quit = new java.util.concurrent.CountDownLatch(1);
        start(new PrometheusRegistry(), new AtomicBoolean(true), new WebServer.Lifecycle() {
            @Override
            public Mono<Void> reload() {
                return reloads.incrementAndGet() == 1 ? Mono.empty() : Mono.error(new IllegalStateException("bad config"));
            }

            @Override
            public void quit() {
                quit.countDown();
            }
        });
        assertThat(get("/-/reload", null).statusCode()).isEqualTo(405);
        assertThat(post("/-/reload").statusCode()).isEqualTo(200);
        HttpResponse<String> failed = post("/-/reload");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("bad config");
        assertThat(post("/-/quit").statusCode()).isEqualTo(200);
        // quit runs after the response is written
        assertThat(quit.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void parsesListenAddresses() {
        assertThat(WebServer.parseListenAddress("0.0.0.0:9090").getPort()).isEqualTo(9090);
        assertThat(WebServer.parseListenAddress(":9091").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(WebServer.parseListenAddress("[::1]:9092").getAddress().isLoopbackAddress()).isTrue();
        assertThat(WebServer.parseListenAddress("127.0.0.1:0").getPort()).isZero();
        assertThatThrownBy(() -> WebServer.parseListenAddress("9090")).hasMessageContaining("no port");
        assertThatThrownBy(() -> WebServer.parseListenAddress("a:b")).hasMessageContaining("invalid port");
    }
}
