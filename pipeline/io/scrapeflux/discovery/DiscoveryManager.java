package io.scrapeflux.discovery;

import io.scrapeflux.config.SdConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Runs the discoverers of all jobs and turns their group updates into coalesced per-job {@link DiscoveryUpdate}s.
 *
 * <p>One provider (running discoverer) exists per distinct {@link SdConfig} (record equality), shared by every job
 * that lists it. A provider keeps its groups keyed by source; a job's state is the union over its providers, keyed
 * by {@link SourceKey}. Empty groups delete their source, so memory follows the live sources, not the churn.
 *
 * <p>Coalescing follows a {@link Backoff} (default {@link Backoff#COALESCING}): a change after a quiet period is
 * emitted {@code initial} later (one emission for everything that arrived meanwhile); a change arriving while the
 * previous emission is less than the current interval old doubles the interval, up to {@code max}; a quiet interval
 * resets it.
 *
 * <p>{@link #updates()} is hot: each subscriber first gets the latest state of every job ({@code full}), then
 * live updates. A slow subscriber never causes queueing: its pending work is one entry per job holding the union of
 * changed sources, and what it receives is always the job's latest state.
 *
 * <p>A provider whose flux errors keeps its groups, is resubscribed with {@code retry} backoff and shows the failure
 * in {@link #statuses()}; other providers are unaffected.
 */
public final class DiscoveryManager implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(DiscoveryManager.class);

    private final DiscovererRegistry registry;
    private final Backoff coalescing;
    private final Backoff retry;
    private final Scheduler scheduler;

    // Guarded by "this".
    private final Map<SdConfig, Provider> providers = new LinkedHashMap<>();
    private final Map<String, JobState> jobs = new LinkedHashMap<>();
    private final Map<String, Integer> providerCounters = new HashMap<>();
    private final Set<Provider> unsettled = new HashSet<>();
    private long lastEmitMillis = Long.MIN_VALUE;
    private long intervalMillis;
    private Disposable pendingEmission;
    private boolean disposed;

    /** Latest emitted state per job; read by subscriber mailboxes without the manager's lock. */
    private final Map<String, DiscoveryUpdate> latest = new ConcurrentHashMap<>();
    private final List<Mailbox> mailboxes = new CopyOnWriteArrayList<>();
    private final Sinks.Empty<Void> ready = Sinks.empty();
    private volatile boolean isReady;

    public DiscoveryManager(DiscovererRegistry registry) {
        this(registry, Backoff.COALESCING, Backoff.RETRY, Schedulers.parallel());
    }

    /**
     * @param coalescing spacing of emissions (see class doc)
     * @param retry      resubscription delays of a provider whose flux errored
     * @param scheduler  timers for coalescing and retries (a virtual-time scheduler in tests)
     */
    public DiscoveryManager(DiscovererRegistry registry, Backoff coalescing, Backoff retry, Scheduler scheduler) {
        this.registry = Objects.requireNonNull(registry);
        this.coalescing = Objects.requireNonNull(coalescing);
        this.retry = Objects.requireNonNull(retry);
        this.scheduler = Objects.requireNonNull(scheduler);
        this.intervalMillis = coalescing.initial().toMillis();
    }

    /**
     * Sets the jobs and their SD configs, initially and on every reload. Providers whose config is unchanged keep
     * running without a gap; new configs start, configs no longer listed stop; removed jobs get a final empty
     * {@code full} update. All discoverers are created before anything changes, so a config no factory understands
     * leaves the manager as it was.
     *
     * @throws IllegalArgumentException when a config has no registered discoverer or its factory rejects it
     */
    public void apply(Map<String, List<SdConfig>> jobConfigs) {
        synchronized (this) {
            applyLocked(jobConfigs);
        }
        // Deliver removals outside the lock: a subscriber runs arbitrary code in onNext.
        for (Mailbox m : mailboxes) {
            m.drain();
        }
    }

    private void applyLocked(Map<String, List<SdConfig>> jobConfigs) {
        if (disposed) {
            throw new IllegalStateException("discovery manager is disposed");
        }
        Map<SdConfig, Provider> next = new LinkedHashMap<>();
        List<Provider> started = new ArrayList<>();
        Map<String, Integer> counters = new HashMap<>(providerCounters);
        for (List<SdConfig> configs : jobConfigs.values()) {
            for (SdConfig config : configs) {
                if (next.containsKey(config)) {
                    continue;
                }
                Provider existing = providers.get(config);
                if (existing != null) {
                    next.put(config, existing);
                    continue;
                }
                int n = counters.merge(config.mechanism(), 1, Integer::sum) - 1;
                Provider p = new Provider(config.mechanism() + "/" + n, config);
                p.discoverer = registry.create(config, p);
                next.put(config, p);
                started.add(p);
            }
        }
        providerCounters.putAll(counters);

        for (Map.Entry<SdConfig, Provider> e : providers.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                Provider gone = e.getValue();
                gone.stop();
                unsettled.remove(gone);
                log.info("Stopped service discovery provider={}", gone.name);
            }
        }
        providers.clear();
        providers.putAll(next);
        for (Provider p : providers.values()) {
            p.jobs.clear();
        }

        for (String job : new ArrayList<>(jobs.keySet())) {
            if (!jobConfigs.containsKey(job)) {
                jobs.remove(job);
                latest.remove(job);
                for (Mailbox m : mailboxes) {
                    m.offer(job, null);
                }
            }
        }
        boolean dirty = false;
        for (Map.Entry<String, List<SdConfig>> e : jobConfigs.entrySet()) {
            List<Provider> jobProviders = new ArrayList<>();
            for (SdConfig config : new LinkedHashSet<>(e.getValue())) {
                Provider p = providers.get(config);
                p.jobs.add(e.getKey());
                jobProviders.add(p);
            }
            JobState job = jobs.get(e.getKey());
            if (job == null || !job.providers.equals(jobProviders)) {
                boolean existed = job != null;
                job = new JobState(e.getKey(), jobProviders);
                jobs.put(job.name, job);
                // New or re-composed job: its first emission replaces whatever subscribers knew. A new job whose
                // providers have not reported yet waits for them instead of announcing an empty state first.
                job.full = true;
                job.dirty = existed || jobProviders.isEmpty() || jobProviders.stream().anyMatch(p -> p.announced);
                dirty |= job.dirty;
            }
        }
        for (Provider p : started) {
            if (!isReady) {
                unsettled.add(p);
            }
        }
        for (Provider p : started) {
            log.info("Starting service discovery provider={} jobs={}", p.name, p.jobs);
            p.start();
        }
        if (dirty) {
            scheduleEmission();
        }
        settleIfReady();
    }

    /**
     * The coalesced per-job updates. Hot: a subscriber first receives the latest state of every job that has
     * emitted, as {@code full} updates, then live updates. Honors demand without queueing (see class doc).
     */
    public Flux<DiscoveryUpdate> updates() {
        return Flux.create(sink -> {
            Mailbox mailbox = new Mailbox(sink);
            synchronized (this) {
                if (disposed) {
                    sink.complete();
                    return;
                }
                for (String job : latest.keySet()) {
                    mailbox.offer(job, null);
                }
                mailboxes.add(mailbox);
            }
            sink.onRequest(n -> mailbox.drain());
            sink.onDispose(() -> mailboxes.remove(mailbox));
        });
    }

    /** Completes once every provider started so far delivered its first state or reported its first failure. */
    public Mono<Void> ready() {
        return ready.asMono();
    }

    public boolean isReady() {
        return isReady;
    }

    /** One status per running provider, in start order. */
    public synchronized List<ProviderStatus> statuses() {
        List<ProviderStatus> out = new ArrayList<>(providers.size());
        for (Provider p : providers.values()) {
            out.add(p.status());
        }
        return out;
    }

    @Override
    public void dispose() {
        List<Mailbox> toComplete;
        synchronized (this) {
            if (disposed) {
                return;
            }
            disposed = true;
            providers.values().forEach(Provider::stop);
            providers.clear();
            jobs.clear();
            if (pendingEmission != null) {
                pendingEmission.dispose();
            }
            toComplete = new ArrayList<>(mailboxes);
            mailboxes.clear();
        }
        toComplete.forEach(m -> m.sink.complete());
    }

    @Override
    public synchronized boolean isDisposed() {
        return disposed;
    }

    // ---- provider events --------------------------------------------------------------------------------------

    private void onGroups(Provider p, List<TargetGroup> groups) {
        synchronized (this) {
            if (p.stopped) {
                return;
            }
            Set<String> changed = p.apply(groups);
            p.lastUpdateMillis = now();
            p.healthy = true;
            if (!changed.isEmpty()) {
                for (String jobName : p.jobs) {
                    JobState job = jobs.get(jobName);
                    if (job != null) {
                        for (String source : changed) {
                            job.changed.add(new SourceKey(p.name, source));
                        }
                        job.dirty = true;
                    }
                }
                scheduleEmission();
            }
            announce(p);
            settle(p);
        }
    }

    private synchronized void onFailure(Provider p, Throwable error) {
        if (p.stopped) {
            return;
        }
        p.failures++;
        p.lastError = String.valueOf(error.getMessage() != null ? error.getMessage() : error.toString());
        p.lastErrorMillis = now();
        p.healthy = false;
        log.warn("Service discovery failed, keeping last good targets provider={} jobs={} failures={} err={}",
                p.name, p.jobs, p.failures, p.lastError);
        announce(p);
        settle(p);
    }

    /** The first report of a provider (state or failure) lets its jobs emit even when nothing changed. */
    private void announce(Provider p) {
        if (p.announced) {
            return;
        }
        p.announced = true;
        boolean any = false;
        for (String jobName : p.jobs) {
            JobState job = jobs.get(jobName);
            if (job != null) {
                job.dirty = true;
                any = true;
            }
        }
        if (any) {
            scheduleEmission();
        }
    }

    private void settle(Provider p) {
        if (unsettled.remove(p)) {
            settleIfReady();
        }
    }

    private void settleIfReady() {
        if (!isReady && unsettled.isEmpty()) {
            isReady = true;
            ready.tryEmitEmpty();
        }
    }

    // ---- coalescing -------------------------------------------------------------------------------------------

    private void scheduleEmission() {
        if (pendingEmission != null || disposed) {
            return;
        }
        long now = now();
        long delay;
        if (lastEmitMillis == Long.MIN_VALUE || now - lastEmitMillis >= intervalMillis) {
            intervalMillis = coalescing.initial().toMillis();
            delay = intervalMillis;
        } else {
            intervalMillis = Math.min(intervalMillis * 2, coalescing.max().toMillis());
            delay = Math.max(0, lastEmitMillis + intervalMillis - now);
        }
        pendingEmission = scheduler.schedule(this::emit, delay, TimeUnit.MILLISECONDS);
    }

    private void emit() {
        synchronized (this) {
            pendingEmission = null;
            if (disposed) {
                return;
            }
            boolean emitted = false;
            for (JobState job : jobs.values()) {
                if (!job.dirty) {
                    continue;
                }
                emitted = true;
                Map<SourceKey, TargetGroup> groups = new HashMap<>();
                for (Provider p : job.providers) {
                    for (TargetGroup g : p.groups.values()) {
                        groups.put(new SourceKey(p.name, g.source()), g);
                    }
                }
                Set<SourceKey> changed = job.full ? groups.keySet() : job.changed;
                latest.put(job.name, new DiscoveryUpdate(job.name, groups, changed, job.full));
                for (Mailbox m : mailboxes) {
                    m.offer(job.name, job.full ? null : job.changed);
                }
                job.changed = new HashSet<>();
                job.dirty = false;
                job.full = false;
            }
            // Taken after building the snapshots: changes that queued up behind a slow emission must not look
            // like the start of a quiet period.
            if (emitted) {
                lastEmitMillis = now();
            }
        }
        for (Mailbox m : mailboxes) {
            m.drain();
        }
    }

    private long now() {
        return scheduler.now(TimeUnit.MILLISECONDS);
    }

    // ---- state --------------------------------------------------------------------------------------------------

    private static final class JobState {
        final String name;
        final List<Provider> providers;
        Set<SourceKey> changed = new HashSet<>();
        boolean dirty;
        boolean full;

        JobState(String name, List<Provider> providers) {
            this.name = name;
            this.providers = providers;
        }
    }

    /** One running discoverer; its fields are guarded by the manager's lock. */
    private final class Provider implements FailureReporter {
        final String name;
        final SdConfig config;
        final Set<String> jobs = new LinkedHashSet<>();
        final Map<String, TargetGroup> groups = new HashMap<>();
        Discoverer discoverer;
        Disposable subscription;
        boolean expectFullState;
        boolean announced;
        boolean stopped;
        long lastUpdateMillis = Long.MIN_VALUE;
        long lastErrorMillis = Long.MIN_VALUE;
        String lastError;
        long failures;
        boolean healthy = true;

        Provider(String name, SdConfig config) {
            this.name = name;
            this.config = config;
        }

        void start() {
            subscription = Flux.defer(() -> {
                        synchronized (DiscoveryManager.this) {
                            expectFullState = true;
                        }
                        return discoverer.discover();
                    })
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, retry.initial())
                            .maxBackoff(retry.max())
                            .jitter(0)
                            .transientErrors(true)
                            .scheduler(scheduler)
                            .doBeforeRetry(signal -> onFailure(this, signal.failure())))
                    .subscribe(list -> onGroups(this, list),
                            error -> onFailure(this, error),
                            () -> log.debug("Service discovery completed, keeping its targets provider={}", name));
        }

        void stop() {
            stopped = true;
            if (subscription != null) {
                subscription.dispose();
            }
        }

        /** Applies one element of the discoverer's flux; returns the sources whose group differs now. */
        Set<String> apply(List<TargetGroup> update) {
            Set<String> changed = new HashSet<>();
            if (expectFullState) {
                expectFullState = false;
                Set<String> present = new HashSet<>();
                for (TargetGroup g : update) {
                    if (!g.isEmpty()) {
                        present.add(g.source());
                    }
                }
                for (String source : new ArrayList<>(groups.keySet())) {
                    if (!present.contains(source)) {
                        groups.remove(source);
                        changed.add(source);
                    }
                }
            }
            for (TargetGroup g : update) {
                if (g.isEmpty()) {
                    if (groups.remove(g.source()) != null) {
                        changed.add(g.source());
                    }
                } else if (!g.equals(groups.put(g.source(), g))) {
                    changed.add(g.source());
                }
            }
            return changed;
        }

        ProviderStatus status() {
            int targets = 0;
            for (TargetGroup g : groups.values()) {
                targets += g.targets().size();
            }
            return new ProviderStatus(name, config, Set.copyOf(jobs), groups.size(), targets,
                    instant(lastUpdateMillis), lastError, instant(lastErrorMillis), failures, healthy);
        }

        @Override
        public void failure(Throwable error) {
            onFailure(this, error);
        }

        @Override
        public void success() {
            synchronized (DiscoveryManager.this) {
                healthy = true;
            }
        }
    }

    private static Instant instant(long millis) {
        return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * Per-subscriber pending work: at most one entry per job, holding the union of changed sources not yet
     * delivered ({@code null} = full state due). Draining delivers each job's latest state, so a slow subscriber
     * skips intermediate states but never misses a change.
     */
    private final class Mailbox {
        final FluxSink<DiscoveryUpdate> sink;
        final Map<String, Set<SourceKey>> pending = new LinkedHashMap<>();
        final Set<String> pendingFull = new HashSet<>();
        final AtomicInteger wip = new AtomicInteger();

        Mailbox(FluxSink<DiscoveryUpdate> sink) {
            this.sink = sink;
        }

        /** {@code changed == null} means the next delivery for the job must be a full state. */
        synchronized void offer(String job, Collection<SourceKey> changed) {
            Set<SourceKey> set = pending.computeIfAbsent(job, j -> new HashSet<>());
            if (changed == null) {
                pendingFull.add(job);
            } else {
                set.addAll(changed);
            }
        }

        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (sink.requestedFromDownstream() > 0 && !sink.isCancelled()) {
                    DiscoveryUpdate next = poll();
                    if (next == null) {
                        break;
                    }
                    sink.next(next);
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private synchronized DiscoveryUpdate poll() {
            var it = pending.entrySet().iterator();
            if (!it.hasNext()) {
                return null;
            }
            var entry = it.next();
            it.remove();
            String job = entry.getKey();
            boolean full = pendingFull.remove(job);
            DiscoveryUpdate current = latest.get(job);
            if (current == null) {
                // The job was removed (or never emitted): subscribers drop everything they had for it.
                return new DiscoveryUpdate(job, Map.of(), Set.of(), true);
            }
            if (full || current.full()) {
                return new DiscoveryUpdate(job, current.groups(), current.groups().keySet(), true);
            }
            return new DiscoveryUpdate(job, current.groups(), entry.getValue(), false);
        }
    }
}
