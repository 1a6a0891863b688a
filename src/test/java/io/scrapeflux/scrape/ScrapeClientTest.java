package io.scrapeflux.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.netty.http.Http11SslContextSpec;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeTestSupport.Cfg;
import io.scrapeflux.target.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The shared HTTP client against a local Reactor Netty server: headers, auth, gzip, limits, status, redirects, TLS. */
class ScrapeClientTest {

    static final String BODY = "# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"2\"} 2\n";

    static DisposableServer server;
    static DisposableServer tlsServer;
    static SelfSignedCertificate cert;
    static ScrapeClient client;
    static final Map<String, HttpHeaders> lastHeaders = new ConcurrentHashMap<>();
    static final Set<String> clientAddresses = ConcurrentHashMap.newKeySet();
    static final int TOGETHER = 150;
    static final AtomicInteger togetherArrived = new AtomicInteger();
    static final Sinks.Empty<Void> allTogether = Sinks.empty();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        ScrapeTestSupport.blockHound();
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                .get("/metrics", (req, res) -> {
                    lastHeaders.put("/metrics", req.requestHeaders().copy());
                    clientAddresses.add(String.valueOf(req.remoteAddress()));
                    return res.header("Content-Type", "text/plain; version=0.0.4").sendString(Mono.just(BODY));
                })
                .get("/gzip", (req, res) -> {
                    lastHeaders.put("/gzip", req.requestHeaders().copy());
                    return res.header("Content-Type", "text/plain; version=0.0.4").header("Content-Encoding", "gzip")
                            .sendByteArray(Mono.just(gzip(BODY)));
                })
                .get("/big", (req, res) -> res.header("Content-Type", "text/plain")
                        .sendString(Mono.just("m 1\n".repeat(500))))
                .get("/big-gzip", (req, res) -> res.header("Content-Type", "text/plain")
                        .header("Content-Encoding", "gzip").sendByteArray(Mono.just(gzip("m 1\n".repeat(500)))))
                .get("/missing", (req, res) -> res.status(404).sendString(Mono.just("nope")))
                .get("/broken", (req, res) -> res.status(500).send())
                .get("/redirect", (req, res) -> res.sendRedirect("/metrics"))
                .get("/together", (req, res) -> {
                    // answers only once TOGETHER requests are open at the same time
                    if (togetherArrived.incrementAndGet() == TOGETHER) {
                        allTogether.tryEmitEmpty();
                    }
                    return res.header("Content-Type", "text/plain")
                            .sendString(allTogether.asMono().then(Mono.just(BODY)));
                }))
                .bindNow();
        cert = new SelfSignedCertificate("localhost");
        tlsServer = HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(Http11SslContextSpec.forServer(cert.certificate(), cert.privateKey())))
                .route(r -> r.get("/metrics", (req, res) -> res.header("Content-Type", "text/plain")
                        .sendString(Mono.just(BODY))))
                .bindNow();
        client = ScrapeClient.create();
    }

    @AfterAll
    static void stop() {
        client.dispose();
        server.disposeNow();
        tlsServer.disposeNow();
        cert.delete();
    }

    static byte[] gzip(String s) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(s.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Target targetAt(DisposableServer s, String scheme, String path) {
        String hostPort = "127.0.0.1:" + s.port();
        return new Target("job", Labels.of("job", "job", "instance", hostPort), Labels.EMPTY,
                scheme + "://" + hostPort + path, Duration.ofSeconds(10), Duration.ofMillis(2500));
    }

    /** One fetch into a fresh buffer; emits the decoded body, nothing when the fetch emitted nothing. */
    static Mono<String> body(ScrapeFetcher job, Target t, long limit) {
        BodyBuffer buf = new BodyBuffer(new BufferPool(2, 1 << 20));
        buf.open(limit);
        return job.fetch(t, buf).map(contentType -> new String(buf.array(), 0, buf.length(), StandardCharsets.UTF_8));
    }

    /** Runs one fetch from the test thread and returns the decoded body. */
    static String fetch(ScrapeConfig cfg, Target t, long limit) {
        String body = body(client.forJob(cfg), t, limit).block(Duration.ofSeconds(30));
        assertThat(body).isNotNull();
        return body;
    }

    static DisposableServer http() {
        return server;
    }

    @Test
    void sendsPrometheusHeaders() {
        assertThat(fetch(new Cfg().build(), targetAt(http(), "http", "/metrics"), 0)).isEqualTo(BODY);
        HttpHeaders h = lastHeaders.get("/metrics");
        assertThat(h.get("Accept")).isEqualTo("application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,"
                + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
        assertThat(h.get("Accept-Encoding")).isEqualTo("gzip");
        assertThat(h.get("User-Agent")).startsWith("scrapeflux/");
        assertThat(h.get("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("2.5");
        assertThat(h.get("Authorization")).isNull();

        Cfg identity = new Cfg();
        identity.enableCompression = false;
        fetch(identity.build(), targetAt(http(), "http", "/metrics"), 0);
        assertThat(lastHeaders.get("/metrics").get("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void manyTargetsOnOneHostAreScrapedAtTheSameTime() {
        // as in Prometheus: 150 targets behind one host:port (a blackbox exporter, a proxy) each get their
        // own connection instead of queueing for a few and missing their intervals
        ScrapeFetcher job = client.forJob(new Cfg().build());
        List<String> bodies = Flux.range(0, TOGETHER)
                .flatMap(i -> body(job, targetAt(http(), "http", "/together?module=m" + i), 0), TOGETHER)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(bodies).hasSize(TOGETHER).containsOnly(BODY);
    }

    @Test
    void aTargetsScrapeStartsAndEndsOnTheThreadItsLoopTicksOn() {
        // Ticks on the thread that owns the target's connections hand nothing to another thread per scrape.
        ScrapeFetcher job = client.forJob(new Cfg().build());
        for (int i = 0; i < 8; i++) {
            Target t = targetAt(http(), "http", "/metrics?lane=" + i);
            Scheduler ticks = job.tickScheduler(t);
            assertThat(ticks).isNotNull();
            for (int scrape = 0; scrape < 2; scrape++) { // a new connection, then a pooled one
                AtomicReference<Thread> ticked = new AtomicReference<>();
                AtomicReference<Thread> answered = new AtomicReference<>();
                String b = Mono.defer(() -> {
                    ticked.set(Thread.currentThread());
                    return body(job, t, 0);
                }).subscribeOn(ticks).doOnNext(x -> answered.set(Thread.currentThread()))
                        .block(Duration.ofSeconds(30));
                assertThat(b).isEqualTo(BODY);
                assertThat(answered.get()).isSameAs(ticked.get());
            }
        }
    }

    @Test
    void keepsConnectionsAliveBetweenScrapes() {
        ScrapeClient own = ScrapeClient.create();
        try {
            ScrapeFetcher job = own.forJob(new Cfg().build());
            Target t = targetAt(http(), "http", "/metrics");
            clientAddresses.clear();
            for (int i = 0; i < 10; i++) {
                assertThat(body(job, t, 0).block(Duration.ofSeconds(30))).isEqualTo(BODY);
            }
            // the pool takes a connection back just after the response completes, so a request issued at
            // once may race it and open another; reuse is what must show
            assertThat(clientAddresses).hasSizeLessThan(10);
        } finally {
            own.dispose();
        }
    }

    @Test
    void decodesGzipBodies() {
        assertThat(fetch(new Cfg().build(), targetAt(http(), "http", "/gzip"), 0)).isEqualTo(BODY);
    }

    @Test
    void bodySizeLimitAppliesToDecodedBytes() {
        ScrapeConfig cfg = new Cfg().build();
        assertThat(fetch(cfg, targetAt(http(), "http", "/big"), 2001)).hasSize(2000);
        assertThatThrownBy(() -> fetch(cfg, targetAt(http(), "http", "/big"), 2000))
                .hasMessage("body size limit exceeded");
        // compresses to far below the limit, inflates over it
        assertThatThrownBy(() -> fetch(cfg, targetAt(http(), "http", "/big-gzip"), 1000))
                .hasMessage("body size limit exceeded");
        assertThat(fetch(cfg, targetAt(http(), "http", "/big-gzip"), 0)).hasSize(2000);
    }

    @Test
    void non200StatusFailsWithPrometheusWording() {
        ScrapeConfig cfg = new Cfg().build();
        assertThatThrownBy(() -> fetch(cfg, targetAt(http(), "http", "/missing"), 0))
                .hasMessage("server returned HTTP status 404 Not Found");
        assertThatThrownBy(() -> fetch(cfg, targetAt(http(), "http", "/broken"), 0))
                .hasMessage("server returned HTTP status 500 Internal Server Error");
    }

    @Test
    void followsRedirectsUnlessDisabled() {
        assertThat(fetch(new Cfg().build(), targetAt(http(), "http", "/redirect"), 0)).isEqualTo(BODY);
        Cfg noRedirects = new Cfg();
        noRedirects.http = http(null, null, null, false);
        assertThatThrownBy(() -> fetch(noRedirects.build(), targetAt(http(), "http", "/redirect"), 0))
                .hasMessage("server returned HTTP status 302 Found");
    }

    @Test
    void sendsBasicAuth() throws IOException {
        Cfg cfg = new Cfg();
        cfg.http = http(new BasicAuth("user", null, Secret.of("pass"), null), null, null, true);
        fetch(cfg.build(), targetAt(http(), "http", "/metrics"), 0);
        assertThat(lastHeaders.get("/metrics").get("Authorization")).isEqualTo("Basic dXNlcjpwYXNz");

        Path password = Files.writeString(tmp.resolve("password"), "filepass\n");
        cfg.http = http(new BasicAuth("user", null, null, password.toString()), null, null, true);
        fetch(cfg.build(), targetAt(http(), "http", "/metrics"), 0);
        assertThat(lastHeaders.get("/metrics").get("Authorization")).isEqualTo("Basic dXNlcjpmaWxlcGFzcw==");
    }

    @Test
    void sendsBearerTokenAndRereadsItsFileOnEveryScrape() throws IOException {
        Cfg cfg = new Cfg();
        cfg.http = http(null, new Authorization("Bearer", Secret.of("t0k3n"), null), null, true);
        fetch(cfg.build(), targetAt(http(), "http", "/metrics"), 0);
        assertThat(lastHeaders.get("/metrics").get("Authorization")).isEqualTo("Bearer t0k3n");

        Path token = Files.writeString(tmp.resolve("token"), "first\n");
        cfg.http = http(null, new Authorization("Bearer", null, token.toString()), null, true);
        ScrapeConfig built = cfg.build();
        ScrapeFetcher job = client.forJob(built);
        Target t = targetAt(http(), "http", "/metrics");
        BodyBuffer buf = new BodyBuffer(new BufferPool(2, 1 << 20));
        buf.open(0);
        job.fetch(t, buf).block(Duration.ofSeconds(30));
        assertThat(lastHeaders.get("/metrics").get("Authorization")).isEqualTo("Bearer first");
        Files.writeString(token, "rotated");
        buf.open(0);
        job.fetch(t, buf).block(Duration.ofSeconds(30));
        assertThat(lastHeaders.get("/metrics").get("Authorization")).isEqualTo("Bearer rotated");
    }

    @Test
    void verifiesTlsAgainstTheConfiguredCa() {
        Target t = targetAt(tlsServer, "https", "/metrics");
        Cfg trusted = new Cfg();
        trusted.scheme = "https";
        trusted.http = http(null, null, new TlsConfig(cert.certificate().getPath(), null, null, null, null, null,
                "localhost", false, "TLS12", null), true);
        assertThat(fetch(trusted.build(), t, 0)).isEqualTo(BODY);

        Cfg wrongName = new Cfg();
        wrongName.scheme = "https";
        wrongName.http = http(null, null, new TlsConfig(cert.certificate().getPath(), null, null, null, null, null,
                "not-localhost", false, null, null), true);
        assertThatThrownBy(() -> fetch(wrongName.build(), t, 0)).hasRootCauseInstanceOf(CertificateException.class);

        Cfg untrusted = new Cfg();
        untrusted.scheme = "https";
        assertThatThrownBy(() -> fetch(untrusted.build(), t, 0)).hasStackTraceContaining("PKIX path building failed");

        Cfg insecure = new Cfg();
        insecure.scheme = "https";
        insecure.http = http(null, null, new TlsConfig(null, null, null, null, null, null, null, true, null, null), true);
        assertThat(fetch(insecure.build(), t, 0)).isEqualTo(BODY);
    }

    @Test
    void tlsVersionsFollowMinAndMax() {
        assertThat(ScrapeClient.protocols("TLS12", null)).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(ScrapeClient.protocols("TLS10", "TLS11")).containsExactly("TLSv1", "TLSv1.1");
        assertThat(ScrapeClient.protocols(null, null)).isEmpty();
        assertThat(ScrapeClient.seconds(Duration.ofSeconds(10))).isEqualTo("10");
        assertThat(ScrapeClient.seconds(Duration.ofMillis(500))).isEqualTo("0.5");
    }

    static HttpClientConfig http(BasicAuth basic, Authorization auth, TlsConfig tls, boolean followRedirects) {
        return new HttpClientConfig(basic, auth, null, tls == null ? TlsConfig.DEFAULT : tls, null, null, false,
                Map.of(), followRedirects, true, Map.of());
    }
}
