package io.scrapeflux.config;

import java.time.Duration;

/** {@code http_sd_configs}: polls a URL returning Prometheus's HTTP SD JSON. */
public record HttpSdConfig(String url, Duration refreshInterval, HttpClientConfig http) implements SdConfig {

    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(1);

    @Override
    public String mechanism() {
        return "http";
    }
}
