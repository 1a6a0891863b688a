package io.scrapeflux.web;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.scrapeflux.discovery.ProviderStatus;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.scrape.ScrapeMetrics;
import io.scrapeflux.sink.QueueMetrics;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Registers scrapeflux's own metrics as callback collectors over the stages' counters, read at each
 * {@code /metrics} request (on a bounded-elastic thread, see {@link WebServer}). Callbacks go through
 * suppliers so stages replaced by a reload are picked up without registering again.
 */
public final class SelfMetrics {

    /** The scrape engine's counters, by the names {@link ScrapeMetrics} documents. */
    private record ScrapeCounter(String name, String help, ToLongFunction<ScrapeMetrics> value) {
    }

    private static final List<ScrapeCounter> SCRAPE_COUNTERS = List.of(
            new ScrapeCounter("scrapeflux_scrapes", "Scrapes attempted.",
                    ScrapeMetrics::scrapes),
            new ScrapeCounter("scrapeflux_scrape_failures", "Scrapes that ended with up=0.",
                    ScrapeMetrics::failures),
            new ScrapeCounter("scrapeflux_scrape_missed_ticks", "Interval ticks that fired while the target's previous scrape still ran.",
                    ScrapeMetrics::missedTicks),
            new ScrapeCounter("scrapeflux_scrapes_skipped", "Due scrapes not started because the pipeline downstream had no room.",
                    ScrapeMetrics::scrapesSkipped),
            new ScrapeCounter("scrapeflux_scrape_samples", "Samples emitted by scrapes, report series and staleness markers included.",
                    ScrapeMetrics::samples),
            new ScrapeCounter("scrapeflux_scrape_exceeded_body_size_limit", "Scrapes that hit body_size_limit.",
                    ScrapeMetrics::exceededBodySizeLimit),
            new ScrapeCounter("scrapeflux_scrape_exceeded_sample_limit", "Scrapes that hit sample_limit.",
                    ScrapeMetrics::exceededSampleLimit),
            new ScrapeCounter("scrapeflux_scrape_exceeded_label_limits", "Scrapes that hit a label limit.",
                    ScrapeMetrics::exceededLabelLimits),
            new ScrapeCounter("scrapeflux_scrape_pool_exceeded_target_limit", "Reconciles that found a pool over its target_limit.",
                    ScrapeMetrics::exceededTargetLimit),
            new ScrapeCounter("scrapeflux_scrape_duplicate_samples", "Repeated series within one scrape, dropped.",
                    ScrapeMetrics::duplicateSamples),
            new ScrapeCounter("scrapeflux_scrape_cache_flush_forced", "Series caches flushed because failed scrapes kept growing them.",
                    ScrapeMetrics::cacheFlushForced));

    private SelfMetrics() {
    }

    /** Per discovery provider: targets, groups, health, failures and last update time. */
    public static void registerDiscovery(PrometheusRegistry registry, Supplier<? extends Collection<ProviderStatus>> providers) {
        GaugeWithCallback.builder().name("scrapeflux_sd_discovered_targets")
                .help("Targets the provider currently discovers.").labelNames("provider", "mechanism")
                .callback(cb -> providers.get().forEach(p -> cb.call(p.targets(), p.provider(), p.config().mechanism())))
                .register(registry);
        GaugeWithCallback.builder().name("scrapeflux_sd_discovered_groups")
                .help("Non-empty target groups the provider currently discovers.").labelNames("provider")
                .callback(cb -> providers.get().forEach(p -> cb.call(p.sources(), p.provider())))
                .register(registry);
        GaugeWithCallback.builder().name("scrapeflux_sd_provider_healthy")
                .help("1 when the provider's latest refresh succeeded, 0 otherwise.").labelNames("provider")
                .callback(cb -> providers.get().forEach(p -> cb.call(p.healthy() ? 1 : 0, p.provider())))
                .register(registry);
        CounterWithCallback.builder().name("scrapeflux_sd_provider_failures")
                .help("Failed refreshes or watch errors of the provider.").labelNames("provider")
                .callback(cb -> providers.get().forEach(p -> cb.call(p.failures(), p.provider())))
                .register(registry);
        GaugeWithCallback.builder().name("scrapeflux_sd_last_update_timestamp_seconds")
                .help("When the provider last delivered target groups.").labelNames("provider")
                .callback(cb -> providers.get().forEach(p -> {
                    if (p.lastUpdate() != null) {
                        cb.call(seconds(p.lastUpdate()), p.provider());
                    }
                }))
                .register(registry);
    }

    /** Scrape engine counters and targets per pool. */
    public static void registerScrape(PrometheusRegistry registry, Supplier<ScrapeManager> scrapes) {
        SCRAPE_COUNTERS.forEach(c -> scrapeCounter(registry, scrapes, c.name(), c.help(), c.value()));
        GaugeWithCallback.builder().name("scrapeflux_scrape_pool_targets")
                .help("Active targets of the scrape pool.").labelNames("scrape_job")
                .callback(cb -> {
                    ScrapeManager m = scrapes.get();
                    if (m != null) {
                        m.pools().forEach(pool -> cb.call(m.targets(pool).size(), pool));
                    }
                })
                .register(registry);
    }

    private static void scrapeCounter(PrometheusRegistry registry, Supplier<ScrapeManager> scrapes, String name,
            String help, ToLongFunction<ScrapeMetrics> value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> {
                    ScrapeManager m = scrapes.get();
                    if (m != null) {
                        cb.call(value.applyAsLong(m.metrics()));
                    }
                })
                .register(registry);
    }

    /** Remote-write queue metrics, labelled by {@code remote_name} and {@code url} (see {@link QueueMetrics}). */
    public static void registerRemoteWrite(PrometheusRegistry registry, Supplier<? extends Collection<QueueMetrics>> queues) {
        QueueMetrics.register(registry, queues);
    }

    static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** Convenience for agents without a stage yet: an always-empty provider list. */
    public static Supplier<List<ProviderStatus>> noProviders() {
        return List::of;
    }
}
