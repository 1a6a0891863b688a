package io.scrapeflux.config;

/** One problem found in a config file: where it is and what is wrong. */
public record ConfigError(SourceLocation location, String message) {

    /** {@code file:line:col: message}, the form editors and CI logs link to. */
    @Override
    public String toString() {
        String where = location == null ? "" : location.toString();
        return where.isEmpty() ? message : where + ": " + message;
    }
}
