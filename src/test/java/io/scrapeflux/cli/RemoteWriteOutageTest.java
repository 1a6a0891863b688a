package io.scrapeflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.testing.LoopbackHttp;
import io.scrapeflux.testing.PrometheusProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * The outage scenario end to end, with real processes: the {@code scrapeflux} agent (a child JVM
 * running {@link Main}) scrapes a counter and remote-writes it into a real Prometheus (the Debian binary,
 * skipped when absent). The receiver is stopped for 30 s; 15 s into the outage the agent is SIGKILLed and
 * started again on the same {@code --storage.path}; then the receiver comes back on the same port and TSDB.
 *
 * <h2>What the agent promises, and what is asserted</h2>
 * The target is a counter that goes up by one on every scrape request, so each value the target served
 * identifies one scrape. A sample is <em>taken</em> once its scrape batch has been appended to the
 * remote-write disk queue; the agent reports that by raising
 * {@code scrapeflux_remote_storage_highest_timestamp_in_seconds} to the batch's timestamp (the scrape's
 * start time). Taken samples survive SIGKILL. A scrape whose batch was not appended yet when the process
 * died may be lost, just as Prometheus loses samples that were not in its WAL yet.
 *
 * <p>Right before the SIGKILL the test reads that high-water mark {@code H} from the agent's
 * {@code /metrics}. A value served at wall-clock time {@code <= H} was scraped at or before {@code H}
 * (the scrape timestamp is taken before the request is sent, on the same clock) and, scrapes of one
 * target being appended in order, was taken. Then, in the receiver, for the counter series:
 * <ul>
 *   <li>no value appears twice and no two samples share a timestamp (exactly once), values rise with
 *       their timestamps, and every value is one the target served;</li>
 *   <li>every served value is present, except values served after {@code H} by the agent that was
 *       killed — the scrapes in flight at the kill. There may be at most {@value #MAX_LOST_AT_KILL} of
 *       them, each served within {@link #LOST_WINDOW} (2 s: one scrape interval plus slack for the
 *       parse-and-append latency on a loaded machine) before the kill; reading {@code H} and the kill are
 *       back to back;</li>
 *   <li>the only other excuse is a scrape the agent itself recorded as failed ({@code up == 0}, e.g. the
 *       cold first scrape timing out) that started before the value was served while the agent's next
 *       scrape started after it; at most three such;</li>
 *   <li>the receiver refused nothing (an out-of-order resend would be refused with 400 and dropped) and
 *       the disk budget dropped nothing.</li>
 * </ul>
 * Values served after the final snapshot (taken once the receiver is back, before the graceful stop) are
 * only checked for uniqueness.
 */
class RemoteWriteOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration KILL_AFTER = Duration.ofSeconds(15);
    /** Generous: the machine has two shared cores; the bound only turns a hang into a failure. */
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final int MAX_LOST_AT_KILL = 2;
    private static final Duration LOST_WINDOW = Duration.ofSeconds(2);
    private static final long SCRAPE_TIMEOUT_MS = 1000;
    private static final String SERIES = "outage_counter_total{job=\"outage\"}";

    /** One scrape request the target answered: the counter value it served, and when. */
    private record Served(long value, long wallMs, long nanos) {
    }

    @TempDir
    Path tmp;

    private final AtomicLong counter = new AtomicLong();
    private final ConcurrentLinkedQueue<Served> served = new ConcurrentLinkedQueue<>();
    private DisposableServer target;
    private PrometheusProcess receiver;
    private Process agent;
    private int agentPort;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (receiver != null) {
            receiver.close();
        }
        if (target != null) {
            target.disposeNow(Duration.ofSeconds(10));
        }
    }

    @Test
    void receiverOutageWithSigkillAndRestartDeliversEveryTakenSampleExactlyOnce() throws Exception {
        PrometheusProcess.assumeInstalled();
        target = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/metrics", (req, res) -> {
                    long v = counter.incrementAndGet();
                    served.add(new Served(v, System.currentTimeMillis(), System.nanoTime()));
                    return res.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                            .sendString(Mono.just("# HELP outage_counter_total Scrapes served.\n"
                                    + "# TYPE outage_counter_total counter\noutage_counter_total " + v + "\n"))
                            .then();
                }))
                .bindNow(Duration.ofSeconds(30));
        Path promDir = tmp.resolve("prometheus");
        int promPort = PrometheusProcess.freePort();
        receiver = PrometheusProcess.start(promDir, promPort);
        agentPort = PrometheusProcess.freePort();
        Path storage = tmp.resolve("agent-data");
        Path config = tmp.resolve("agent.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: %dms
                scrape_configs:
                  - job_name: outage
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: %s
                    name: outage
                    queue_config:
                      batch_send_deadline: 1s
                      min_backoff: 100ms
                      max_backoff: 1s
                """.formatted(SCRAPE_TIMEOUT_MS, target.port(), receiver.writeUrl()));

        // 1. Steady state: scraped samples reach the receiver.
        agent = startAgent(config, storage);
        await("first samples in the receiver", () -> samples().size() >= 3);

        // 2. Outage: the receiver stops; the agent keeps scraping into its disk queue.
        receiver.close();
        long outageStart = System.nanoTime();
        double failedBefore = agentMetric("scrapeflux_remote_storage_requests_failed_total");
        double inBefore = agentMetric("scrapeflux_remote_storage_samples_in_total");
        await("the agent notices the outage and keeps queueing",
                () -> agentMetric("scrapeflux_remote_storage_requests_failed_total") > failedBefore
                        && agentMetric("scrapeflux_remote_storage_samples_in_total") > inBefore);
        sleepUntil(outageStart + KILL_AFTER.toNanos());

        // 3. SIGKILL midway, right after reading what the agent has taken.
        long takenUpToMs = (long) (agentMetric("scrapeflux_remote_storage_highest_timestamp_in_seconds") * 1000);
        long killNanos = System.nanoTime();
        agent.destroyForcibly();
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("agent killed").isTrue();
        long servedBeforeRestart = counter.get();
        assertThat(takenUpToMs).as("the killed agent had taken samples").isPositive();

        // 4. Restart on the same storage while the receiver is still away; it must queue behind the spool.
        agent = startAgent(config, storage);
        await("the restarted agent scrapes during the outage", () -> counter.get() >= servedBeforeRestart + 2
                && agentMetric("scrapeflux_remote_storage_samples_pending") > 0);
        assertThat(System.nanoTime() - outageStart).as("restart happened during the outage")
                .isLessThan(OUTAGE.toNanos());
        sleepUntil(outageStart + OUTAGE.toNanos());

        // 5. The receiver comes back (same port, same TSDB) and the queue drains.
        long outageEnd = System.nanoTime();
        receiver = PrometheusProcess.start(promDir, promPort);
        long snapshot = counter.get();
        // The queue is FIFO and keeps each series in order: once the snapshot's value has arrived, the whole
        // spool before it has been sent (or refused, which is checked next). The pending gauge is no signal
        // here: new scrapes keep it above zero most of the time.
        await("the receiver has every value up to " + snapshot, () -> maxValue(samples()) >= snapshot);
        assertThat(agentMetric("scrapeflux_remote_storage_samples_failed_total")).as("samples refused by the receiver")
                .isZero();
        assertThat(agentMetric("scrapeflux_remote_storage_samples_dropped_total")).as("samples dropped (disk budget)")
                .isZero();
        agent.destroy(); // SIGTERM: graceful stop
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("agent stops on SIGTERM").isTrue();
        assertThat(agent.exitValue()).as("agent exit code; log:\n%s", agentLog()).isZero();

        // 6. Exactly once, and nothing taken is missing.
        List<long[]> samples = samples(); // [timestampMs, value], in timestamp order
        Map<Long, Long> timestampByValue = new TreeMap<>();
        long lastTs = Long.MIN_VALUE;
        long lastValue = Long.MIN_VALUE;
        for (long[] s : samples) {
            assertThat(timestampByValue.put(s[1], s[0])).as("value %d appears twice", s[1]).isNull();
            assertThat(s[0]).as("timestamps unique and ordered").isGreaterThan(lastTs);
            assertThat(s[1]).as("values rise with their timestamps").isGreaterThan(lastValue);
            assertThat(s[1]).as("only values the target served").isBetween(1L, counter.get());
            lastTs = s[0];
            lastValue = s[1];
        }
        // The agent's own failed scrapes (up == 0) as [start, start of the agent's next scrape).
        List<long[]> failedScrapes = new ArrayList<>();
        List<long[]> up = samples("up{job=\"outage\"}");
        for (int i = 0; i < up.size(); i++) {
            if (up.get(i)[1] == 0) {
                long start = up.get(i)[0];
                long next = i + 1 < up.size() ? up.get(i + 1)[0] : start + 2 * SCRAPE_TIMEOUT_MS;
                failedScrapes.add(new long[] {start, next});
            }
        }
        List<Served> lostAtKill = new ArrayList<>();
        List<Served> failed = new ArrayList<>();
        List<Served> missing = new ArrayList<>();
        int outageSamples = 0;
        for (Served s : served) {
            if (s.value() > snapshot) {
                continue;
            }
            if (s.nanos() > outageStart && s.nanos() < outageEnd && timestampByValue.containsKey(s.value())) {
                outageSamples++;
            }
            if (timestampByValue.containsKey(s.value())) {
                continue;
            }
            if (s.value() <= servedBeforeRestart && s.wallMs() > takenUpToMs) {
                lostAtKill.add(s);
            } else if (excusedByFailedScrape(failedScrapes, s)) {
                failed.add(s);
            } else {
                missing.add(s);
            }
        }
        long killAtMs = (killNanos - outageStart) / 1_000_000;
        System.out.printf("outage test: served=%d inReceiver=%d snapshot=%d deliveredFromOutage=%d failedScrapes=%d"
                + " killAt=+%dms takenUpTo=%d lostAtKill=%s%n", counter.get(), samples.size(), snapshot,
                outageSamples, failed.size(), killAtMs, takenUpToMs, lostAtKill);
        assertThat(missing).as("served, taken and not in the receiver (kill at +%d ms into the outage, taken up to"
                + " %d ms; up samples %s; counter samples %s)", killAtMs, takenUpToMs, describe(up), describe(samples))
                .isEmpty();
        assertThat(lostAtKill).as("scrapes in flight at the SIGKILL").hasSizeLessThanOrEqualTo(MAX_LOST_AT_KILL)
                .allSatisfy(s -> assertThat(killNanos - s.nanos()).as("served shortly before the kill")
                        .isLessThanOrEqualTo(LOST_WINDOW.toNanos()));
        assertThat(failed).as("scrapes that failed on the agent's side (up == 0)").hasSizeLessThanOrEqualTo(3);
        // The scenario really happened: samples scraped during the outage (both agent lifetimes) arrived.
        assertThat(outageSamples).as("samples scraped during the outage and delivered afterwards")
                .isGreaterThanOrEqualTo(15);
    }

    /**
     * True, consuming it, when one of the agent's failed scrapes explains why the value {@code s} was served
     * but not stored: the request reached the target after the scrape started and before the agent's next
     * scrape started (scrape timestamps are start times, taken before the request is sent), so it can only
     * belong to that scrape, which timed out (a cold JVM's first scrape can take longer than the 1 s timeout).
     */
    private static boolean excusedByFailedScrape(List<long[]> failedScrapes, Served s) {
        for (int i = 0; i < failedScrapes.size(); i++) {
            long[] window = failedScrapes.get(i);
            if (window[0] <= s.wallMs() && s.wallMs() < window[1]) {
                failedScrapes.remove(i);
                return true;
            }
        }
        return false;
    }

    private Process startAgent(Path config, Path storage) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--config.file=" + config, "--web.listen-address=127.0.0.1:" + agentPort,
                "--storage.path=" + storage)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("agent.log").toFile()))
                .start();
        agent = p;
        await("agent ready on port " + agentPort, () -> LoopbackHttp.get(agentPort, "/-/ready").statusCode() == 200);
        return p;
    }

    /** The counter's samples in the receiver as {@code [timestampMs, value]}, in timestamp order. */
    private List<long[]> samples() throws IOException {
        return samples(SERIES);
    }

    /** The samples of the one series {@code selector} matches, as {@code [timestampMs, value]}. */
    private List<long[]> samples(String selector) throws IOException {
        JsonNode result = receiver.query(selector + "[10m]", System.currentTimeMillis());
        List<long[]> out = new ArrayList<>();
        if (result.isEmpty()) {
            return out;
        }
        assertThat(result.size()).as("one series: %s", result).isEqualTo(1);
        for (JsonNode v : result.get(0).get("values")) {
            long ts = Math.round(v.get(0).asDouble() * 1000);
            out.add(new long[] {ts, (long) Double.parseDouble(v.get(1).asString())});
        }
        return out;
    }

    private static List<String> describe(List<long[]> samples) {
        return samples.stream().map(s -> s[0] + "=" + s[1]).toList();
    }

    private static long maxValue(List<long[]> samples) {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1)[1];
    }

    /** The sum of a metric's samples on the agent's {@code /metrics} (one queue here). */
    private double agentMetric(String name) throws IOException {
        HttpResponse<String> r = LoopbackHttp.get(agentPort, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        double sum = 0;
        boolean found = false;
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertThat(found).as("metric %s on the agent's /metrics", name).isTrue();
        return sum;
    }

    private String agentLog() {
        try {
            return Files.readString(tmp.resolve("agent.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    /** Polls until {@code c} holds; an IOException (process not listening yet) counts as not yet. */
    private void await(String what, Condition c) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (IOException notYet) {
                // retried until the bound
            }
            if (agent != null && !agent.isAlive()) {
                throw new AssertionError("agent exited with " + agent.exitValue() + " while waiting for: " + what
                        + "\n" + agentLog());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + BOUND + " waiting for: " + what + "\nagent log:\n"
                        + agentLog() + "\nreceiver log:\n" + receiver.log());
            }
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The outage's length is the scenario itself, not a race: wait for a point in time. */
    private static void sleepUntil(long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
