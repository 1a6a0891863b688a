package io.scrapeflux.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.scrapeflux.sink.RemoteWriteTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.scrapeflux.config.RemoteWriteConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage scenario at sink level: the receiver goes down, the process is SIGKILLed during the
 * outage, a new process starts on the same storage, the receiver comes back: every sample the killed
 * process accepted reaches the receiver exactly once (counting only requests the receiver accepted).
 */
class RemoteWriteKillTest {

    private static final String PATH = "/api/v1/write";

    @TempDir
    Path storage;

    private WireMockServer server;
    private Process child;
    private RemoteWriteSink restarted;

    static RemoteWriteConfig config(String url) {
        // one shard: once a failure is processed, every earlier acknowledgement has been committed
        return RemoteWriteTesting.config(url, "kill", RemoteWriteTesting.queue(1, 50), Map.of());
    }

    private long acceptedSamples() {
        long n = 0;
        for (ServeEvent e : server.getAllServeEvents()) {
            if (e.getResponse().getStatus() == 204) {
                n += WireFormat.decodeCompressed(e.getRequest().getBody()).size();
            }
        }
        return n;
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (restarted != null) {
            restarted.shutdown().block(Duration.ofSeconds(30));
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void sigkillDuringOutageThenRestartDeliversEverySampleExactlyOnce() throws Exception {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(204)));
        String url = "http://127.0.0.1:" + server.port() + PATH;

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String logback = Path.of(RemoteWriteKillTest.class.getResource("/sink/logback-child.xml").toURI()).toString();
        child = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
                RemoteWriteChild.class.getName(), storage.toString(), url))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long accepted = -1;
        long failed = 0;
        long sent = 0;
        boolean outage = false;
        StubMapping outageStub = null;
        long acceptedAtOutage = 0;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("A ")) {
                accepted = Long.parseLong(line.substring(2));
            } else if (line.startsWith("F ")) {
                failed = Long.parseLong(line.substring(2));
            } else if (line.startsWith("S ")) {
                sent = Long.parseLong(line.substring(2));
            }
            if (!outage && sent >= 500) {
                // A higher-priority stub: swapping stubs would leave a moment without any (404 = dropped).
                outageStub = server.stubFor(post(urlEqualTo(PATH)).atPriority(1)
                        .willReturn(aResponse().withStatus(503)));
                outage = true;
                acceptedAtOutage = accepted;
            }
            if (outage && failed >= 2 && accepted >= acceptedAtOutage + 500) {
                break;
            }
        }
        child.destroyForcibly(); // SIGKILL during the outage
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(outage).isTrue();
        long lastAccepted = accepted;

        server.removeStub(outageStub); // receiver back; the journal holds what it accepted before the outage
        long acceptedByReceiverBeforeKill = acceptedSamples();
        restarted = RemoteWriteSink.start(config(url), Map.of("replica", "child"), null,
                RemoteWriteSink.Options.defaults(storage));
        await("backlog drained", () -> restarted.metrics().samplesSent.get() > 0
                && restarted.metrics().samplesPending.get() == 0);

        // Everything the receiver accepted, before and after the kill. Requests answered 503 do not count.
        Map<Long, Integer> counts = new HashMap<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            if (e.getResponse().getStatus() == 204) {
                for (WireFormat.Received x : WireFormat.decodeCompressed(e.getRequest().getBody())) {
                    counts.merge((long) x.value(), 1, Integer::sum);
                    assertThat(x.get("replica")).isEqualTo("child");
                    assertThat(x.timestampMs()).isEqualTo(1_000_000L + (long) x.value());
                }
            }
        }
        List<Long> dup = new ArrayList<>();
        counts.forEach((k, c) -> {
            if (c > 1) {
                dup.add(k);
            }
        });
        assertThat(dup).as("samples received twice").isEmpty();
        long max = counts.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(max).as("every accepted sample arrived").isGreaterThanOrEqualTo(lastAccepted);
        System.out.printf("kill test: acceptedBefore=%d restartedSent=%d distinct=%d max=%d lastAccepted=%d total204=%d%n",
                acceptedByReceiverBeforeKill, restarted.metrics().samplesSent.get(), counts.size(), max, lastAccepted,
                acceptedSamples());
        assertThat(restarted.metrics().samplesSent.get()).as("the restart sent only what was not acknowledged")
                .isEqualTo(max + 1 - acceptedByReceiverBeforeKill);
        assertThat(acceptedByReceiverBeforeKill).isPositive();
        assertThat(counts).as("0..max, no gap").hasSize((int) (max + 1));
    }
}
