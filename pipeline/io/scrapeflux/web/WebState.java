package io.scrapeflux.web;

import java.util.List;
import java.util.Map;

/**
 * Everything the API and UI show, read as immutable snapshots. The agent implements it from the live
 * stages ({@link PipelineWebState}); tests use {@link InMemoryWebState}. Every method may be called
 * from a Netty event loop, so implementations return what they hold without blocking or I/O.
 */
public interface WebState {

    /** Active and dropped targets of every scrape pool, taken at one moment. */
    TargetsSnapshot targets();

    /** Scraped metric metadata per target; empty when the scrape stage keeps none. */
    default List<TargetMetadata> metadata() {
        return List.of();
    }

    /** The config in force as YAML, secrets shown as {@code <secret>}. */
    String configYaml();

    /** Command-line flags by name without the leading dashes, values as given or defaulted. */
    Map<String, String> flags();

    BuildInfo buildInfo();

    /** True once the first discovery sync has happened (and until shutdown starts). */
    boolean isReady();
}
