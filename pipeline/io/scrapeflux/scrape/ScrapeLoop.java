package io.scrapeflux.scrape;

import io.scrapeflux.model.Labels;
import io.scrapeflux.target.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One target's scrape schedule: ticks at the target's interval from a phase offset derived from its
 * identity, one scrape at a time, each bounded by the scrape timeout, each result handed to the
 * manager's outlet as one {@link ScrapeBatch}.
 *
 * <pre>
 * interval(offset, interval) → onBackpressureDrop(missed tick) → concatMap(scrapeOnce, 0)
 * scrapeOnce: outlet has room (or skip) → fetch with timeout → process under the loop lock → enqueue
 * </pre>
 *
 * A loop is started once and stopped once; a changed target or config gets a new loop.
 */
final class ScrapeLoop implements Disposable {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

    private final LoopEnvironment env;
    private final ScrapeFetcher fetcher;
    private final Supplier<ScrapeFailure> forcedError;
    private final ScrapeProcessor processor;
    private final BodyBuffer body;
    private final long limitBytes;
    /** Where ticks and timeouts run; the clock stays {@code env.scheduler()}. */
    private final Scheduler ticks;
    private volatile Target target;
    private volatile TargetHealth health = TargetHealth.UNKNOWN;
    private volatile Disposable schedule;
    private boolean stopped;
    private long scrapes;

    ScrapeLoop(Target target, LoopSettings settings, ScrapeFetcher fetcher, Supplier<ScrapeFailure> forcedError,
            LoopEnvironment env) {
        this.target = target;
        this.env = env;
        this.fetcher = fetcher;
        this.forcedError = forcedError;
        this.processor = new ScrapeProcessor(target, settings, env.parsers(), env.metrics(), env.cacheMaxEntries());
        this.body = new BodyBuffer(env.buffers());
        this.limitBytes = settings.limits().bodySizeLimit();
        Scheduler own = env.ticksOnFetcher() ? fetcher.tickScheduler(target) : null;
        this.ticks = own == null ? env.scheduler() : own;
    }

    Target target() {
        return target;
    }

    /** Takes a newer description of the same target (discovered labels may differ; identity does not). */
    void target(Target newer) {
        this.target = newer;
    }

    TargetHealth health() {
        return health;
    }

    synchronized long scrapeCount() {
        return scrapes;
    }

    /** Seeds staleness tracking with what a predecessor loop of the same target emitted last. */
    synchronized void inherit(Labels[] lastSeries) {
        processor.inherit(lastSeries);
    }

    synchronized Labels[] lastSeries() {
        return processor.lastSeries();
    }

    void start() {
        Duration interval = target.interval();
        long delay = offsetNanos(target, interval.toNanos(), env.offsetSeed(),
                env.scheduler().now(TimeUnit.NANOSECONDS));
        schedule = Flux.interval(Duration.ofNanos(delay), interval, ticks)
                .onBackpressureDrop(tick -> env.metrics().missedTicks.increment())
                .concatMap(tick -> scrapeOnce(), 0)
                .subscribe(null, e -> LOG.error("scrape loop terminated unexpectedly target={}", target.scrapeUrl(), e));
    }

    /**
     * Stops scheduling and cancels a scrape in flight. With {@code endOfRunStaleness}, every series the
     * loop emitted last gets a staleness marker (the target is gone); without, a successor loop inherits them.
     */
    void stop(boolean endOfRunStaleness) {
        Disposable s = schedule;
        if (s != null) {
            s.dispose();
        }
        ScrapeBatch stale = null;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (endOfRunStaleness) {
                stale = processor.endOfRun(env.scheduler().now(TimeUnit.MILLISECONDS));
            }
        }
        if (stale != null && stale.size() > 0) {
            env.outlet().enqueue(stale);
            env.outlet().drain();
        }
    }

    @Override
    public void dispose() {
        stop(true);
    }

    @Override
    public boolean isDisposed() {
        Disposable s = schedule;
        return s != null && s.isDisposed();
    }

    private Mono<Void> scrapeOnce() {
        if (!env.outlet().hasRoom()) {
            env.metrics().scrapesSkipped.increment();
            return Mono.empty();
        }
        AtomicInteger outcome = new AtomicInteger(PENDING);
        long startMs = env.scheduler().now(TimeUnit.MILLISECONDS);
        long startNanos = env.nanoClock().getAsLong();
        Target t = target;
        ScrapeFailure forced = forcedError.get();
        Mono<String> fetch = forced != null
                ? Mono.error(forced)
                : Mono.defer(() -> {
                    body.open(limitBytes);
                    return fetcher.fetch(t, body);
                }).timeout(t.timeout(), ticks);
        return fetch
                .switchIfEmpty(Mono.error(() -> new ScrapeFailure("Get \"" + t.scrapeUrl() + "\": empty response")))
                .doOnNext(contentType -> complete(outcome, startMs, startNanos, contentType, null))
                .doOnError(e -> complete(outcome, startMs, startNanos, null, e))
                .onErrorResume(e -> Mono.empty())
                .then()
                // count and deliver once the loop can take its next tick: whoever reacts to the batch or the
                // counters (a subscriber, a test stepping virtual time) must not find the loop still busy
                .doFinally(signal -> published(outcome.get()));
    }

    private static final int PENDING = 0;
    private static final int CLAIMED = 1;
    private static final int SUCCEEDED = 2;
    private static final int FAILED = 3;

    private void published(int outcome) {
        if (outcome >= SUCCEEDED) {
            env.metrics().scrapes.increment();
        }
        if (outcome == FAILED) {
            env.metrics().failures.increment();
        }
        env.outlet().drain();
    }

    private void complete(AtomicInteger outcome, long startMs, long startNanos, String contentType, Throwable error) {
        if (!outcome.compareAndSet(PENDING, CLAIMED)) {
            return;
        }
        double seconds = (env.nanoClock().getAsLong() - startNanos) / 1e9;
        ScrapeBatch batch;
        synchronized (this) {
            if (stopped) {
                return;
            }
            scrapes++;
            ScrapeFailure failure = error == null ? null : describe(error);
            boolean countsFromAttempt = false;
            batch = null;
            if (failure == null) {
                try {
                    batch = processor.success(body.array(), body.length(), contentType, startMs, seconds, body.length());
                } catch (ScrapeFailure f) {
                    failure = f;
                    countsFromAttempt = true;
                } catch (RuntimeException bug) {
                    // a defect must cost one scrape, not the loop's schedule
                    LOG.error("scrape processing failed target={}", target.scrapeUrl(), bug);
                    failure = new ScrapeFailure("internal error processing the scrape: " + bug);
                    countsFromAttempt = true;
                }
            }
            if (failure != null) {
                int bodyBytes = failure.kind() == ScrapeFailure.Kind.BODY_SIZE_LIMIT ? -1 : 0;
                if (failure.kind() == ScrapeFailure.Kind.BODY_SIZE_LIMIT) {
                    env.metrics().exceededBodySizeLimit.increment();
                }
                batch = processor.failure(startMs, seconds, bodyBytes, countsFromAttempt);
                health = new TargetHealth(TargetHealth.Health.DOWN, startMs, Duration.ofNanos((long) (seconds * 1e9)),
                        failure.getMessage());
            } else {
                health = new TargetHealth(TargetHealth.Health.UP, startMs, Duration.ofNanos((long) (seconds * 1e9)), "");
            }
            body.close();
            env.outlet().enqueue(batch);
            outcome.set(failure == null ? SUCCEEDED : FAILED);
        }
    }

    /** Words a failure as Prometheus does, so the API shows the same error text. */
    private ScrapeFailure describe(Throwable e) {
        if (e instanceof ScrapeFailure f) {
            return f;
        }
        String url = target.scrapeUrl();
        if (e instanceof TimeoutException) {
            return new ScrapeFailure("Get \"" + url + "\": context deadline exceeded");
        }
        String msg = e.getMessage();
        return new ScrapeFailure("Get \"" + url + "\": " + (msg == null || msg.isEmpty() ? e.getClass().getSimpleName() : msg));
    }

    /**
     * Time until this target's first scrape, as Prometheus computes it: a phase within the interval from
     * a hash of the target (xor a per-instance seed), pinned to absolute time, so the schedule survives
     * restarts and reloads and targets spread evenly over the interval.
     */
    static long offsetNanos(Target target, long intervalNanos, long seed, long nowNanos) {
        long base = intervalNanos - Math.floorMod(nowNanos, intervalNanos);
        long phase = Long.remainderUnsigned(identityHash(target) ^ seed, intervalNanos);
        long next = base + phase;
        if (next > intervalNanos) {
            next -= intervalNanos;
        }
        return next;
    }

    /** FNV-1a (64 bit) over the target's labels and URL: stable across JVMs, unlike {@code hashCode}. */
    static long identityHash(Target target) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, target.labels().toString());
        h = fnv(h, target.scrapeUrl());
        return h;
    }

    private static long fnv(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
