package io.scrapeflux.config;

/** Per-scrape limits; 0 means no limit. {@code bodySizeLimit} is in bytes. */
public record Limits(
        long bodySizeLimit,
        long sampleLimit,
        long labelLimit,
        long labelNameLengthLimit,
        long labelValueLengthLimit,
        long targetLimit,
        long keepDroppedTargets) {

    public static final Limits NONE = new Limits(0, 0, 0, 0, 0, 0, 0);
}
