package io.scrapeflux.config;

import java.time.Duration;

/** {@code remote_write.queue_config}, Prometheus's defaults. */
public record QueueConfig(
        int capacity,
        int minShards,
        int maxShards,
        int maxSamplesPerSend,
        Duration batchSendDeadline,
        Duration minBackoff,
        Duration maxBackoff,
        boolean retryOnHttp429,
        Duration sampleAgeLimit) {

    public static final QueueConfig DEFAULT = new QueueConfig(10_000, 1, 50, 2_000, Duration.ofSeconds(5),
            Duration.ofMillis(30), Duration.ofSeconds(5), true, Duration.ZERO);
}
