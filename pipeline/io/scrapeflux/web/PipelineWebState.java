package io.scrapeflux.web;

import io.scrapeflux.config.ConfigPrinter;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.target.TargetSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@link WebState} over the running stages: active targets and health from the {@link ScrapeManager},
 * dropped targets from each job's latest {@link TargetSet}, the config in force from {@code config}.
 *
 * <p>{@code targetSets} supplies each job's latest target set by job name (what the agent last
 * reconciled); {@code ready} is true after the first discovery sync, e.g. {@code discovery::isReady}.
 */
public final class PipelineWebState implements WebState {

    private final ScrapeManager scrapes;
    private final Supplier<Map<String, TargetSet>> targetSets;
    private final Supplier<PrometheusConfig> config;
    private final Map<String, String> flags;
    private final BuildInfo buildInfo;
    private final BooleanSupplier ready;
    /** Rendering the YAML walks the whole config: done once per loaded config. */
    private volatile RenderedConfig rendered;

    private record RenderedConfig(PrometheusConfig config, String yaml) {
    }

    public PipelineWebState(ScrapeManager scrapes, Supplier<Map<String, TargetSet>> targetSets,
            Supplier<PrometheusConfig> config, Map<String, String> flags, BuildInfo buildInfo, BooleanSupplier ready) {
        this.scrapes = scrapes;
        this.targetSets = targetSets;
        this.config = config;
        this.flags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(flags));
        this.buildInfo = buildInfo;
        this.ready = ready;
    }

    @Override
    public Map<String, String> flags() {
        return flags;
    }

    @Override
    public BuildInfo buildInfo() {
        return buildInfo;
    }

    @Override
    public TargetsSnapshot targets() {
        PrometheusConfig cfg = config.get();
        Map<String, TargetSet> sets = targetSets.get();
        List<String> pools = new ArrayList<>();
        Map<String, List<ActiveTarget>> active = new LinkedHashMap<>();
        Map<String, List<Labels>> dropped = new LinkedHashMap<>();
        Map<String, Long> droppedCounts = new LinkedHashMap<>();
        for (ScrapeConfig job : cfg.scrapeConfigs()) {
            String pool = job.jobName();
            pools.add(pool);
            List<ActiveTarget> targets = new ArrayList<>();
            scrapes.targets(pool).forEach((t, h) -> targets.add(new ActiveTarget(t, h)));
            active.put(pool, targets);
            TargetSet set = sets.get(pool);
            dropped.put(pool, set == null ? List.of() : set.dropped());
            droppedCounts.put(pool, set == null ? 0L : set.droppedTotal());
        }
        return new TargetsSnapshot(pools, active, dropped, droppedCounts);
    }

    @Override
    public String configYaml() {
        PrometheusConfig cfg = config.get();
        RenderedConfig r = rendered;
        if (r == null || r.config() != cfg) {
            r = new RenderedConfig(cfg, ConfigPrinter.toYaml(cfg));
            rendered = r;
        }
        return r.yaml();
    }

    @Override
    public boolean isReady() {
        return ready.getAsBoolean();
    }
}
