/**
 * The public library API of scrapeflux; everything a library user needs is in this package.
 *
 * <ul>
 * <li>{@link io.scrapeflux.api.Scrapeflux}: a whole pipeline (discovery → relabeling → scraping) built
 *     from a Prometheus config file or in code ({@link io.scrapeflux.api.JobSettings}, custom discoverers
 *     as {@code Flux<List<TargetGroup>>}), observed through {@code targets()} and {@code scrapes()}. Its
 *     class doc states the backpressure, cancellation and error contract.</li>
 * <li>{@link io.scrapeflux.api.Relabeling}, {@link io.scrapeflux.api.Exposition},
 *     {@link io.scrapeflux.api.Discovery}: the relabel engine, the exposition parsers and the discovery
 *     mechanisms on their own.</li>
 * </ul>
 *
 * <p>Public surface: the types of this package, plus {@link io.scrapeflux.model.Labels} (an immutable,
 * sorted label set, shared between scrapes so batches do not copy labels per sample) and the
 * Reactor types. Nothing else of {@code io.scrapeflux.*} appears in these signatures; the other packages,
 * {@code io.scrapeflux.api.internal} included, are internals that may change between versions.
 */
package io.scrapeflux.api;
