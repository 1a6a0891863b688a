package io.scrapeflux.discovery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.HttpSdConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import io.scrapeflux.discovery.Await;
import io.scrapeflux.discovery.LoopbackApiTest;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import reactor.core.Disposable;

/** The poll loop runs on virtual time; each poll is a real request to WireMock on loopback. */
class HttpDiscovererTest extends LoopbackApiTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final String BODY = """
            [{"targets": ["h1:80", "h2:80"], "labels": {"env": "prod"}}, {"targets": ["h3:80"]}]""";

    private final io.scrapeflux.discovery.RecordingFailures reporter = new io.scrapeflux.discovery.RecordingFailures();
    private final List<Throwable> failures = reporter.failures;

    @TempDir
    Path dir;

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/sd";
    }

    private void respond(int status, String contentType, String body) {
        server.stubFor(get(urlEqualTo("/sd")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(body)));
    }

    private HttpDiscoverer discoverer(HttpClientConfig http) {
        return new HttpDiscoverer(new HttpSdConfig(url(), INTERVAL, http), reporter,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time);
    }

    private static List<String> addresses(TargetGroup g) {
        return g.targets().stream().map(t -> t.get("__address__")).toList();
    }

    @Test
    void readsGroupsWithUrlSourcesAndMetaLabel() {
        respond(200, "application/json; charset=utf-8", BODY);
        String url = url();
        StepVerifier.create(discoverer(HttpClientConfig.DEFAULT).discover())
                .assertNext(groups -> {
                    assertThat(groups).extracting(TargetGroup::source).containsExactly(url + ":0", url + ":1");
                    assertThat(addresses(groups.get(0))).containsExactly("h1:80", "h2:80");
                    assertThat(groups.get(0).labels()).isEqualTo(Labels.of("env", "prod", "__meta_url", url));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(90));
        server.verify(getRequestedFor(urlEqualTo("/sd"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("X-Prometheus-Refresh-Interval-Seconds", equalTo("30")));
    }

    @Test
    void failuresKeepTheLastGoodStateAndRetryWithBackoff() {
        respond(200, "application/json", BODY);
        String url = url();
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer(HttpClientConfig.DEFAULT).discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        assertThat(received.get(0)).hasSize(2);

        // Every attempt registers two timers: its timeout, then the delay before the next attempt.
        respond(503, "text/plain", "down");
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> failures.size() == 1);
        respond(200, "text/html", BODY);
        time.advanceAfterTimers(4, Duration.ofSeconds(1));
        Await.until(() -> failures.size() == 2);
        respond(200, "application/json", "[{\"targets\": [\"h1:80\"]");
        time.advanceAfterTimers(6, Duration.ofSeconds(2));
        Await.until(() -> failures.size() == 3);
        respond(200, "application/json", "[{\"targets\": [\"h1:80\"], \"labels\": {\"\": \"v\"}}]");
        time.advanceAfterTimers(8, Duration.ofSeconds(4));
        Await.until(() -> failures.size() == 4);
        respond(200, "application/json", "[null]");
        time.advanceAfterTimers(10, Duration.ofSeconds(8));
        Await.until(() -> failures.size() == 5);
        // Slow: the refresh times out after one interval.
        server.stubFor(get(urlEqualTo("/sd")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]").withFixedDelay(2_000)));
        time.advanceAfterTimers(12, Duration.ofSeconds(16));
        Await.until(() -> server.getAllServeEvents().size() == 7);
        time.advanceAfterTimers(13, INTERVAL);
        Await.until(() -> failures.size() == 6);
        assertThat(received).hasSize(1);

        respond(200, "application/json", "[{\"targets\": [\"h9:80\"]}]");
        time.advanceAfterTimers(14, Duration.ofSeconds(30));
        Await.until(() -> received.size() == 2);
        List<TargetGroup> changes = received.get(1);
        assertThat(changes).hasSize(2);
        assertThat(addresses(changes.get(0))).containsExactly("h9:80");
        assertThat(changes.get(1)).isEqualTo(TargetGroup.removed(url + ":1"));
        run.dispose();

        assertThat(failures.get(0)).hasMessageContaining("503");
        assertThat(failures.get(1)).hasMessageContaining("unsupported content type \"text/html\"");
        assertThat(failures.get(2)).hasMessageContaining("invalid JSON");
        assertThat(failures.get(3)).hasMessageContaining("not a valid label name");
        assertThat(failures.get(4)).hasMessageContaining("null");
        assertThat(failures.get(5)).isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    @Test
    void sendsBasicAuthAndReReadsTheBearerFileEveryPoll() throws Exception {
        respond(200, "application/json", "[]");
        Path token = dir.resolve("token");
        Files.writeString(token, "t1\n");
        HttpClientConfig bearer = new HttpClientConfig(null, new Authorization("Bearer", null, token.toString()),
                null, TlsConfig.DEFAULT, null, null, false, Map.of(), true, true,
                Map.of("X-Custom", List.of(Secret.of("c"))));
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer(bearer).discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        Files.writeString(token, "t2");
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> server.getAllServeEvents().size() == 2);
        run.dispose();
        server.verify(getRequestedFor(urlEqualTo("/sd")).withHeader("Authorization", equalTo("Bearer t1"))
                .withHeader("X-Custom", equalTo("c")));
        server.verify(getRequestedFor(urlEqualTo("/sd")).withHeader("Authorization", equalTo("Bearer t2")));

        server.resetRequests();
        HttpClientConfig basic = new HttpClientConfig(new BasicAuth("user", null, Secret.of("pass"), null), null,
                null, TlsConfig.DEFAULT, null, null, false, Map.of(), true, true, Map.of());
        StepVerifier.create(discoverer(basic).discover())
                .expectNextCount(1)
                .thenCancel()
                .verify(Duration.ofSeconds(90));
        server.verify(getRequestedFor(urlEqualTo("/sd"))
                .withHeader("Authorization", equalTo("Basic dXNlcjpwYXNz")));
    }

    private static HttpClientConfig http(TlsConfig tls, String proxyUrl) {
        return new HttpClientConfig(null, null, null, tls, proxyUrl, null, false, Map.of(), true, true, Map.of());
    }

    @Test
    void tlsVerifiesTheServerUnlessInsecureSkipVerify() {
        WireMockServer tlsServer = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true)
                .dynamicHttpsPort());
        tlsServer.start();
        try {
            tlsServer.stubFor(get(urlEqualTo("/sd")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(BODY)));
            String url = "https://127.0.0.1:" + tlsServer.httpsPort() + "/sd";

            // WireMock's certificate is self-signed: verification fails, the failure is reported.
            Disposable strict = new HttpDiscoverer(new HttpSdConfig(url, INTERVAL, http(TlsConfig.DEFAULT, null)),
                    reporter, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time).discover()
                    .subscribe();
            Await.until(() -> !failures.isEmpty());
            strict.dispose();

            TlsConfig insecure = new TlsConfig(null, null, null, null, null, null, null, true, null, null);
            List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
            Disposable run = new HttpDiscoverer(new HttpSdConfig(url, INTERVAL, http(insecure, null)), reporter,
                    new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time).discover()
                    .subscribe(received::add);
            Await.until(() -> received.size() == 1);
            run.dispose();
            assertThat(received.get(0)).hasSize(2);
        } finally {
            tlsServer.stop();
        }
    }

    @Test
    void requestsGoThroughTheProxy() {
        respond(200, "application/json", BODY);
        // The target host is never resolved: the proxy (WireMock on loopback) receives the absolute URL.
        String url = "http://sd.example.invalid/sd";
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = new HttpDiscoverer(new HttpSdConfig(url, INTERVAL,
                http(TlsConfig.DEFAULT, "http://127.0.0.1:" + server.port())), reporter,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time).discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        run.dispose();
        assertThat(received.get(0)).extracting(TargetGroup::source).containsExactly(url + ":0", url + ":1");
        server.verify(getRequestedFor(urlEqualTo("/sd")));
    }
}
