package io.scrapeflux.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.scrapeflux.config.DnsSdConfig;
import io.scrapeflux.config.FileSdConfig;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.HttpSdConfig;
import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.discovery.dns.DnsTestServers;
import io.scrapeflux.discovery.file.FileDiscoverer;
import io.scrapeflux.discovery.http.HttpDiscoverer;
import io.scrapeflux.discovery.dns.DnsDiscoverer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.HttpResources;

/**
 * The {@link Discoverer} contract, run against every mechanism: the first element is the full state, a source that
 * disappears is sent as an empty group, and cancelling releases what the discoverer held.
 */
class DiscovererContractTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void quietLogs() {
        Await.blockHound();
    }

    @Test
    void blockHoundGuardsReactorThreads() {
        // The http and dns checks below only mean something if blocking on a Reactor thread is caught.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reactor.core.publisher.Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return 1;
                }).subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block(Duration.ofSeconds(30)))
                .hasMessageContaining("Blocking call");
    }

    @Test
    void staticConfig() {
        Discoverer d = new StaticDiscoverer(new StaticConfig(List.of("a:1", "b:1"), Map.of()));
        List<List<TargetGroup>> received = d.discover().collectList().block(Duration.ofSeconds(5));
        // One group per static entry; nothing is held, so there is nothing to release or remove.
        assertThat(received).singleElement().satisfies(groups -> assertThat(groups).singleElement()
                .satisfies(g -> assertThat(g.targets()).hasSize(2)));
        assertThat(new StaticDiscoverer(new StaticConfig(List.of(), Map.of())).discover().blockFirst()).isEmpty();
    }

    @Test
    void fileSd() throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "[{\"targets\": [\"a:1\"]}, {\"targets\": [\"b:1\"]}]");
        FileDiscoverer d = new FileDiscoverer(new FileSdConfig(List.of(file.toString()), INTERVAL),
                FailureReporter.NONE, Duration.ofMillis(20), FileDiscoverer.FileReader.DEFAULT);
        DiscovererContract.verify(new DiscovererContract.Fixture(d, file + ":1", () -> {
            try {
                Files.writeString(file, "[{\"targets\": [\"a:1\"]}]");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, () -> d.openWatches() == 0));
    }

    @Test
    void httpSd() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.port() + "/sd";
            respond(server, "[{\"targets\": [\"a:1\"]}, {\"targets\": [\"b:1\"]}]");
            PollClock time = new PollClock();
            Discoverer d = new HttpDiscoverer(new HttpSdConfig(url, INTERVAL, HttpClientConfig.DEFAULT),
                    FailureReporter.NONE, BACKOFF, time);
            DiscovererContract.verify(new DiscovererContract.Fixture(d, url + ":1", () -> {
                respond(server, "[{\"targets\": [\"a:1\"]}]");
                time.advanceAfterTimers(2, INTERVAL);
            }, () -> time.pending() == 0));
        } finally {
            server.stop();
        }
    }

    @Test
    void dnsSd() throws Exception {
        try (var server = DnsTestServers.start()) {
            server.setA("one.test", "10.0.0.1");
            server.setA("two.test", "10.0.0.2");
            PollClock time = new PollClock();
            Discoverer d = new DnsDiscoverer.Factory(HttpResources.get(),
                    new SingletonDnsServerAddressStreamProvider(server.address()), Duration.ofSeconds(5), BACKOFF,
                    time).create(new DnsSdConfig(List.of("one.test", "two.test"), "A", 80, INTERVAL),
                    FailureReporter.NONE);
            DiscovererContract.verify(new DiscovererContract.Fixture(d, "two.test", () -> {
                server.setNxdomain("two.test", DnsRecordType.A);
                time.advanceAfterTimers(2, INTERVAL);
            }, () -> time.pending() == 0));
        }
    }

    private static void respond(WireMockServer server, String body) {
        server.stubFor(get(urlEqualTo("/sd")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }
}
