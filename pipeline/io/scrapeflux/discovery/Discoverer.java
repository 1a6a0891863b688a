package io.scrapeflux.discovery;

import java.util.List;
import reactor.core.publisher.Flux;

/**
 * One running service-discovery mechanism.
 *
 * <p>Contract, as Prometheus's {@code Discoverer.Run}: the first element holds the full current state
 * (possibly an empty list); later elements hold only the groups that changed, and a group with no
 * targets deletes its source. The flux does not complete while the mechanism runs; it is cold: every
 * subscription starts the mechanism and cancelling stops it and releases its resources (files,
 * watches, connections). Failures of the underlying source are retried inside with backoff and the
 * last good state stays in force; an error signal only means the discoverer cannot run at all.
 */
@FunctionalInterface
public interface Discoverer {

    Flux<List<TargetGroup>> discover();
}
