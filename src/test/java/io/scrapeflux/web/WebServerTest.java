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

    /**
     * A keep-alive client that sends its next request as soon as the previous answer is in: /metrics is
     * rendered off the event loop, /-/ready answered at once. Before the answers went back to the event
     * loop, about one such connection in a hundred had its next request never read (see EventLoops).
     */
    @Test
    void keepAliveRequestsRightAfterAnOffLoopAnswerAreAllRead() throws Exception {
        start(new PrometheusRegistry(), new AtomicBoolean(true), null);
        for (int connection = 0; connection < 100; connection++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.setTcpNoDelay(true);
                java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                for (String path : new String[] {"/metrics", "/-/ready", "/metrics", "/-/ready"}) {
                    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    assertThat(readStatusAndSkipBody(in)).as("connection %d, %s", connection, path).isEqualTo(200);
                }
            }
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; a read timeout fails the test. */
    private static int readStatusAndSkipBody(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed after " + head);
            }
            head.append((char) c);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return Integer.parseInt(head.substring(9, 12));
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
