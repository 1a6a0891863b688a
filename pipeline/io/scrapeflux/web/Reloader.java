package io.scrapeflux.web;

import reactor.core.publisher.Mono;

/**
 * Reloads the configuration: completes when the new config is in force, errors (with the reason) when
 * it was rejected and the old one keeps running. {@code /-/reload} and SIGHUP both call it.
 */
@FunctionalInterface
public interface Reloader {
    Mono<Void> reload();
}
