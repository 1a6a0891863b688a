package io.scrapeflux.discovery.kubernetes;

import java.time.Instant;

/**
 * The state of one shared Kubernetes watch, for status pages and logs.
 *
 * @param watch       which resource, namespace, selectors and API server
 * @param synced      whether the first full list has arrived
 * @param lastError   the last list/watch failure since the last successful list, or null
 * @param lastErrorAt when that failure happened, or null
 * @param events      add/update/delete events handled so far
 * @param objects     objects currently known
 */
public record WatchHealth(String watch, boolean synced, String lastError, Instant lastErrorAt, long events, int objects) {
}
