/**
 * Not API: the engine behind {@link io.scrapeflux.api.Scrapeflux} and the CLI agent, with signatures in
 * the stages' internal types, and helpers of the public facade. Library users use {@code io.scrapeflux.api}.
 */
package io.scrapeflux.api.internal;
