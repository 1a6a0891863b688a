package io.scrapeflux.config;

/**
 * A service-discovery source supplied by a library user instead of a config file (no YAML form).
 *
 * <p>It only names the source: the {@code api} stage registers the matching discoverer factory, so the
 * discovery stage runs it like any other provider (shared by the jobs listing it, restarted with
 * backoff when it fails, kept running across reloads while its name stays).
 *
 * @param name unique per pipeline; two jobs listing the same name share one running source
 */
public record CustomSdConfig(String name) implements SdConfig {

    public CustomSdConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("custom discoverer name must not be blank");
        }
    }

    @Override
    public String mechanism() {
        return "custom";
    }
}
