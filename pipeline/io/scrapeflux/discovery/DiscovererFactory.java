package io.scrapeflux.discovery;

import io.scrapeflux.config.SdConfig;

/**
 * Builds the {@link Discoverer} for one kind of SD config; one factory per mechanism, collected by a
 * {@link DiscovererRegistry}. Creating a discoverer must not start it: discoverers are cold.
 *
 * @param <C> the config record this factory understands
 */
public interface DiscovererFactory<C extends SdConfig> {

    Class<C> configType();

    /**
     * @param config   the SD config block
     * @param failures where the discoverer reports failures it retries internally
     */
    Discoverer create(C config, FailureReporter failures);
}
