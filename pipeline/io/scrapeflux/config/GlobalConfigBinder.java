package io.scrapeflux.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Binds the {@code global} block with Prometheus 3's defaults, and the small enums shared with jobs. */
final class GlobalConfigBinder {

    static final Set<String> ESCAPING_SCHEMES = Set.of("allow-utf-8", "underscores", "dots", "values");

    private GlobalConfigBinder() {
    }

    /** The global block plus what jobs need to know beyond {@link GlobalConfig}: whether
     * {@code scrape_protocols} was written, and {@code scrape_native_histograms}. */
    record Result(GlobalConfig config, boolean protocolsSet, boolean nativeHistograms) {
        static final Result DEFAULT = new Result(GlobalConfig.DEFAULT, false, false);
    }

    static Result bind(Fields f, UnaryOperator<String> env) {
        Duration interval = f.duration("scrape_interval");
        Duration timeout = f.duration("scrape_timeout");
        Duration evaluation = f.duration("evaluation_interval");
        f.duration("rule_query_offset");
        f.accept("query_log_file");
        f.unsupported("scrape_failure_log_file", "scrape failures are logged through the normal log");
        NameValidationScheme scheme = validationScheme(f, "metric_name_validation_scheme");
        if (scheme == null) {
            scheme = NameValidationScheme.UTF8;
        }
        String escaping = escapingScheme(f);
        Map<String, String> external = externalLabels(f, scheme, env);
        List<ScrapeProtocol> protocols = protocols(f, "scrape_protocols");
        Limits limits = limits(f);
        boolean nativeHistograms = f.bool("scrape_native_histograms", false);
        boolean nhcb = f.bool("convert_classic_histograms_to_nhcb", false);
        boolean alwaysClassic = f.bool("always_scrape_classic_histograms", false);
        boolean extraMetrics = f.bool("extra_scrape_metrics", false);
        f.finish();

        if (interval == null || interval.isZero()) {
            interval = GlobalConfig.DEFAULT_SCRAPE_INTERVAL;
        }
        if (timeout != null && timeout.compareTo(interval) > 0) {
            f.problems().add(f.keyLocation("scrape_timeout"), "global scrape timeout greater than scrape interval");
        }
        if (timeout == null || timeout.isZero()) {
            timeout = min(GlobalConfig.DEFAULT_SCRAPE_TIMEOUT, interval);
        }
        if (evaluation == null || evaluation.isZero()) {
            evaluation = GlobalConfig.DEFAULT_SCRAPE_INTERVAL;
        }
        if (escaping == null) {
            escaping = scheme == NameValidationScheme.LEGACY ? "underscores" : "allow-utf-8";
        }
        return new Result(new GlobalConfig(interval, timeout, evaluation,
                protocols == null ? ScrapeProtocol.DEFAULTS : protocols, external, limits, scheme, escaping, nhcb,
                alwaysClassic, extraMetrics), protocols != null, nativeHistograms);
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Limits limits(Fields f) {
        return new Limits(f.size("body_size_limit"), f.uint("sample_limit"), f.uint("label_limit"),
                f.uint("label_name_length_limit"), f.uint("label_value_length_limit"), f.uint("target_limit"),
                f.uint("keep_dropped_targets"));
    }

    static NameValidationScheme validationScheme(Fields f, String key) {
        String s = f.string(key);
        if (s == null || s.isEmpty()) {
            return null;
        }
        switch (s) {
            case "utf8":
                return NameValidationScheme.UTF8;
            case "legacy":
                return NameValidationScheme.LEGACY;
            default:
                f.error(key, "unknown name validation method specified, must be either 'legacy' or 'utf8', got " + s);
                return null;
        }
    }

    static String escapingScheme(Fields f) {
        String s = f.string("metric_name_escaping_scheme");
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (!ESCAPING_SCHEMES.contains(s)) {
            f.error("metric_name_escaping_scheme", "unknown name escaping method specified, must be one of "
                    + "'allow-utf-8', 'underscores', 'dots', or 'values', got \"" + s + "\"");
            return null;
        }
        return s;
    }

    /** A {@code scrape_protocols} list, or null when absent. */
    static List<ScrapeProtocol> protocols(Fields f, String key) {
        List<String> names = f.stringList(key);
        if (names == null) {
            return null;
        }
        if (names.isEmpty()) {
            f.error(key, "scrape_protocols cannot be empty");
            return null;
        }
        List<ScrapeProtocol> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            ScrapeProtocol p = protocol(name);
            if (p == null) {
                f.error(key, "unknown scrape protocol " + name + ", supported: " + supportedProtocols());
                return null;
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                f.error(key, "duplicated protocol in scrape_protocols, got " + names);
                return null;
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    static ScrapeProtocol protocol(String name) {
        for (ScrapeProtocol p : ScrapeProtocol.values()) {
            if (p.configName().equals(name)) {
                return p;
            }
        }
        return null;
    }

    static List<String> supportedProtocols() {
        List<String> names = new ArrayList<>();
        for (ScrapeProtocol p : ScrapeProtocol.values()) {
            names.add(p.configName());
        }
        names.sort(null);
        return names;
    }

    private static Map<String, String> externalLabels(Fields f, NameValidationScheme scheme, UnaryOperator<String> env) {
        Map<String, String> raw = f.stringMap("external_labels");
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, SourceLocation> keys = f.keysOf("external_labels");
        raw.forEach((name, value) -> {
            if (!LabelNames.isValid(name, scheme)) {
                f.problems().add(keys.get(name), "external_labels: \"" + name + "\" is not a valid label name");
            }
            if (!LabelNames.isValidValue(value)) {
                f.problems().add(keys.get(name), "external_labels: \"" + value + "\" is not a valid label value");
            }
            out.put(name, expand(value, env));
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Shell-style {@code $VAR} / {@code ${VAR}} expansion as Prometheus applies to external label values;
     * {@code $$} is a literal dollar, unset variables expand to nothing. */
    static String expand(String s, UnaryOperator<String> env) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '$' || i + 1 >= s.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = s.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int close = s.indexOf('}', i + 2);
                if (close < 0) {
                    i = s.length();
                } else {
                    out.append(lookup(env, s.substring(i + 2, close)));
                    i = close + 1;
                }
            } else if (Character.isLetterOrDigit(next) || next == '_') {
                int j = i + 1;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.append(lookup(env, s.substring(i + 1, j)));
                i = j;
            } else {
                i += 2;
            }
        }
        return out.toString();
    }

    private static String lookup(UnaryOperator<String> env, String name) {
        String v = env.apply(name);
        return v == null ? "" : v;
    }
}
