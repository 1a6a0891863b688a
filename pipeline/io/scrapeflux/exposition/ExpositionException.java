package io.scrapeflux.exposition;

/** A malformed scrape body: says which line and what is wrong. The only exception a parser throws. */
public class ExpositionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    public ExpositionException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
