package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;

/** {@code dns_sd_configs}: record type SRV (default), A, AAAA, MX or NS; {@code port} for all but SRV. */
public record DnsSdConfig(List<String> names, String type, int port, Duration refreshInterval) implements SdConfig {

    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

    @Override
    public String mechanism() {
        return "dns";
    }
}
