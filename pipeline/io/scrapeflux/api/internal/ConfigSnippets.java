package io.scrapeflux.api.internal;

import io.scrapeflux.config.ConfigError;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.SdConfig;
import io.scrapeflux.config.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses pieces of a Prometheus config (one job's keys, a list of relabel rules, SD blocks) with the
 * config stage's own loader, so defaults and validation are exactly those of a full config file. The
 * piece is placed inside a one-job document; errors are shifted back to the piece's own lines.
 */
public final class ConfigSnippets {

    private static final String HEADER = "scrape_configs:\n  - job_name: ";
    private static final int HEADER_LINES = 2;
    private static final int INDENT = 4;

    private ConfigSnippets() {
    }

    /** A config with no jobs and Prometheus's global defaults. */
    public static PrometheusConfig empty() throws ConfigException {
        return ConfigLoader.parse("scrape_configs: []\n", "empty");
    }

    /**
     * Job {@code jobName} from the YAML keys of one {@code scrape_configs} entry (without {@code job_name}).
     *
     * @param source names the piece in errors
     */
    public static ScrapeConfig job(String jobName, String body, String source) throws ConfigException {
        String doc = HEADER + quote(jobName) + "\n" + indent(body, INDENT);
        PrometheusConfig cfg;
        try {
            cfg = ConfigLoader.parse(doc, source);
        } catch (ConfigException e) {
            throw shifted(e, source);
        }
        return cfg.scrapeConfigs().get(0);
    }

    /** {@code text} with every line indented by {@code n} spaces. */
    public static String indent(String text, int n) {
        String pad = " ".repeat(n);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (String line : text.split("\n", -1)) {
            sb.append(line.isBlank() ? "" : pad).append(line).append('\n');
        }
        return sb.toString();
    }

    /** A YAML double-quoted scalar. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** {@code job} with {@code extra} discovery sources after its own. */
    public static ScrapeConfig withSdConfigs(ScrapeConfig j, List<? extends SdConfig> extra) {
        List<SdConfig> all = new ArrayList<>(j.sdConfigs());
        all.addAll(extra);
        return new ScrapeConfig(j.jobName(), j.scrapeInterval(), j.scrapeTimeout(), j.scrapeProtocols(),
                j.fallbackScrapeProtocol(), j.metricsPath(), j.scheme(), j.honorLabels(), j.honorTimestamps(),
                j.trackTimestampsStaleness(), j.enableCompression(), j.params(), j.http(), j.limits(),
                j.metricNameValidationScheme(), j.metricNameEscapingScheme(), j.extraScrapeMetrics(),
                j.relabelConfigs(), j.metricRelabelConfigs(), List.copyOf(all), j.location());
    }

    private static ConfigException shifted(ConfigException e, String source) {
        List<ConfigError> out = new ArrayList<>(e.errors().size());
        for (ConfigError err : e.errors()) {
            SourceLocation at = err.location();
            if (at != null && source.equals(at.file()) && at.line() > HEADER_LINES) {
                at = new SourceLocation(source, at.line() - HEADER_LINES, Math.max(1, at.column() - INDENT));
            } else if (at != null && source.equals(at.file())) {
                at = new SourceLocation(source, 0, 0);
            }
            out.add(new ConfigError(at, err.message()));
        }
        return new ConfigException(out);
    }
}
