package io.scrapeflux.discovery;

import io.scrapeflux.config.SdConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps each SD config type to the factory of its discoverer. Immutable; {@link #with} returns an extended copy, so
 * a mechanism living in a later package (kubernetes) registers itself without this class knowing it.
 */
public final class DiscovererRegistry {

    private final Map<Class<? extends SdConfig>, DiscovererFactory<?>> factories;

    public DiscovererRegistry(List<? extends DiscovererFactory<?>> factories) {
        Map<Class<? extends SdConfig>, DiscovererFactory<?>> byType = new LinkedHashMap<>();
        for (DiscovererFactory<?> f : factories) {
            if (byType.put(f.configType(), f) != null) {
                throw new IllegalArgumentException("two discoverer factories for " + f.configType().getSimpleName());
            }
        }
        this.factories = Map.copyOf(byType);
    }

    /** A registry with {@code factory} added (or replacing the one for the same config type). */
    public DiscovererRegistry with(DiscovererFactory<?> factory) {
        List<DiscovererFactory<?>> all = new ArrayList<>();
        factories.forEach((type, f) -> {
            if (type != factory.configType()) {
                all.add(f);
            }
        });
        all.add(factory);
        return new DiscovererRegistry(all);
    }

    public boolean supports(SdConfig config) {
        return factories.containsKey(config.getClass());
    }

    /**
     * Creates (does not start) the discoverer for {@code config}.
     *
     * @throws IllegalArgumentException when no factory handles the config's type
     */
    public Discoverer create(SdConfig config, FailureReporter failures) {
        DiscovererFactory<?> factory = factories.get(config.getClass());
        if (factory == null) {
            throw new IllegalArgumentException("no discoverer registered for " + config.mechanism() + "_sd_configs");
        }
        return createWith(factory, config, failures);
    }

    private static <C extends SdConfig> Discoverer createWith(DiscovererFactory<C> factory, SdConfig config,
                                                              FailureReporter failures) {
        return factory.create(factory.configType().cast(config), failures);
    }
}
