package io.scrapeflux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> request(int port, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(java.time.Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AgentOptions options(Path config, boolean lifecycle, Path storage) {
        return new AgentOptions(config, new InetSocketAddress("127.0.0.1", 0), lifecycle, storage);
    }

    @Test
    void embeddedDefaultScrapesScrapefluxItself() throws ConfigException {
        var c = ConfigLoader.loadEmbeddedDefault();
        assertThat(c.source()).isEqualTo(ConfigLoader.EMBEDDED_SOURCE);
        assertThat(c.job("scrapeflux").sdConfigs().toString()).contains("localhost:9090");
    }

    @Test
    void startsServesAndStops(@TempDir Path dir) throws Exception {
        Agent agent = new Agent(options(null, false, dir), ConfigLoader.loadEmbeddedDefault());
        agent.start();
        try {
            assertThat(agent.isReady()).isTrue();
            assertThat(request(agent.port(), "GET", "/metrics").body()).contains("jvm_memory_used_bytes");
            assertThat(request(agent.port(), "GET", "/-/ready").statusCode()).isEqualTo(200);
            assertThat(request(agent.port(), "POST", "/-/quit").statusCode()).isEqualTo(403);
        } finally {
            agent.stop();
        }
        assertThat(agent.isReady()).isFalse();
        agent.stop(); // idempotent
        agent.awaitTermination();
    }

    @Test
    void reloadKeepsTheOldConfigWhenTheNewOneIsInvalid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, "scrape_configs:\n  - job_name: one\n");
        Agent agent = new Agent(options(file, true, dir), ConfigLoader.load(file));
        agent.start();
        try {
            Files.writeString(file, "scrape_configs:\n  - job_name: two\n");
            assertThat(request(agent.port(), "POST", "/-/reload").statusCode()).isEqualTo(200);
            assertThat(agent.config().job("two")).isNotNull();

            Files.writeString(file, "scrape_configs:\n  - job_name: three\n    bogus: 1\n");
            HttpResponse<String> failed = request(agent.port(), "POST", "/-/reload");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("field bogus not found");
            assertThat(agent.config().job("two")).isNotNull();
            assertThatThrownBy(agent::reloadConfig).isInstanceOf(ConfigException.class);
        } finally {
            agent.stop();
        }
    }

    @Test
    void quitEndpointStopsTheAgentWhenLifecycleIsEnabled(@TempDir Path dir) throws Exception {
        Agent agent = new Agent(options(null, true, dir), ConfigLoader.loadEmbeddedDefault());
        agent.start();
        assertThat(request(agent.port(), "POST", "/-/quit").statusCode()).isEqualTo(200);
        agent.awaitTermination();
        assertThat(agent.isReady()).isFalse();
    }

    @Test
    void portInUseFailsStart(@TempDir Path dir) throws IOException, ConfigException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Agent agent = new Agent(new AgentOptions(null, new InetSocketAddress("127.0.0.1", taken.getLocalPort()), false, dir),
                    ConfigLoader.loadEmbeddedDefault());
            assertThatThrownBy(agent::start).isInstanceOf(RuntimeException.class);
            agent.stop();
        }
    }
}
