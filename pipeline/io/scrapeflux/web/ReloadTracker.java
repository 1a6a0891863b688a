package io.scrapeflux.web;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Wraps the agent's {@link Reloader} for {@code /-/reload} and SIGHUP: runs one reload at a time (a
 * second request waits for the first), logs a rejected config, and exports
 * {@code scrapeflux_config_last_reload_successful} (1/0) and
 * {@code scrapeflux_config_last_reload_success_timestamp_seconds}. The initial load counts as a success
 * at construction, as Prometheus reports after start-up.
 */
public final class ReloadTracker implements Reloader {

    private static final Logger log = LoggerFactory.getLogger(ReloadTracker.class);
    private static final Duration RELOAD_TIMEOUT = Duration.ofMinutes(5);

    private final Reloader delegate;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Object lock = new Object();
    private volatile boolean lastSuccessful = true;
    private volatile double lastSuccessSeconds;

    public ReloadTracker(Reloader delegate, PrometheusRegistry registry, Clock clock) {
        this(delegate, registry, clock, Schedulers.boundedElastic());
    }

    ReloadTracker(Reloader delegate, PrometheusRegistry registry, Clock clock, Scheduler scheduler) {
        this.delegate = delegate;
        this.clock = clock;
        this.scheduler = scheduler;
        this.lastSuccessSeconds = SelfMetrics.seconds(clock.instant());
        GaugeWithCallback.builder().name("scrapeflux_config_last_reload_successful")
                .help("Whether the last configuration reload attempt was successful.")
                .callback(cb -> cb.call(lastSuccessful ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("scrapeflux_config_last_reload_success_timestamp_seconds")
                .help("Timestamp of the last successful configuration reload.")
                .callback(cb -> cb.call(lastSuccessSeconds)).register(registry);
    }

    @Override
    public Mono<Void> reload() {
        // Serialized on a worker that may wait: reloads are rare, and the lock keeps two from interleaving.
        return Mono.defer(() -> {
            Throwable failure = null;
            synchronized (lock) {
                try {
                    delegate.reload().block(RELOAD_TIMEOUT);
                    lastSuccessful = true;
                    lastSuccessSeconds = SelfMetrics.seconds(clock.instant());
                    log.info("Completed configuration reload");
                } catch (RuntimeException e) {
                    failure = Exceptions.unwrap(e);
                    lastSuccessful = false;
                    log.atError().addKeyValue("err", failure.getMessage())
                            .log("Error reloading config, keeping the previous one");
                }
            }
            return failure == null ? Mono.<Void>empty() : Mono.<Void>error(failure);
        }).subscribeOn(scheduler);
    }

    public boolean lastReloadSuccessful() {
        return lastSuccessful;
    }
}
