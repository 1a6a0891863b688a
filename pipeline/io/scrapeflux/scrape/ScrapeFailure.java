package io.scrapeflux.scrape;

/**
 * Why one scrape failed, worded as Prometheus words it (this text becomes the target's last error).
 * Carries no stack trace: failures are expected outcomes, one per failed scrape.
 */
public final class ScrapeFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of limit, if any, the scrape broke; drives the per-limit counters. */
    enum Kind { OTHER, BODY_SIZE_LIMIT, SAMPLE_LIMIT, LABEL_LIMIT }

    private final transient Kind kind;

    ScrapeFailure(String message) {
        this(Kind.OTHER, message);
    }

    ScrapeFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
