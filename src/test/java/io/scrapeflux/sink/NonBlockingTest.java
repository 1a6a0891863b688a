package io.scrapeflux.sink;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.scrapeflux.sink.RemoteWriteTesting.await;
import static io.scrapeflux.sink.WireFormat.batch;
import static io.scrapeflux.sink.WireFormat.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Schedulers;

/** Sinks are called from Reactor parallel threads and complete on Netty threads: BlockHound must stay quiet. */
class NonBlockingTest {

    @TempDir
    Path storage;

    @Test
    void remoteWriteNeverBlocksCallerOrEventLoopThreads() throws Exception {
        BlockHound.install();
        List<Throwable> dropped = Collections.synchronizedList(new ArrayList<>());
        Hooks.onErrorDropped(dropped::add);
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.stubFor(post(urlEqualTo("/w")).willReturn(aResponse().withStatus(204)));
        server.start();
        RemoteWriteSink sink = RemoteWriteSink.start(RemoteWriteTesting.config("http://127.0.0.1:" + server.port() + "/w",
                "bh", RemoteWriteTesting.queue(2, 5), Map.of()), Map.of(), null, RemoteWriteSink.Options.defaults(storage));
        try {
            Flux<ScrapeBatch> batches = Flux.range(0, 20)
                    .map(i -> batch(i, row(Labels.of("__name__", "m", "i", "" + (i % 3)), i, (long) i)))
                    .publishOn(Schedulers.parallel());
            sink.consume(batches).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(60));
            await("sent", () -> sink.metrics().samplesSent.get() == 20);
            assertThat(dropped).isEmpty();
        } finally {
            sink.shutdown().block(Duration.ofSeconds(30));
            server.stop();
            Hooks.resetOnErrorDropped();
        }
    }

    @Test
    void stdoutSinkPrintsEverySampleInOrder() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StdoutSink sink = new StdoutSink(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        sink.consume(Flux.range(0, 3).map(i -> batch(i, row(Labels.of("__name__", "x", "n", "" + i), i, (long) i))))
                .publishOn(Schedulers.parallel()).block(Duration.ofSeconds(30));
        sink.shutdown().block(Duration.ofSeconds(30));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("x{n=\"0\"} 0 0", "x{n=\"1\"} 1 1", "x{n=\"2\"} 2 2");
    }
}
