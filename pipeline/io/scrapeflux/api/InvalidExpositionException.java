package io.scrapeflux.api;

/** A scrape body {@link Exposition#parse} cannot read; {@link #line()} is 1-based (0: the Content-Type). */
public final class InvalidExpositionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int line;

    public InvalidExpositionException(int line, String message) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
