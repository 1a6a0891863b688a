package io.scrapeflux.sink;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Self-metrics of one remote-write queue, as plain counters and gauges. One thread writes them (the
 * queue's), any thread reads them. {@link #register} exposes a set of queues with prometheus-metrics-core.
 */
public final class QueueMetrics {

    private final String remoteName;
    private final String url;

    /** Samples accepted into the queue (after write relabeling). */
    public final AtomicLong samplesIn = new AtomicLong();
    /** Samples the receiver acknowledged. */
    public final AtomicLong samplesSent = new AtomicLong();
    /** Samples re-sent after a recoverable error (5xx, 429 when enabled, network errors). */
    public final AtomicLong samplesRetried = new AtomicLong();
    /** Samples the receiver refused for good (4xx other than a retried 429): dropped. */
    public final AtomicLong samplesFailed = new AtomicLong();
    /** Samples dropped because the disk budget was full (oldest first). */
    public final AtomicLong samplesDroppedBudget = new AtomicLong();
    /** Samples dropped by write_relabel_configs (or left without {@code __name__}). */
    public final AtomicLong samplesDroppedRelabel = new AtomicLong();
    /** Samples older than {@code queue_config.sample_age_limit} when read from the spool: not sent. */
    public final AtomicLong samplesTooOld = new AtomicLong();
    /** Requests sent, including retries. */
    public final AtomicLong requests = new AtomicLong();
    /** Requests that failed (any non-2xx or network error). */
    public final AtomicLong requestsFailed = new AtomicLong();
    /** Compressed bytes sent (acknowledged requests only). */
    public final AtomicLong bytesSent = new AtomicLong();
    /** Samples waiting: on disk unread plus in memory not yet acknowledged. */
    public final AtomicLong samplesPending = new AtomicLong();
    /** Bytes of the disk queue's segment files. */
    public final AtomicLong diskBytes = new AtomicLong();
    public final AtomicLong shards = new AtomicLong();
    public final AtomicLong desiredShards = new AtomicLong();
    /** Highest sample timestamp acknowledged by the receiver, Unix ms (0 before the first). */
    public final AtomicLong highestSentTimestampMs = new AtomicLong();
    /** Highest sample timestamp accepted into the queue, Unix ms. */
    public final AtomicLong highestInTimestampMs = new AtomicLong();

    public QueueMetrics(String remoteName, String url) {
        this.remoteName = remoteName;
        this.url = url;
    }

    public String remoteName() {
        return remoteName;
    }

    public String url() {
        return url;
    }

    static void max(AtomicLong a, long v) {
        if (v > a.get()) {
            a.set(v);
        }
    }

    /**
     * Registers callback metrics reading {@code queues} at each collection (so queues created by a config
     * reload appear without re-registering). Labels: {@code remote_name}, {@code url}.
     */
    public static void register(PrometheusRegistry registry, Supplier<? extends Collection<QueueMetrics>> queues) {
        counter(registry, queues, "scrapeflux_remote_storage_samples_in", "Samples accepted into the queue.",
                m -> m.samplesIn.get());
        counter(registry, queues, "scrapeflux_remote_storage_samples", "Samples acknowledged by the receiver.",
                m -> m.samplesSent.get());
        counter(registry, queues, "scrapeflux_remote_storage_samples_retried", "Samples re-sent after a recoverable error.",
                m -> m.samplesRetried.get());
        counter(registry, queues, "scrapeflux_remote_storage_samples_failed",
                "Samples refused by the receiver with a non-recoverable error and dropped.", m -> m.samplesFailed.get());
        counter(registry, queues, "scrapeflux_remote_storage_samples_dropped",
                "Samples dropped because the disk budget was full.", m -> m.samplesDroppedBudget.get());
        counter(registry, queues, "scrapeflux_remote_storage_samples_relabel_dropped",
                "Samples dropped by write relabeling.", m -> m.samplesDroppedRelabel.get());
        counter(registry, queues, "scrapeflux_remote_storage_samples_too_old",
                "Samples older than sample_age_limit, not sent.", m -> m.samplesTooOld.get());
        counter(registry, queues, "scrapeflux_remote_storage_requests", "Remote-write requests, retries included.",
                m -> m.requests.get());
        counter(registry, queues, "scrapeflux_remote_storage_requests_failed", "Remote-write requests that failed.",
                m -> m.requestsFailed.get());
        counter(registry, queues, "scrapeflux_remote_storage_sent_bytes", "Compressed bytes acknowledged.",
                m -> m.bytesSent.get());
        gauge(registry, queues, "scrapeflux_remote_storage_samples_pending", "Samples not acknowledged yet.",
                m -> m.samplesPending.get());
        gauge(registry, queues, "scrapeflux_remote_storage_disk_bytes", "Bytes of the queue's disk segments.",
                m -> m.diskBytes.get());
        gauge(registry, queues, "scrapeflux_remote_storage_shards", "Shards in use.", m -> m.shards.get());
        gauge(registry, queues, "scrapeflux_remote_storage_shards_desired", "Shards the scaling heuristic wants.",
                m -> m.desiredShards.get());
        gauge(registry, queues, "scrapeflux_remote_storage_queue_highest_sent_timestamp_seconds",
                "Newest sample timestamp acknowledged by the receiver.", m -> m.highestSentTimestampMs.get() / 1000.0);
        gauge(registry, queues, "scrapeflux_remote_storage_highest_timestamp_in_seconds",
                "Newest sample timestamp accepted into the queue.", m -> m.highestInTimestampMs.get() / 1000.0);
    }

    private static void counter(PrometheusRegistry r, Supplier<? extends Collection<QueueMetrics>> qs, String name,
            String help, ToDoubleFunction<QueueMetrics> f) {
        CounterWithCallback.builder().name(name).help(help).labelNames("remote_name", "url")
                .callback(cb -> qs.get().forEach(m -> cb.call(f.applyAsDouble(m), m.remoteName, m.url)))
                .register(r);
    }

    private static void gauge(PrometheusRegistry r, Supplier<? extends Collection<QueueMetrics>> qs, String name,
            String help, ToDoubleFunction<QueueMetrics> f) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("remote_name", "url")
                .callback(cb -> qs.get().forEach(m -> cb.call(f.applyAsDouble(m), m.remoteName, m.url)))
                .register(r);
    }
}
