package io.scrapeflux.config;

/** Where something was written in a config file, for error messages ({@code file:line:col}). */
public record SourceLocation(String file, int line, int column) {

    public static final SourceLocation NONE = new SourceLocation("", 0, 0);

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return file + ":" + line + ":" + column;
    }
}
