package io.scrapeflux.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds one {@code scrape_configs} entry and applies the global → job inheritance of Prometheus 3. */
final class ScrapeConfigBinder {

    /** Prometheus prefers protobuf when native histograms are scraped and no protocols are configured. */
    static final List<ScrapeProtocol> PROTO_FIRST = List.of(ScrapeProtocol.PrometheusProto,
            ScrapeProtocol.OpenMetricsText1_0_0, ScrapeProtocol.OpenMetricsText0_0_1, ScrapeProtocol.PrometheusText1_0_0,
            ScrapeProtocol.PrometheusText0_0_4);

    private final HttpClientBinder http;
    private final SdConfigBinder sd;
    private final GlobalConfigBinder.Result globals;

    ScrapeConfigBinder(FilePaths paths, GlobalConfigBinder.Result globals) {
        this.http = new HttpClientBinder(paths);
        this.sd = new SdConfigBinder(paths, http);
        this.globals = globals;
    }

    /** The job, or null when it is too broken to use (errors recorded). */
    ScrapeConfig bind(Fields f) {
        GlobalConfig global = globals.config();
        Problems p = f.problems();
        int before = p.count();
        String jobName = f.string("job_name");
        String job = jobName == null ? "" : jobName;
        NameValidationScheme localScheme = GlobalConfigBinder.validationScheme(f, "metric_name_validation_scheme");
        NameValidationScheme scheme = localScheme == null ? global.metricNameValidationScheme() : localScheme;
        String escaping = GlobalConfigBinder.escapingScheme(f);
        boolean honorLabels = f.bool("honor_labels", false);
        boolean honorTimestamps = f.bool("honor_timestamps", true);
        boolean trackStaleness = f.bool("track_timestamps_staleness", false);
        Map<String, List<String>> params = params(f);
        Duration interval = f.duration("scrape_interval");
        Duration timeout = f.duration("scrape_timeout");
        List<ScrapeProtocol> protocols = GlobalConfigBinder.protocols(f, "scrape_protocols");
        ScrapeProtocol fallback = fallback(f, job);
        boolean nativeHistograms = f.bool("scrape_native_histograms", globals.nativeHistograms());
        f.bool("always_scrape_classic_histograms", global.alwaysScrapeClassicHistograms());
        f.bool("convert_classic_histograms_to_nhcb", global.convertClassicHistogramsToNhcb());
        f.unsupported("scrape_failure_log_file", "scrape failures are logged through the normal log");
        String metricsPath = f.string("metrics_path", "/metrics");
        String urlScheme = f.string("scheme", "http");
        boolean compression = f.bool("enable_compression", true);
        Limits local = GlobalConfigBinder.limits(f);
        f.uint("native_histogram_bucket_limit");
        f.number("native_histogram_min_bucket_factor", 0);
        boolean extraMetrics = f.bool("extra_scrape_metrics", global.extraScrapeMetrics());
        HttpClientConfig client = http.bind(f, HttpClientConfig.DEFAULT);
        List<RelabelConfig> relabel = RelabelBinder.bindList(f, "relabel_configs", scheme);
        List<RelabelConfig> metricRelabel = RelabelBinder.bindList(f, "metric_relabel_configs", scheme);
        List<SdConfig> sds = sd.bind(f);
        f.finish();

        if (job.isEmpty()) {
            p.add(f.location(), "job_name is empty");
        }
        if (!urlScheme.equals("http") && !urlScheme.equals("https")) {
            f.error("scheme", "scheme must be http or https, got \"" + urlScheme + "\"");
        }
        if (relabel.isEmpty() && f.list("relabel_configs").isEmpty()) {
            SdConfigBinder.checkStaticTargets(f, sds);
        }
        if (interval == null || interval.isZero()) {
            interval = global.scrapeInterval();
        }
        if (timeout != null && timeout.compareTo(interval) > 0) {
            p.add(f.keyLocation("scrape_timeout"),
                    "scrape timeout greater than scrape interval for scrape config with job name \"" + job + "\"");
        }
        if (timeout == null || timeout.isZero()) {
            timeout = GlobalConfigBinder.min(global.scrapeTimeout(), interval);
        }
        if (escaping == null) {
            if (localScheme == null) {
                escaping = global.metricNameEscapingScheme();
            } else {
                escaping = scheme == NameValidationScheme.LEGACY ? "underscores" : "allow-utf-8";
            }
        }
        if (escaping.equals("allow-utf-8") && scheme != NameValidationScheme.UTF8) {
            p.add(f.keyLocation(f.has("metric_name_escaping_scheme") ? "metric_name_escaping_scheme"
                    : "metric_name_validation_scheme"),
                    "utf8 metric names requested but validation scheme is not set to UTF8 (job \"" + job + "\")");
        }
        if (protocols == null) {
            protocols = globals.protocolsSet() || !nativeHistograms ? global.scrapeProtocols() : PROTO_FIRST;
        }
        if (p.count() != before) {
            return null;
        }
        return new ScrapeConfig(job, interval, timeout, protocols,
                fallback, metricsPath, urlScheme, honorLabels, honorTimestamps, trackStaleness, compression, params,
                client, inherit(local, global.limits()), scheme, escaping, extraMetrics, relabel, metricRelabel,
                List.copyOf(sds), f.location());
    }

    private static ScrapeProtocol fallback(Fields f, String job) {
        String name = f.string("fallback_scrape_protocol");
        if (name == null || name.isEmpty()) {
            return null;
        }
        ScrapeProtocol p = GlobalConfigBinder.protocol(name);
        if (p == null) {
            f.error("fallback_scrape_protocol", "invalid fallback_scrape_protocol for scrape config with job name \""
                    + job + "\": unknown scrape protocol " + name + ", supported: " + GlobalConfigBinder.supportedProtocols());
        }
        return p;
    }

    /** A job limit of 0 means "not set" and takes the global value. */
    private static Limits inherit(Limits job, Limits global) {
        return new Limits(
                job.bodySizeLimit() != 0 ? job.bodySizeLimit() : global.bodySizeLimit(),
                job.sampleLimit() != 0 ? job.sampleLimit() : global.sampleLimit(),
                job.labelLimit() != 0 ? job.labelLimit() : global.labelLimit(),
                job.labelNameLengthLimit() != 0 ? job.labelNameLengthLimit() : global.labelNameLengthLimit(),
                job.labelValueLengthLimit() != 0 ? job.labelValueLengthLimit() : global.labelValueLengthLimit(),
                job.targetLimit() != 0 ? job.targetLimit() : global.targetLimit(),
                job.keepDroppedTargets() != 0 ? job.keepDroppedTargets() : global.keepDroppedTargets());
    }

    /** {@code params}: name to list of values (Go's url.Values). */
    private static Map<String, List<String>> params(Fields f) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        YamlNode.MapNode m = f.mapping("params");
        if (m != null) {
            m.entries().forEach((name, values) ->
                    out.put(name, List.copyOf(Fields.strings(f.problems(), "params." + name, values))));
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
