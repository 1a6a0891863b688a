package io.scrapeflux.scrape;

import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.exposition.ExpositionParsers;
import io.scrapeflux.model.Labels;
import io.scrapeflux.relabel.RelabelChain;
import io.scrapeflux.target.Target;
import io.scrapeflux.model.StaleNaN;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The scrape engine: one {@link ScrapeLoop} per target, grouped in pools by job, all feeding one
 * {@link #batches()} flux.
 *
 * <p>{@link #reconcile} takes a job's full current target list and changes only what changed, keyed by
 * {@link Target#identity()}: unchanged targets keep their loop and schedule (no gap, no extra scrape),
 * new ones start, removed ones stop and emit staleness markers for their last series. A changed
 * {@link ScrapeConfig} restarts the job's loops; successors inherit their predecessors' series so the
 * ones that vanish still get staleness markers.
 *
 * <p>Backpressure: every batch passes a bounded outlet. A loop checks for room before it scrapes; when
 * the subscriber of {@link #batches()} is behind, due scrapes are skipped and counted
 * ({@link ScrapeMetrics#scrapesSkipped()}), never buffered without bound.
 *
 * <pre>{@code
 * ScrapeManager scrapes = ScrapeManager.builder().build();
 * scrapes.batches().subscribe(sink);
 * scrapes.reconcile("node", scrapeConfig, targets);
 * }</pre>
 */
public final class ScrapeManager implements Disposable {

    private final LoopEnvironment env;
    private final Function<ScrapeConfig, ScrapeFetcher> fetchers;
    private final ScrapeClient ownedClient;
    private final RelabelerFactory relabelers;
    private final Map<String, ScrapePool> pools = new LinkedHashMap<>();
    private boolean disposed;

    /** Compiles metric_relabel_configs; the result returns null for a dropped series. */
    @FunctionalInterface
    public interface RelabelerFactory {
        UnaryOperator<Labels> compile(List<RelabelConfig> rules, NameValidationScheme scheme);
    }

    ScrapeManager(LoopEnvironment env, Function<ScrapeConfig, ScrapeFetcher> fetchers, ScrapeClient ownedClient,
            RelabelerFactory relabelers) {
        this.env = env;
        this.fetchers = fetchers;
        this.ownedClient = ownedClient;
        this.relabelers = relabelers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Brings job {@code pool} to exactly {@code targets} under {@code cfg}. Safe to call from any thread;
     * calls are serialized. Targets with the same identity are one target (the first wins).
     */
    public synchronized void reconcile(String pool, ScrapeConfig cfg, Collection<Target> targets) {
        Objects.requireNonNull(cfg, "cfg");
        if (disposed) {
            throw new IllegalStateException("ScrapeManager is disposed");
        }
        ScrapePool p = pools.get(pool);
        Map<String, ScrapeLoop> predecessors = Map.of();
        if (p != null && !p.config.equals(cfg)) {
            predecessors = new HashMap<>(p.loops);
            predecessors.values().forEach(l -> l.stop(false));
            p = null;
        }
        if (p == null) {
            p = newPool(pool, cfg);
            pools.put(pool, p);
        }

        Map<String, Target> wanted = new LinkedHashMap<>();
        for (Target t : targets) {
            wanted.putIfAbsent(t.identity(), t);
        }
        long limit = cfg.limits() == null ? 0 : cfg.limits().targetLimit();
        if (limit > 0 && wanted.size() > limit) {
            env.metrics().exceededTargetLimit.increment();
            p.forcedError = new ScrapeFailure("target_limit exceeded (number of targets: " + wanted.size()
                    + ", limit: " + limit + ")");
        } else {
            p.forcedError = null;
        }

        for (Iterator<Map.Entry<String, ScrapeLoop>> it = p.loops.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, ScrapeLoop> e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                e.getValue().stop(true);
                it.remove();
            }
        }
        for (Map.Entry<String, Target> e : wanted.entrySet()) {
            Target t = e.getValue();
            ScrapeLoop loop = p.loops.get(e.getKey());
            if (loop != null && sameSchedule(loop.target(), t)) {
                loop.target(t);
                continue;
            }
            ScrapeLoop predecessor = predecessors.get(e.getKey());
            Labels[] previous = predecessor == null ? null : predecessor.lastSeries();
            if (loop != null) {
                loop.stop(false);
                previous = loop.lastSeries();
            }
            ScrapePool owner = p;
            ScrapeLoop fresh = new ScrapeLoop(t, p.settings, p.fetcher, owner::forcedError, env);
            if (previous != null) {
                fresh.inherit(previous);
            }
            p.loops.put(e.getKey(), fresh);
            fresh.start();
        }
        // targets of a restarted pool that are gone now: their series go stale
        for (Map.Entry<String, ScrapeLoop> e : predecessors.entrySet()) {
            if (!wanted.containsKey(e.getKey())) {
                emitStale(e.getValue().target(), e.getValue().lastSeries());
            }
        }
    }

    /** Stops a job entirely; its targets' series get staleness markers. */
    public synchronized void removePool(String pool) {
        ScrapePool p = pools.remove(pool);
        if (p != null) {
            p.loops.values().forEach(l -> l.stop(true));
        }
    }

    /**
     * Every scrape's batch: samples after metric relabeling, report series and staleness markers. One
     * subscriber; delivered on scrape threads (Netty event loops), so the subscriber must not block.
     * Completes after {@link #dispose()}.
     */
    public Flux<ScrapeBatch> batches() {
        return env.outlet().flux();
    }

    /** Health of a target known to the manager (by identity), if any. */
    public synchronized Optional<TargetHealth> health(Target target) {
        ScrapePool p = pools.get(target.scrapePool());
        ScrapeLoop loop = p == null ? null : p.loops.get(target.identity());
        return loop == null ? Optional.empty() : Optional.of(loop.health());
    }

    /** Active targets of a job with their health, in discovery order; empty for an unknown job. */
    public synchronized Map<Target, TargetHealth> targets(String pool) {
        ScrapePool p = pools.get(pool);
        Map<Target, TargetHealth> out = new LinkedHashMap<>();
        if (p != null) {
            p.loops.values().forEach(l -> out.put(l.target(), l.health()));
        }
        return out;
    }

    public synchronized Set<String> pools() {
        return new TreeSet<>(pools.keySet());
    }

    public ScrapeMetrics metrics() {
        return env.metrics();
    }

    /** Number of scrapes the loop of {@code target} has completed; for tests and diagnostics. */
    synchronized long scrapeCount(Target target) {
        ScrapePool p = pools.get(target.scrapePool());
        ScrapeLoop loop = p == null ? null : p.loops.get(target.identity());
        return loop == null ? -1 : loop.scrapeCount();
    }

    /** Batches waiting for the subscriber; for tests. */
    int outletQueued() {
        return env.outlet().queued();
    }

    /** Stops every loop (staleness markers included), completes {@link #batches()}, releases connections. */
    @Override
    public synchronized void dispose() {
        if (disposed) {
            return;
        }
        disposed = true;
        List<ScrapePool> all = new ArrayList<>(pools.values());
        pools.clear();
        for (ScrapePool p : all) {
            p.loops.values().forEach(l -> l.stop(true));
        }
        env.outlet().complete();
        if (ownedClient != null) {
            ownedClient.dispose();
        }
    }

    @Override
    public synchronized boolean isDisposed() {
        return disposed;
    }

    private ScrapePool newPool(String name, ScrapeConfig cfg) {
        List<RelabelConfig> rules = cfg.metricRelabelConfigs() == null ? List.of() : cfg.metricRelabelConfigs();
        UnaryOperator<Labels> relabeler = rules.isEmpty() ? UnaryOperator.identity()
                : relabelers.compile(rules, cfg.metricNameValidationScheme() == null
                        ? NameValidationScheme.UTF8 : cfg.metricNameValidationScheme());
        return new ScrapePool(name, cfg, LoopSettings.of(cfg, relabeler), fetchers.apply(cfg));
    }

    private void emitStale(Target target, Labels[] series) {
        if (series.length == 0) {
            return;
        }
        long now = env.scheduler().now(TimeUnit.MILLISECONDS);
        double[] values = new double[series.length];
        long[] ts = new long[series.length];
        Arrays.fill(values, StaleNaN.VALUE);
        Arrays.fill(ts, now);
        env.outlet().enqueue(new ScrapeBatch(target, now, series, values, ts, series.length));
        env.outlet().drain();
    }

    private static boolean sameSchedule(Target a, Target b) {
        return a.interval().equals(b.interval()) && a.timeout().equals(b.timeout());
    }

    /** Settings of a manager; every one has a default. */
    public static final class Builder {
        private ScrapeClient client;
        private ParserFactory parsers = ExpositionParsers::forContentType;
        private RelabelerFactory relabelers = (rules, scheme) -> RelabelChain.compile(rules, scheme)::apply;
        private Scheduler scheduler;
        private LongSupplier nanoClock = System::nanoTime;
        private int outletCapacity = 1024;
        private long offsetSeed;
        private int cacheMaxEntries = 1 << 21;
        private Function<ScrapeConfig, ScrapeFetcher> fetchers;

        /** The HTTP client to share (the manager does not dispose it); default: its own {@link ScrapeClient#create()}. */
        public Builder client(ScrapeClient client) {
            this.client = client;
            return this;
        }

        /** Where parsers come from; default {@link ExpositionParsers#forContentType}. */
        public Builder parsers(ParserFactory parsers) {
            this.parsers = parsers;
            return this;
        }

        /** How metric_relabel_configs compile; default {@link RelabelChain#compile}. */
        public Builder relabelers(RelabelerFactory relabelers) {
            this.relabelers = relabelers;
            return this;
        }

        /**
         * Scheduler for ticks and timeouts, and the clock of sample timestamps. Default: ticks and timeouts on
         * the scrape client's event loops (no thread hand-over per scrape), the clock of
         * {@link Schedulers#parallel()}; {@code null} restores the default.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Monotonic clock for scrape durations; default {@link System#nanoTime()}. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
            return this;
        }

        /** Batches that may wait for the subscriber before scrapes are skipped; default 1024. */
        public Builder outletCapacity(int batches) {
            this.outletCapacity = batches;
            return this;
        }

        /** Per-instance seed mixed into every target's phase (Prometheus's offset seed); default 0. */
        public Builder offsetSeed(long seed) {
            this.offsetSeed = seed;
            return this;
        }

        /** Series a target's cache may remember; default 2,097,152. */
        public Builder cacheMaxEntries(int entries) {
            this.cacheMaxEntries = entries;
            return this;
        }

        /** Test hook: fetch bodies without HTTP. */
        Builder fetchers(Function<ScrapeConfig, ScrapeFetcher> fetchers) {
            this.fetchers = fetchers;
            return this;
        }

        public ScrapeManager build() {
            Objects.requireNonNull(parsers, "parsers");
            ScrapeClient owned = null;
            Function<ScrapeConfig, ScrapeFetcher> f = fetchers;
            if (f == null) {
                ScrapeClient c = client;
                if (c == null) {
                    c = ScrapeClient.create();
                    owned = c;
                }
                f = c::forJob;
            }
            LoopEnvironment env = new LoopEnvironment(scheduler == null ? Schedulers.parallel() : scheduler,
                    scheduler == null, nanoClock, new BatchOutlet(outletCapacity),
                    new ScrapeMetrics(), new BufferPool(32, 4 << 20), parsers, offsetSeed, cacheMaxEntries);
            return new ScrapeManager(env, f, owned, relabelers);
        }
    }
}
