package io.scrapeflux.discovery;

import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.model.Labels;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * {@code static_configs}: one entry is one target group, under source {@code "0"} (its index, as Prometheus numbers
 * the groups of a static provider). It sends its state once and completes; the manager keeps the groups.
 */
public final class StaticDiscoverer implements Discoverer {

    private final TargetGroup group;

    public StaticDiscoverer(StaticConfig config) {
        List<Labels> targets = new ArrayList<>(config.targets().size());
        for (String address : config.targets()) {
            targets.add(Labels.of(TargetGroups.ADDRESS_LABEL, address));
        }
        this.group = new TargetGroup("0", targets,
                config.labels() == null ? Labels.EMPTY : Labels.fromMap(config.labels()));
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return Flux.just(group.isEmpty() ? List.of() : List.of(group));
    }

    /** The factory registered for {@link StaticConfig}. */
    public static final class Factory implements DiscovererFactory<StaticConfig> {
        @Override
        public Class<StaticConfig> configType() {
            return StaticConfig.class;
        }

        @Override
        public Discoverer create(StaticConfig config, FailureReporter failures) {
            return new StaticDiscoverer(config);
        }
    }
}
