package io.scrapeflux.config;

/** Binds one {@code gce_sd_configs} entry with Prometheus's defaults and required fields. */
final class GceSdBinder {

    private GceSdBinder() {
    }

    static GceSdConfig bind(Fields f) {
        String project = f.string("project", "");
        String zone = f.string("zone", "");
        String filter = f.string("filter", "");
        java.time.Duration refresh = SdConfigBinder.orDefault(f.duration("refresh_interval"), GceSdConfig.DEFAULT_REFRESH);
        int port = f.integer("port", GceSdConfig.DEFAULT_PORT);
        // As in Go: an absent key keeps the default, an explicit empty value means no separator.
        String tagSeparator = f.stringOrZero("tag_separator", GceSdConfig.DEFAULT_TAG_SEPARATOR);
        f.finish();
        if (project.isEmpty()) {
            f.problems().add(f.keyLocation("project"), "GCE SD configuration requires a project");
        }
        if (zone.isEmpty()) {
            f.problems().add(f.keyLocation("zone"), "GCE SD configuration requires a zone");
        }
        return new GceSdConfig(project, zone, filter, refresh, port, tagSeparator);
    }
}
