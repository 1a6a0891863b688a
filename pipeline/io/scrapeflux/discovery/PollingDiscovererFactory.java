package io.scrapeflux.discovery;

import io.scrapeflux.config.SdConfig;
import reactor.core.scheduler.Scheduler;

/**
 * What every factory of a polling mechanism (http, the clouds) holds: the backoff after a failed
 * refresh and the scheduler of its {@link RefreshDiscoverer}. Subclasses add their own endpoints and
 * credentials and build the discoverer.
 */
public abstract class PollingDiscovererFactory<C extends SdConfig> implements DiscovererFactory<C> {

    private final Class<C> configType;
    protected final Backoff failureBackoff;
    protected final Scheduler scheduler;

    protected PollingDiscovererFactory(Class<C> configType, Backoff failureBackoff, Scheduler scheduler) {
        this.configType = configType;
        this.failureBackoff = failureBackoff;
        this.scheduler = scheduler;
    }

    @Override
    public final Class<C> configType() {
        return configType;
    }
}
