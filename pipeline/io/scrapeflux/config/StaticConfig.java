package io.scrapeflux.config;

import java.util.List;
import java.util.Map;

/** One entry of {@code static_configs}: a target group written inline. */
public record StaticConfig(List<String> targets, Map<String, String> labels) implements SdConfig {

    @Override
    public String mechanism() {
        return "static";
    }
}
