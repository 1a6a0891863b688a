package io.scrapeflux.config;

/** The relabel actions of Prometheus 3; names in config are case-insensitive. */
public enum RelabelAction {
    REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

    /** The name as written in Prometheus configs. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
