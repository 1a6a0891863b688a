package io.scrapeflux.sink;

import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.QueueConfig;
import io.scrapeflux.config.RemoteWriteConfig;
import io.scrapeflux.config.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared helpers of the remote-write tests. */
final class RemoteWriteTesting {

    private RemoteWriteTesting() {
    }

    static QueueConfig queue(int shards, int maxPerSend, boolean retry429, Duration minBackoff, Duration maxBackoff) {
        return new QueueConfig(1000, shards, shards, maxPerSend, Duration.ofMillis(50), minBackoff, maxBackoff, retry429,
                Duration.ZERO);
    }

    static QueueConfig queue(int shards, int maxPerSend) {
        return queue(shards, maxPerSend, true, Duration.ofMillis(5), Duration.ofMillis(20));
    }

    static RemoteWriteConfig config(String url, String name, QueueConfig qc, Map<String, String> headers) {
        return new RemoteWriteConfig(url, name, Duration.ofSeconds(10), headers, List.of(), HttpClientConfig.DEFAULT, qc,
                false, false, "prometheus.WriteRequest", SourceLocation.NONE);
    }

    /** Polls {@code condition} until true; fails after a generous timeout (the machine is loaded). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
