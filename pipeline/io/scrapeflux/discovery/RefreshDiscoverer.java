package io.scrapeflux.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The shared loop of polling mechanisms (http, dns, later the clouds): call {@code refresh} for the full current
 * state, send it first, then every {@code interval} send only what changed (new or different groups, an empty group
 * per vanished source).
 *
 * <p>A failed refresh keeps the last good state, goes to the {@link FailureReporter} and the log, and is retried
 * after {@code failureBackoff} (doubling, never later than {@code interval}); a success resets the backoff. Nothing is
 * sent before the first successful refresh. Each refresh is bounded by {@code interval} as a timeout, so a hanging
 * source cannot stall the loop.
 */
public final class RefreshDiscoverer implements Discoverer {

    private static final Logger log = LoggerFactory.getLogger(RefreshDiscoverer.class);

    private final String mechanism;
    private final Duration interval;
    private final Backoff failureBackoff;
    private final Scheduler scheduler;
    private final Supplier<Mono<List<TargetGroup>>> refresh;
    private final FailureReporter failures;

    /**
     * @param mechanism      for logs ({@code http}, {@code dns})
     * @param interval       time between successful refreshes, also the timeout of one refresh
     * @param failureBackoff delays after consecutive failures (capped by {@code interval})
     * @param scheduler      timers (virtual time in tests)
     * @param refresh        produces the full current state; subscribed once per refresh
     * @param failures       where failed refreshes are reported
     */
    public RefreshDiscoverer(String mechanism, Duration interval, Backoff failureBackoff, Scheduler scheduler,
                             Supplier<Mono<List<TargetGroup>>> refresh, FailureReporter failures) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(mechanism + " refresh_interval must be positive: " + interval);
        }
        this.mechanism = mechanism;
        this.interval = interval;
        this.failureBackoff = failureBackoff;
        this.scheduler = scheduler;
        this.refresh = refresh;
        this.failures = failures;
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return Flux.defer(() -> {
            Map<String, TargetGroup> state = new LinkedHashMap<>();
            boolean[] sentFirst = {false};
            return attempt(0)
                    .expand(outcome -> Mono.delay(nextDelay(outcome), scheduler)
                            .then(attempt(outcome.error == null ? 0 : outcome.consecutiveFailures)))
                    .handle((outcome, sink) -> {
                        if (outcome.error != null) {
                            return;
                        }
                        List<TargetGroup> changes = TargetGroups.diff(state, outcome.groups);
                        if (!sentFirst[0]) {
                            sentFirst[0] = true;
                            sink.next(new ArrayList<>(state.values()));
                        } else if (!changes.isEmpty()) {
                            sink.next(changes);
                        }
                    });
        });
    }

    private Duration nextDelay(Outcome outcome) {
        if (outcome.error == null) {
            return interval;
        }
        Duration backoff = failureBackoff.delay(outcome.consecutiveFailures - 1);
        return backoff.compareTo(interval) < 0 ? backoff : interval;
    }

    private Mono<Outcome> attempt(int failuresSoFar) {
        return Mono.defer(refresh)
                .timeout(interval, scheduler)
                .map(groups -> {
                    failures.success();
                    return new Outcome(groups, null, 0);
                })
                .onErrorResume(error -> {
                    failures.failure(error);
                    log.warn("Refresh failed, keeping last good targets mechanism={} failures={} err={}",
                            mechanism, failuresSoFar + 1, String.valueOf(error.getMessage()));
                    return Mono.just(new Outcome(List.of(), error, failuresSoFar + 1));
                });
    }

    private record Outcome(List<TargetGroup> groups, Throwable error, int consecutiveFailures) {
    }
}
