package io.scrapeflux.config;

import java.time.Duration;

/**
 * {@code gce_sd_configs}: lists the Compute Engine instances of one project and zone.
 *
 * @param project         the Google Cloud project id (required)
 * @param zone            the zone whose instances are listed (required; one block per zone)
 * @param filter          the {@code instances.list} filter expression, empty for none
 * @param refreshInterval time between listings
 * @param port            port appended to each instance's private IP in {@code __address__}
 * @param tagSeparator    joins the network tags in {@code __meta_gce_tags} (and surrounds the joined list)
 */
public record GceSdConfig(String project, String zone, String filter, Duration refreshInterval, int port,
                          String tagSeparator) implements SdConfig {

    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(60);
    public static final int DEFAULT_PORT = 80;
    public static final String DEFAULT_TAG_SEPARATOR = ",";

    @Override
    public String mechanism() {
        return "gce";
    }
}
