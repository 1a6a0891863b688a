package io.scrapeflux.api.internal;

import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.SdConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.DiscoveryManager;
import io.scrapeflux.discovery.DiscoveryUpdate;
import io.scrapeflux.discovery.StandardDiscoverers;
import io.scrapeflux.discovery.kubernetes.KubernetesDiscovererFactory;
import io.scrapeflux.discovery.kubernetes.KubernetesInformerPool;
import io.scrapeflux.discovery.kubernetes.KubernetesRole;
import io.scrapeflux.discovery.kubernetes.PushDown;
import io.scrapeflux.scrape.ScrapeBatch;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.target.JobTargets;
import io.scrapeflux.target.TargetBuilder;
import io.scrapeflux.target.TargetSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The engine behind {@link io.scrapeflux.api.Scrapeflux} and the CLI agent: discovery emits target groups,
 * relabeling turns them into targets, the scrape engine scrapes them, and {@link #scrapes()} hands every
 * scrape's samples on. Not part of the public API: its signatures use the stages' internal types.
 *
 * <p>Backpressure: {@link #scrapes()} delivers at the subscriber's demand; when it has none, due scrapes
 * are skipped and counted ({@code scrapes_skipped}), never buffered without bound. Errors of a target
 * (HTTP, parse, limits) are not signals: they become {@code up 0} and staleness markers in the batches,
 * as in Prometheus. {@link #dispose()} stops discovery and every scrape loop and releases connections.
 */
public final class Pipeline implements Disposable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final DiscoveryManager discovery;
    private final ScrapeManager scrapes;
    private final Map<String, JobTargets> jobs = new LinkedHashMap<>();
    private final Map<String, TargetSet> targetSets = new LinkedHashMap<>();
    private final Sinks.Many<Map<String, TargetSet>> targetUpdates = Sinks.many().replay().latest();
    private final AutoCloseable ownedResources;
    private final boolean kubernetesPushDown;
    private PrometheusConfig config;
    private Disposable wiring;

    private Pipeline(PrometheusConfig config, DiscoveryManager discovery, ScrapeManager scrapes,
            AutoCloseable ownedResources, boolean kubernetesPushDown) {
        this.kubernetesPushDown = kubernetesPushDown;
        this.config = config;
        this.discovery = discovery;
        this.scrapes = scrapes;
        this.ownedResources = ownedResources;
    }

    /** Loads {@code file} as Prometheus does; throws with every problem located when it is invalid. */
    public static Pipeline fromConfig(Path file) throws ConfigException {
        return fromConfig(ConfigLoader.load(file));
    }

    public static Pipeline fromConfig(PrometheusConfig config) {
        return builder().config(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts discovery; targets are scraped as soon as they are found. Call once. */
    public synchronized Pipeline start() {
        if (wiring != null) {
            throw new IllegalStateException("already started");
        }
        wiring = discovery.updates().subscribe(this::onDiscovery, e -> {
            log.atError().addKeyValue("err", e.toString()).log("Discovery stream failed");
            targetUpdates.tryEmitError(e);
        });
        discovery.apply(sdConfigs(config));
        return this;
    }

    /**
     * Applies a new config: discovery providers that did not change keep running, jobs whose
     * settings did not change keep their scrape loops (no gap), changed jobs are rebuilt from the
     * targets already discovered, removed jobs stop (their series get staleness markers).
     *
     * @throws IllegalArgumentException when a discoverer rejects its SD config; nothing changed then
     */
    public synchronized void apply(PrometheusConfig next) {
        Objects.requireNonNull(next, "next");
        PrometheusConfig previous = this.config;
        // Discovery first: it checks every SD config before changing anything, so a rejected config
        // leaves jobs and loops as they were. Updates it delivers meanwhile already see the new config.
        this.config = next;
        if (wiring != null) {
            try {
                discovery.apply(sdConfigs(next));
            } catch (RuntimeException rejected) {
                this.config = previous;
                throw rejected;
            }
        }
        for (String job : List.copyOf(jobs.keySet())) {
            ScrapeConfig now = next.job(job);
            if (now == null) {
                jobs.remove(job);
                targetSets.remove(job);
                scrapes.removePool(job);
            } else if (!now.equals(previous.job(job))) {
                JobTargets jt = jobs.get(job);
                TargetSet ts = jt.rebuild(new TargetBuilder(now));
                publish(job, now, ts);
            }
        }
        targetUpdates.tryEmitNext(Map.copyOf(targetSets));
    }

    private Map<String, List<SdConfig>> sdConfigs(PrometheusConfig cfg) {
        Map<String, List<SdConfig>> m = new LinkedHashMap<>();
        for (ScrapeConfig sc : cfg.scrapeConfigs()) {
            m.put(sc.jobName(), kubernetesPushDown ? pushDown(sc) : sc.sdConfigs());
        }
        return m;
    }

    /**
     * Beyond Prometheus: a pod job whose first relabel rules keep one node, some namespaces or some pod
     * label values watches only those pods (field/label selectors, namespace list). The rules still run
     * in full on what arrives, so the targets are the same as without push-down; the API server and this
     * process just handle fewer pods.
     */
    private static List<SdConfig> pushDown(ScrapeConfig job) {
        List<SdConfig> out = new ArrayList<>(job.sdConfigs().size());
        for (SdConfig sd : job.sdConfigs()) {
            if (sd instanceof KubernetesSdConfig k) {
                PushDown pd = KubernetesRole.fromConfig(k.role())
                        .map(role -> PushDown.analyze(role, job.relabelConfigs())).orElse(PushDown.NONE);
                KubernetesSdConfig narrowed = pd.narrow(k);
                if (narrowed != k) {
                    log.atInfo().addKeyValue("job", job.jobName()).addKeyValue("pushed", pd.describe())
                            .log("Kubernetes filter push-down");
                }
                out.add(narrowed);
            } else {
                out.add(sd);
            }
        }
        return out;
    }

    private synchronized void onDiscovery(DiscoveryUpdate update) {
        ScrapeConfig job = config.job(update.job());
        if (job == null) {
            return; // a job removed by a reload while its last update was in flight
        }
        JobTargets jt = jobs.get(update.job());
        if (jt == null || !jt.builder().job().equals(job)) {
            jt = new JobTargets(new TargetBuilder(job));
            jobs.put(update.job(), jt);
            if (!update.full()) {
                log.atWarn().addKeyValue("job", update.job()).log("Partial discovery update for an unknown job state");
            }
        }
        TargetSet ts = jt.apply(update);
        publish(update.job(), job, ts);
        targetUpdates.tryEmitNext(Map.copyOf(targetSets));
    }

    private void publish(String jobName, ScrapeConfig job, TargetSet ts) {
        for (TargetSet.TargetError e : ts.errors()) {
            log.atWarn().addKeyValue("job", jobName).addKeyValue("err", e.toString()).log("Creating target failed");
        }
        targetSets.put(jobName, ts);
        scrapes.reconcile(jobName, job, ts.active());
    }

    /** The current target set of every job: replays the latest to each new subscriber, then every change. */
    public Flux<Map<String, TargetSet>> targets() {
        return targetUpdates.asFlux();
    }

    /** The latest target sets, without subscribing. */
    public synchronized Map<String, TargetSet> currentTargets() {
        return Map.copyOf(targetSets);
    }

    /** Every scrape's samples (see the class doc for backpressure). One subscriber at a time. */
    public Flux<ScrapeBatch> scrapes() {
        return scrapes.batches();
    }

    /** Completes once every discovery provider has delivered its first state. */
    public Mono<Void> ready() {
        return discovery.ready();
    }

    public boolean isReady() {
        return discovery.isReady();
    }

    public synchronized PrometheusConfig config() {
        return config;
    }

    /** The discovery stage, for status pages and metrics. */
    public DiscoveryManager discovery() {
        return discovery;
    }

    /** The scrape stage, for target health and metrics. */
    public ScrapeManager scrapeManager() {
        return scrapes;
    }

    @Override
    public synchronized void dispose() {
        if (wiring != null) {
            wiring.dispose();
        }
        discovery.dispose();
        scrapes.dispose();
        try {
            ownedResources.close();
        } catch (Exception e) {
            log.atWarn().addKeyValue("err", e.toString()).log("Closing discovery resources failed");
        }
        targetUpdates.tryEmitComplete();
    }

    @Override
    public boolean isDisposed() {
        return scrapes.isDisposed();
    }

    @Override
    public void close() {
        dispose();
    }

    /** Settings of a pipeline; all but the config have defaults. */
    public static final class Builder {
        private PrometheusConfig config;
        private DiscovererRegistry registry;
        private ScrapeManager.Builder scrapes = ScrapeManager.builder();
        private boolean kubernetesPushDown = true;
        private Scheduler scheduler = Schedulers.parallel();
        private final List<DiscovererFactory<?>> extraDiscoverers = new ArrayList<>();

        public Builder config(PrometheusConfig config) {
            this.config = config;
            return this;
        }

        /** The discovery mechanisms available; default: every mechanism scrapeflux implements (static, file, http, dns, kubernetes). */
        public Builder discoverers(DiscovererRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Whether Kubernetes pod jobs push their leading {@code keep} rules down into the watch (default on;
         * targets are identical either way).
         */
        public Builder kubernetesPushDown(boolean enabled) {
            this.kubernetesPushDown = enabled;
            return this;
        }

        /** Timers of discovery (coalescing, retries); default parallel. The scrape engine's own is set on {@link #scrapes}. */
        public Builder discoveryScheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** A mechanism added to (or replacing one of) the available discoverers, such as the factory of custom sources. */
        public Builder withDiscoverer(DiscovererFactory<?> factory) {
            extraDiscoverers.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Scrape engine settings (client, scheduler, outlet capacity...). */
        public Builder scrapes(ScrapeManager.Builder scrapes) {
            this.scrapes = scrapes;
            return this;
        }

        public Pipeline build() {
            Objects.requireNonNull(config, "config");
            DiscovererRegistry r = registry;
            AutoCloseable owned = () -> { };
            if (r == null) {
                // Kubernetes watches are shared by every job of this pipeline that asks for the same ones.
                KubernetesInformerPool informers = new KubernetesInformerPool();
                r = StandardDiscoverers.registry().with(new KubernetesDiscovererFactory(informers));
                owned = informers;
            }
            for (DiscovererFactory<?> f : extraDiscoverers) {
                r = r.with(f);
            }
            DiscoveryManager discovery = new DiscoveryManager(r, Backoff.COALESCING, Backoff.RETRY, scheduler);
            return new Pipeline(config, discovery, scrapes.build(), owned, kubernetesPushDown);
        }
    }
}
