package io.scrapeflux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Debian {@code prometheus} binary as a remote-write receiver for integration tests: started on
 * 127.0.0.1 with {@code --web.enable-remote-write-receiver}, a TSDB and a scrape-nothing config under a
 * work directory. Starting again with the same directory and port resumes the same TSDB (an outage).
 */
public final class PrometheusProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration READY_BOUND = Duration.ofSeconds(120);

    private final Path workDir;
    private final int port;
    private final Process process;

    private PrometheusProcess(Path workDir, int port, Process process) {
        this.workDir = workDir;
        this.port = port;
        this.process = process;
    }

    /** Skips the calling test, saying why, when the binary is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY),
                "skipped: " + BINARY + " not installed (apt-get install prometheus; .ci/run installs it)");
    }

    /** A loopback port free right now (the usual small race with other processes is accepted in tests). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts Prometheus on {@code 127.0.0.1:port} with its TSDB in {@code workDir/tsdb} and waits until it is
     * ready. The log is appended to {@code workDir/prometheus.log} (restarts keep the earlier lines).
     */
    public static PrometheusProcess start(Path workDir, int port) throws IOException {
        Files.createDirectories(workDir);
        Path cfg = workDir.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  scrape_interval: 1m\n");
        Process p = new ProcessBuilder(BINARY.toString(), "--config.file=" + cfg,
                "--storage.tsdb.path=" + workDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("prometheus.log").toFile()))
                .start();
        PrometheusProcess prom = new PrometheusProcess(workDir, port, p);
        try {
            prom.awaitReady();
        } catch (IOException | RuntimeException | Error e) {
            prom.close();
            throw e;
        }
        return prom;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("prometheus not ready on port " + port + " within " + READY_BOUND + ": "
                        + log());
            }
            sleep(50);
        }
    }

    public int port() {
        return port;
    }

    /** The remote-write receiver's URL. */
    public String writeUrl() {
        return "http://127.0.0.1:" + port + "/api/v1/write";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException {
        return LoopbackHttp.get(port, pathAndQuery);
    }

    /** {@code /api/v1/query} at {@code timeMs}; returns {@code data.result}, failing on a non-200 answer. */
    public JsonNode query(String promql, long timeMs) throws IOException {
        HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + (timeMs / 1000.0));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("data").get("result");
    }

    /** Everything Prometheus logged in this work directory so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(workDir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM and wait for a clean exit (TSDB closed, lock released); SIGKILL if it hangs. Idempotent. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
