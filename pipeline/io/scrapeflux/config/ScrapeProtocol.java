package io.scrapeflux.config;

/** The exposition formats a scrape may ask for, with the media type each stands for. */
public enum ScrapeProtocol {
    PrometheusProto("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"),
    OpenMetricsText1_0_0("application/openmetrics-text;version=1.0.0"),
    OpenMetricsText0_0_1("application/openmetrics-text;version=0.0.1"),
    PrometheusText1_0_0("text/plain;version=1.0.0"),
    PrometheusText0_0_4("text/plain;version=0.0.4");

    private final String mediaType;

    ScrapeProtocol(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The name as written in config ({@code OpenMetricsText1.0.0}). */
    public String configName() {
        return name().replace('_', '.');
    }

    /** Prometheus 3's default order when neither global nor job sets {@code scrape_protocols}. */
    public static final java.util.List<ScrapeProtocol> DEFAULTS = java.util.List.of(
            OpenMetricsText1_0_0, OpenMetricsText0_0_1, PrometheusText1_0_0, PrometheusText0_0_4);
}
