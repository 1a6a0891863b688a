package io.scrapeflux.web;

/**
 * What {@code /api/v1/status/buildinfo} reports. Field names follow Prometheus; {@code goVersion}
 * carries the Java runtime version, since tools read that field.
 */
public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
        String goVersion) {

    /** Version from the jar manifest (or {@code dev}), unknown VCS details, the running Java version. */
    public static BuildInfo current() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return new BuildInfo(v == null ? "dev" : v, "unknown", "unknown", "unknown", "unknown",
                "java" + Runtime.version());
    }
}
