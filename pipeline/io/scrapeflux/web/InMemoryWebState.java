package io.scrapeflux.web;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link WebState} holding values set from outside: for tests and for embedding without the full
 * pipeline. Each setter replaces one snapshot atomically.
 */
public final class InMemoryWebState implements WebState {

    private volatile TargetsSnapshot targets = TargetsSnapshot.EMPTY;
    private volatile List<TargetMetadata> metadata = List.of();
    private volatile String configYaml = "";
    private volatile Map<String, String> flags = Map.of();
    private volatile BuildInfo buildInfo = BuildInfo.current();
    private volatile boolean ready;

    @Override
    public TargetsSnapshot targets() {
        return targets;
    }

    public InMemoryWebState targets(TargetsSnapshot targets) {
        this.targets = targets;
        return this;
    }

    @Override
    public List<TargetMetadata> metadata() {
        return metadata;
    }

    public InMemoryWebState metadata(List<TargetMetadata> metadata) {
        this.metadata = List.copyOf(metadata);
        return this;
    }

    @Override
    public String configYaml() {
        return configYaml;
    }

    public InMemoryWebState configYaml(String yaml) {
        this.configYaml = yaml;
        return this;
    }

    @Override
    public Map<String, String> flags() {
        return flags;
    }

    public InMemoryWebState flags(Map<String, String> flags) {
        this.flags = java.util.Collections.unmodifiableMap(new TreeMap<>(flags));
        return this;
    }

    @Override
    public BuildInfo buildInfo() {
        return buildInfo;
    }

    public InMemoryWebState buildInfo(BuildInfo buildInfo) {
        this.buildInfo = buildInfo;
        return this;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    public InMemoryWebState ready(boolean ready) {
        this.ready = ready;
        return this;
    }
}
