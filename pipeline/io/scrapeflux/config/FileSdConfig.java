package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;

/** {@code file_sd_configs}: JSON/YAML files, {@code *} allowed in the last path element. */
public record FileSdConfig(List<String> files, Duration refreshInterval) implements SdConfig {

    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

    @Override
    public String mechanism() {
        return "file";
    }
}
