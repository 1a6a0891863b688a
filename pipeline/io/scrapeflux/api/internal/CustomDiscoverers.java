package io.scrapeflux.api.internal;

import io.scrapeflux.config.CustomSdConfig;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import java.util.Map;

/** The discoverer factory of a pipeline's custom sources: each {@link CustomSdConfig} names one registered flux. */
public final class CustomDiscoverers implements DiscovererFactory<CustomSdConfig> {

    private final Map<String, Discoverer> byName;

    public CustomDiscoverers(Map<String, Discoverer> byName) {
        this.byName = Map.copyOf(byName);
    }

    @Override
    public Class<CustomSdConfig> configType() {
        return CustomSdConfig.class;
    }

    @Override
    public Discoverer create(CustomSdConfig config, FailureReporter failures) {
        Discoverer d = byName.get(config.name());
        if (d == null) {
            throw new IllegalArgumentException("no custom discoverer registered as \"" + config.name() + "\"");
        }
        return d;
    }
}
