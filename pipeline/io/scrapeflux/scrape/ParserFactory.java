package io.scrapeflux.scrape;

import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.exposition.ExpositionException;
import io.scrapeflux.exposition.ExpositionParser;

/**
 * Where a scrape loop gets a parser for a response: the border to the exposition stage. A loop asks
 * again only when the Content-Type changes, and reuses the parser it got otherwise.
 */
@FunctionalInterface
public interface ParserFactory {

    /**
     * A new parser for a body of {@code contentType} (null or empty when the response had none), or for
     * {@code fallback} when the type is missing or unknown; fails when neither applies.
     */
    ExpositionParser forContentType(String contentType, ScrapeProtocol fallback) throws ExpositionException;
}
