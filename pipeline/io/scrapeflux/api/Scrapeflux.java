package io.scrapeflux.api;

import io.scrapeflux.api.internal.ConfigSnippets;
import io.scrapeflux.api.internal.CustomDiscoverers;
import io.scrapeflux.api.internal.Pipeline;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.CustomSdConfig;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.scrape.ScrapeMetrics;
import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.Target;
import io.scrapeflux.target.TargetSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Prometheus-compatible scrape pipeline as a library: service discovery finds targets, relabeling
 * shapes them, every target is scraped on its interval, and {@link #scrapes()} delivers each scrape's
 * samples; {@link #targets()} shows the current targets and their health.
 *
 * <pre>{@code
 * try (Scrapeflux sf = Scrapeflux.fromConfig(Path.of("prometheus.yml"))) {
 *     sf.start();
 *     sf.scrapes().take(100).doOnNext(b -> System.out.println(b.job() + " " + b.size())).blockLast();
 * }
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 * <li><b>Backpressure.</b> {@link #scrapes()} delivers only what its subscriber requested. Finished
 *     scrapes wait in a bounded buffer ({@link Builder#maxBufferedScrapes}, default 1024 batches); while
 *     it is full, due scrapes are not started at all: they are skipped and counted
 *     ({@link ScrapeStats#skippedScrapes()}). Memory is bounded by the buffer plus one in-flight scrape per
 *     target, whatever the subscriber does; the one exception is staleness markers of targets that go away
 *     while the subscriber is stalled, which are never dropped. Before the first subscription the buffer
 *     fills the same way.
 *     {@link #targets()} always delivers the latest state; a slow subscriber misses intermediate states.</li>
 * <li><b>Cancellation.</b> {@link #dispose()} (or {@link #close()}, or cancelling the {@link #scrapes()}
 *     subscription, which disposes the pipeline since it has one consumer) stops every discoverer and
 *     scrape loop and closes every scrape connection; {@link #scrapes()} then completes after the final
 *     staleness markers, {@link #targets()} completes.</li>
 * <li><b>Errors are signals.</b> Nothing here throws for a bad config or a failing component once
 *     built: an invalid config (file, YAML, job settings) or a config a discoverer rejects ends
 *     {@link #scrapes()}, {@link #targets()} and {@link #ready()} with an {@link InvalidConfigException};
 *     a failing discoverer is retried with backoff while its last good targets stay, and shows in
 *     {@link JobTargets#discoveryErrors()}; a failing target is data ({@code up 0}, staleness markers,
 *     {@link ScrapeTarget#lastError()}), as in Prometheus. Only misuse throws
 *     ({@code IllegalStateException}: starting twice, a second {@link #scrapes()} subscriber gets it as
 *     an error signal).</li>
 * <li><b>Threads.</b> Batches arrive on scrape I/O threads (Netty event loops); subscribers must not block
 *     them ({@code publishOn} elsewhere if they need to).</li>
 * </ul>
 */
public final class Scrapeflux implements Disposable, AutoCloseable {

    private final Pipeline pipeline;
    private final InvalidConfigException configError;
    private final List<ScrapeConfig> codeJobs;
    private final Map<String, List<CustomSdConfig>> customSources;
    private final Scheduler scheduler;
    private final Duration targetRefresh;
    private final AtomicBoolean scrapesSubscribed = new AtomicBoolean();
    private final Sinks.Empty<Void> failed = Sinks.empty();
    private volatile Throwable failure;

    private Scrapeflux(Pipeline pipeline, InvalidConfigException configError, List<ScrapeConfig> codeJobs,
            Map<String, List<CustomSdConfig>> customSources, Scheduler scheduler, Duration targetRefresh) {
        this.pipeline = pipeline;
        this.configError = configError;
        this.codeJobs = codeJobs;
        this.customSources = customSources;
        this.scheduler = scheduler;
        this.targetRefresh = targetRefresh;
    }

    /**
     * A pipeline for the jobs of a Prometheus config file (relative paths inside resolve against its
     * directory). An invalid file does not throw: see the class doc. {@code remote_write} is not used
     * by the library (the agent uses it).
     */
    public static Scrapeflux fromConfig(Path file) {
        return builder().config(file).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts discovery; targets are scraped as soon as they are found. Call once; a no-op after a config error. */
    public Scrapeflux start() {
        if (pipeline == null) {
            return this;
        }
        try {
            pipeline.start();
        } catch (IllegalArgumentException rejected) {
            // a discoverer factory refused its SD config: the pipeline cannot run as configured
            fail(InvalidConfigException.of(rejected.getMessage()));
        }
        return this;
    }

    /**
     * Every scrape's samples, as the class doc's contract says: at the subscriber's demand, skipped and
     * counted scrapes when it is behind, completion on {@link #dispose()}. One subscriber; cancelling it
     * disposes the pipeline (right after, on a bounded-elastic thread).
     */
    public Flux<ScrapeBatch> scrapes() {
        if (pipeline == null) {
            return Flux.error(configError);
        }
        return Flux.defer(() -> {
            if (!scrapesSubscribed.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("scrapes() allows one subscriber; it already has one"));
            }
            // Cancellation usually comes from a scrape thread (take(n) in onNext): disposing closes watches
            // and connections, which must not hold up an event loop.
            return pipeline.scrapes().map(ScrapeBatch::new).concatWith(failureSignal())
                    .doOnCancel(() -> Schedulers.boundedElastic().schedule(this::dispose));
        });
    }

    /**
     * The targets of every job by job name: the current state on subscription (once discovery has reported),
     * then a new map whenever a target set, a target's health or a discovery error changes (checked on
     * every discovery change and every {@link Builder#targetRefresh} period). Any number of subscribers;
     * each gets the latest state at its own pace. Completes on {@link #dispose()}.
     */
    public Flux<Map<String, JobTargets>> targets() {
        if (pipeline == null) {
            return Flux.error(configError);
        }
        Flux<Map<String, TargetSet>> sets = pipeline.targets();
        return Flux.merge(sets.map(s -> 0L), Flux.interval(targetRefresh, scheduler))
                .takeUntilOther(sets.then())
                .onBackpressureLatest()
                .map(tick -> currentTargets())
                .distinctUntilChanged()
                .concatWith(failureSignal());
    }

    /** The targets as {@link #targets()} would emit them now. */
    public Map<String, JobTargets> currentTargets() {
        if (pipeline == null) {
            return Map.of();
        }
        Map<String, TargetSet> sets = pipeline.currentTargets();
        ScrapeManager scrapes = pipeline.scrapeManager();
        Map<String, Map<Target, TargetHealth>> health = new HashMap<>();
        for (String job : sets.keySet()) {
            health.put(job, scrapes.targets(job));
        }
        return Views.jobs(sets, health, pipeline.discovery().statuses());
    }

    /**
     * Completes once every discoverer has reported its first state (or failure), so {@link #targets()}
     * reflects the whole config; errors with the config error when the pipeline cannot run.
     */
    public Mono<Void> ready() {
        if (pipeline == null) {
            return Mono.error(configError);
        }
        return Mono.firstWithSignal(pipeline.ready(), failed.asMono());
    }

    /**
     * Reads {@code file} again and applies it (with this builder's code jobs and custom discoverers):
     * unchanged discoverers and jobs keep running without a gap, changed jobs restart, removed jobs stop
     * with staleness markers. An invalid file is an {@link InvalidConfigException} signal and leaves the
     * config in force unchanged. The file is read on a bounded-elastic thread.
     */
    public Mono<Void> reload(Path file) {
        if (pipeline == null) {
            return Mono.error(configError);
        }
        return Mono.fromCallable(() -> {
            PrometheusConfig next;
            try {
                next = assemble(ConfigLoader.load(file), codeJobs, customSources);
            } catch (ConfigException e) {
                throw InvalidConfigException.of(e);
            }
            try {
                pipeline.apply(next);
            } catch (IllegalArgumentException rejected) {
                throw InvalidConfigException.of(rejected.getMessage());
            }
            return next;
        }).subscribeOn(Schedulers.boundedElastic()).then();
    }

    /** The scrape engine's counters now, among them the scrapes skipped for a slow subscriber. */
    public ScrapeStats stats() {
        if (pipeline == null) {
            return new ScrapeStats(0, 0, 0, 0, 0);
        }
        ScrapeMetrics m = pipeline.scrapeManager().metrics();
        return new ScrapeStats(m.scrapes(), m.failures(), m.scrapesSkipped(), m.missedTicks(), m.samples());
    }

    /**
     * Stops every discoverer and scrape loop and closes every scrape connection; idempotent. May wait for
     * watches to close: call it from application threads, not from a {@link #scrapes()} subscriber
     * (cancel the subscription there instead).
     */
    @Override
    public void dispose() {
        if (pipeline != null) {
            pipeline.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return pipeline == null || pipeline.isDisposed();
    }

    @Override
    public void close() {
        dispose();
    }

    private void fail(Throwable error) {
        failure = error;
        failed.tryEmitError(error);
        pipeline.dispose();
    }

    private <T> Mono<T> failureSignal() {
        return Mono.defer(() -> failure == null ? Mono.empty() : Mono.error(failure));
    }

    /** {@code base} with the code jobs added and the custom sources attached to their jobs. */
    private static PrometheusConfig assemble(PrometheusConfig base, List<ScrapeConfig> codeJobs,
            Map<String, List<CustomSdConfig>> custom) {
        Map<String, ScrapeConfig> jobs = new LinkedHashMap<>();
        for (ScrapeConfig j : base.scrapeConfigs()) {
            jobs.put(j.jobName(), j);
        }
        for (ScrapeConfig j : codeJobs) {
            if (jobs.putIfAbsent(j.jobName(), j) != null) {
                throw InvalidConfigException.of("job \"" + j.jobName() + "\" is defined in the config and in code");
            }
        }
        for (Map.Entry<String, List<CustomSdConfig>> e : custom.entrySet()) {
            ScrapeConfig j = jobs.get(e.getKey());
            if (j == null) {
                throw InvalidConfigException.of("custom discoverer for job \"" + e.getKey()
                        + "\", which neither the config nor the code defines");
            }
            jobs.put(e.getKey(), ConfigSnippets.withSdConfigs(j, e.getValue()));
        }
        return new PrometheusConfig(base.global(), List.copyOf(jobs.values()), base.remoteWrite(), base.source(),
                base.originalYaml(), base.warnings());
    }

    /** Settings of a pipeline; every one has a default, so {@code builder().build()} is an empty pipeline. */
    public static final class Builder {
        private Path configFile;
        private String configYaml;
        private final Map<String, JobSettings> jobs = new LinkedHashMap<>();
        private final Map<String, List<Flux<List<TargetGroup>>>> discoverers = new LinkedHashMap<>();
        /** Null until set: then scrapes tick on the scrape client's event loops, other timers on parallel. */
        private Scheduler scheduler;
        private int maxBufferedScrapes = 1024;
        private Duration targetRefresh = Duration.ofSeconds(1);
        private boolean kubernetesPushDown = true;

        private Builder() {
        }

        /** Jobs from a Prometheus config file; relative paths inside resolve against its directory. */
        public Builder config(Path file) {
            this.configFile = Objects.requireNonNull(file, "file");
            this.configYaml = null;
            return this;
        }

        /** Jobs from Prometheus config YAML text; relative paths inside stay relative to the working directory. */
        public Builder configYaml(String yaml) {
            this.configYaml = Objects.requireNonNull(yaml, "yaml");
            this.configFile = null;
            return this;
        }

        /** A job defined in code, next to those of the config (names must differ). */
        public Builder job(String name, JobSettings settings) {
            jobs.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /**
         * A custom discovery source for {@code job} (of the config or of {@link #job}): a flux of target-group
         * lists, first the full state, then changed groups (see {@link TargetGroup}). Subscribed by
         * {@link #start()} and cancelled by {@link #dispose()} or a reload that drops the job. When it errors it
         * is resubscribed with backoff (1s doubling to 1m) while its last groups stay in force, and the error
         * shows in {@link JobTargets#discoveryErrors()}; when it completes its last groups stay. A job may
         * have several.
         */
        public Builder discoverer(String job, Flux<List<TargetGroup>> groups) {
            discoverers.computeIfAbsent(Objects.requireNonNull(job, "job"), j -> new ArrayList<>())
                    .add(Objects.requireNonNull(groups, "groups"));
            return this;
        }

        /**
         * Timers of scrape intervals and timeouts, discovery coalescing and retries, and the clock of scrape
         * timestamps; default {@link Schedulers#parallel()}, except that by default scrape intervals and
         * timeouts run on the scrape client's own event loops. A {@code VirtualTimeScheduler} makes them
         * all deterministic in tests (HTTP stays real).
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Finished scrapes that may wait for the {@link #scrapes()} subscriber before due scrapes are skipped; default 1024. */
        public Builder maxBufferedScrapes(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("maxBufferedScrapes must be at least 1, got " + batches);
            }
            this.maxBufferedScrapes = batches;
            return this;
        }

        /** How often {@link #targets()} looks for health changes between discovery changes; default 1s. */
        public Builder targetRefresh(Duration period) {
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("targetRefresh must be positive, got " + period);
            }
            this.targetRefresh = period;
            return this;
        }

        /**
         * Whether Kubernetes pod jobs push their leading {@code keep} rules into the watch (default on;
         * the targets are the same either way, the API server sends fewer pods).
         */
        public Builder kubernetesPushDown(boolean enabled) {
            this.kubernetesPushDown = enabled;
            return this;
        }

        /**
         * The pipeline, not started. Never throws for config problems: an invalid config gives a pipeline
         * whose {@link #scrapes()}, {@link #targets()} and {@link #ready()} signal the
         * {@link InvalidConfigException}.
         */
        public Scrapeflux build() {
            List<ScrapeConfig> codeJobs = new ArrayList<>();
            Map<String, List<CustomSdConfig>> custom = new LinkedHashMap<>();
            Map<String, Discoverer> sources = new HashMap<>();
            PrometheusConfig config;
            try {
                PrometheusConfig base = configFile != null ? ConfigLoader.load(configFile)
                        : configYaml != null ? ConfigLoader.parse(configYaml, "config")
                        : ConfigSnippets.empty();
                for (Map.Entry<String, JobSettings> e : jobs.entrySet()) {
                    codeJobs.add(e.getValue().toScrapeConfig(e.getKey()));
                }
                for (Map.Entry<String, List<Flux<List<TargetGroup>>>> e : discoverers.entrySet()) {
                    List<Flux<List<TargetGroup>>> fluxes = e.getValue();
                    for (int i = 0; i < fluxes.size(); i++) {
                        CustomSdConfig sd = new CustomSdConfig(e.getKey() + "#" + i);
                        Flux<List<io.scrapeflux.discovery.TargetGroup>> internal = fluxes.get(i).map(Views::internalGroups);
                        sources.put(sd.name(), () -> internal);
                        custom.computeIfAbsent(e.getKey(), j -> new ArrayList<>()).add(sd);
                    }
                }
                config = assemble(base, codeJobs, custom);
            } catch (ConfigException e) {
                return failed(InvalidConfigException.of(e));
            } catch (InvalidConfigException e) {
                return failed(e);
            }
            Pipeline pipeline = Pipeline.builder()
                    .config(config)
                    .kubernetesPushDown(kubernetesPushDown)
                    .discoveryScheduler(timers())
                    .withDiscoverer(new CustomDiscoverers(sources))
                    .scrapes(ScrapeManager.builder().scheduler(scheduler).outletCapacity(maxBufferedScrapes))
                    .build();
            return new Scrapeflux(pipeline, null, List.copyOf(codeJobs), Map.copyOf(custom), timers(), targetRefresh);
        }

        private Scrapeflux failed(InvalidConfigException e) {
            return new Scrapeflux(null, e, List.of(), Map.of(), timers(), targetRefresh);
        }

        private Scheduler timers() {
            return scheduler != null ? scheduler : Schedulers.parallel();
        }
    }
}
