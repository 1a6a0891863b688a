package io.scrapeflux.discovery;

import io.scrapeflux.config.SdConfig;
import java.time.Instant;
import java.util.Set;

/**
 * Health of one running discoverer, for metrics and the service-discovery page.
 *
 * @param provider      name, as {@code file/0}
 * @param config        the SD config it runs
 * @param jobs          jobs sharing it
 * @param sources       current non-empty groups
 * @param targets       current targets over those groups
 * @param lastUpdate    when it last delivered groups (null: never)
 * @param lastError     message of the latest failure (null: none yet)
 * @param lastErrorTime when that failure happened (null: none yet)
 * @param failures      failures so far (stream errors and internally retried attempts)
 * @param healthy       whether the latest outcome was a success
 */
public record ProviderStatus(String provider, SdConfig config, Set<String> jobs, int sources, int targets,
                             Instant lastUpdate, String lastError, Instant lastErrorTime, long failures,
                             boolean healthy) {
}
