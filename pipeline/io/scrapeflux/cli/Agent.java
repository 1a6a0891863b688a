package io.scrapeflux.cli;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.api.internal.Pipeline;
import io.scrapeflux.web.BuildInfo;
import io.scrapeflux.web.PipelineWebState;
import io.scrapeflux.web.SelfMetrics;
import io.scrapeflux.web.WebState;
import io.scrapeflux.web.ReloadTracker;
import io.scrapeflux.web.Reloader;
import io.scrapeflux.web.WebServer;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The running agent: holds the config in force and wires the pipeline stages to it.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #stop()} once (idempotent; SIGTERM and {@code /-/quit} both
 * end up there), {@link #awaitTermination()} blocks the main thread until stopped. {@link #apply} is the
 * one place where stages are (re)configured from a config.
 */
public final class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentOptions options;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicReference<PrometheusConfig> config = new AtomicReference<>();
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final WebServer web;
    private final Reloader reloader;
    private final Pipeline pipeline;
    private final Outputs outputs;

    public Agent(AgentOptions options, PrometheusConfig initial) {
        this.options = options;
        this.config.set(initial);
        JvmMetrics.builder().register(registry);
        // one reloader for /-/reload and SIGHUP: serialized, logged, and counted in the reload metrics
        this.reloader = new ReloadTracker(
                () -> Mono.fromCallable(Agent.this::reloadConfig).subscribeOn(Schedulers.boundedElastic()).then(),
                registry, Clock.systemUTC());
        WebServer.Lifecycle lifecycle = options.enableLifecycle() ? new WebServer.Lifecycle() {
            @Override
            public Mono<Void> reload() {
                return reloader.reload();
            }

            @Override
            public void quit() {
                stop();
            }
        } : null;
        this.pipeline = Pipeline.builder().config(initial).kubernetesPushDown(options.kubernetesPushDown()).build();
        this.outputs = new Outputs(options.storagePath());
        SelfMetrics.registerDiscovery(registry, pipeline.discovery()::statuses);
        SelfMetrics.registerScrape(registry, () -> pipeline.scrapeManager());
        SelfMetrics.registerRemoteWrite(registry, outputs::queueMetrics);
        WebState webState = new PipelineWebState(pipeline.scrapeManager(), pipeline::currentTargets, config::get,
                flags(options), BuildInfo.current(), this::isReady);
        this.web = WebServer.builder(options.listenAddress(), registry).ready(this::isReady).lifecycle(lifecycle)
                .state(webState).webConfig(options.webConfig()).build();
    }

    /** Creates the storage directory, starts the web server and applies the initial config. */
    public synchronized void start() {
        if (stopped.get()) {
            return; // a signal arrived before start: nothing to start
        }
        try {
            java.nio.file.Files.createDirectories(options.storagePath());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create --storage.path " + options.storagePath(), e);
        }
        web.start();
        try {
            outputs.apply(config.get());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot open the remote write queues under " + options.storagePath(), e);
        }
        outputs.consume(pipeline.scrapes());
        pipeline.start();
        apply(config.get());
        ready.set(true);
        log.atInfo().addKeyValue("storage_path", options.storagePath()).log("Agent started");
    }

    /** Loads the config file again and applies it; the old config stays in force when the new one is invalid. */
    public PrometheusConfig reloadConfig() throws ConfigException, java.io.IOException {
        PrometheusConfig next;
        try {
            next = options.configFile() == null ? ConfigLoader.loadEmbeddedDefault() : ConfigLoader.load(options.configFile());
        } catch (ConfigException e) {
            log.atError().addKeyValue("file", sourceName()).addKeyValue("err", e.getMessage())
                    .log("Error reloading config, keeping the previous one");
            throw e;
        }
        synchronized (this) {
            // Remote write first: when its queues cannot open, the reload fails and the pipeline keeps the old config.
            outputs.apply(next);
            pipeline.apply(next);
            config.set(next);
        }
        apply(next);
        log.atInfo().addKeyValue("file", sourceName()).log("Completed loading of configuration file");
        return next;
    }

    /** Logs the jobs of the config now in force (the stages themselves were brought in line by the caller). */
    private void apply(PrometheusConfig cfg) {
        for (io.scrapeflux.config.ConfigError w : cfg.warnings()) {
            log.atWarn().addKeyValue("at", w.location()).log(w.message());
        }
        for (ScrapeConfig job : cfg.scrapeConfigs()) {
            log.atInfo().addKeyValue("job", job.jobName())
                    .addKeyValue("interval", io.scrapeflux.config.PromDuration.format(job.scrapeInterval()))
                    .addKeyValue("timeout", io.scrapeflux.config.PromDuration.format(job.scrapeTimeout()))
                    .addKeyValue("sd", job.sdConfigs().stream().map(sd -> sd.mechanism()).distinct().toList())
                    .log("Scrape job loaded");
        }
        log.atInfo().addKeyValue("jobs", cfg.scrapeConfigs().size())
                .addKeyValue("remote_write", cfg.remoteWrite().size()).log("Configuration applied");
    }

    public PrometheusConfig config() {
        return config.get();
    }

    /** The flags as {@code /api/v1/status/flags} lists them: name without dashes to value. */
    private static java.util.Map<String, String> flags(AgentOptions o) {
        return java.util.Map.of(
                "config.file", o.configFile() == null ? "" : o.configFile().toString(),
                "web.listen-address", o.listenAddress().getHostString() + ":" + o.listenAddress().getPort(),
                "web.enable-lifecycle", Boolean.toString(o.enableLifecycle()),
                "storage.path", o.storagePath().toString(),
                "discovery.kubernetes.push-down", Boolean.toString(o.kubernetesPushDown()));
    }

    /** Reloads the config file (what SIGHUP and {@code /-/reload} call). */
    public Reloader reloader() {
        return reloader;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The web server's bound port. */
    public int port() {
        return web.port();
    }

    /** Ready once started and every discovery provider has delivered its first state (Prometheus's /-/ready). */
    public boolean isReady() {
        return ready.get() && pipeline.isReady();
    }

    /** Stops everything; safe to call more than once and from any thread. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        ready.set(false);
        log.info("Stopping agent");
        // Waits for a start() in progress, so a server it binds is stopped too.
        synchronized (this) {
            stopStages();
        }
    }

    private void stopStages() {
        ready.set(false);
        try {
            pipeline.dispose(); // stops the loops; their staleness markers still reach the queues
            outputs.dispose();
            web.stop();
        } finally {
            terminated.countDown();
            log.info("Agent stopped");
        }
    }

    /** Blocks until {@link #stop()} has run. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private String sourceName() {
        return options.configFile() == null ? ConfigLoader.EMBEDDED_SOURCE : options.configFile().toString();
    }
}
