package io.scrapeflux.scrape;

import io.scrapeflux.config.ScrapeConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** One job's loops under one configuration; the manager replaces the pool when the configuration changes. */
final class ScrapePool {

    final String name;
    final ScrapeConfig config;
    final LoopSettings settings;
    final ScrapeFetcher fetcher;
    /** Loops by target identity, in the order targets were first seen. Guarded by the manager. */
    final Map<String, ScrapeLoop> loops = new LinkedHashMap<>();
    /** Set while the pool is over its target_limit: every loop fails its scrapes with it. */
    volatile ScrapeFailure forcedError;

    ScrapePool(String name, ScrapeConfig config, LoopSettings settings, ScrapeFetcher fetcher) {
        this.name = name;
        this.config = config;
        this.settings = settings;
        this.fetcher = fetcher;
    }

    ScrapeFailure forcedError() {
        return forcedError;
    }
}
