package io.scrapeflux.exposition;

import io.scrapeflux.config.ScrapeProtocol;
import java.util.List;
import java.util.Locale;

/**
 * Content negotiation as Prometheus 3 does it: the Accept header built from {@code scrape_protocols},
 * and the parser chosen from the response's Content-Type with {@code fallback_scrape_protocol}.
 */
public final class ExpositionParsers {

    /** The text formats this package parses. */
    public enum Format {
        /** {@code text/plain}, any version (0.0.4, or 1.0.0 with UTF-8 names). */
        PROMETHEUS_TEXT,
        /** {@code application/openmetrics-text}, any version (1.0.0 or 0.0.1). */
        OPENMETRICS
    }

    /** Prometheus 3's escaping scheme for UTF-8 names, its default with {@code metric_name_validation_scheme: utf8}. */
    public static final String ESCAPING_ALLOW_UTF8 = "allow-utf-8";

    /** How many protocols Prometheus knows; the first q-weight is one more than this. */
    private static final int KNOWN_PROTOCOLS = ScrapeProtocol.values().length;

    private ExpositionParsers() {
    }

    /** {@link #acceptHeader(List, String)} with {@code escaping=allow-utf-8}, Prometheus 3's default. */
    public static String acceptHeader(List<ScrapeProtocol> protocols) {
        return acceptHeader(protocols, ESCAPING_ALLOW_UTF8);
    }

    /**
     * The Accept header for {@code protocols} in order of preference: each media type with
     * {@code q=0.N} counting down from one more than the number of known protocols, then
     * {@code *}{@code /*} with the next weight. The 1.0.0 text formats also carry
     * {@code escaping=<escaping>} (as Prometheus 3 sends it, e.g. {@code allow-utf-8} or
     * {@code underscores}); null or empty {@code escaping} leaves it out.
     */
    public static String acceptHeader(List<ScrapeProtocol> protocols, String escaping) {
        StringBuilder sb = new StringBuilder(256);
        int weight = KNOWN_PROTOCOLS + 1;
        for (ScrapeProtocol p : protocols) {
            sb.append(p.mediaType());
            if (escaping != null && !escaping.isEmpty()
                    && (p == ScrapeProtocol.PrometheusText1_0_0 || p == ScrapeProtocol.OpenMetricsText1_0_0)) {
                sb.append(";escaping=").append(escaping);
            }
            sb.append(";q=0.").append(weight).append(',');
            weight--;
        }
        return sb.append("*/*;q=0.").append(weight).toString();
    }

    /** A new parser for the format of {@code contentType}; see {@link #formatFor}. */
    public static ExpositionParser forContentType(String contentType, ScrapeProtocol fallback) throws ExpositionException {
        return create(formatFor(contentType, fallback));
    }

    /** A new parser for {@code format}. Parsers are reusable through {@link ExpositionParser#reset}. */
    public static ExpositionParser create(Format format) {
        return format == Format.OPENMETRICS ? new OpenMetricsParser() : new PrometheusTextParser();
    }

    /**
     * The format of a response, chosen as Prometheus 3 does: the media type of {@code contentType}
     * decides and its version parameter does not ({@code text/plain} without a version is the 0.0.4
     * text format); a missing, unparsable or unknown Content-Type fails unless {@code fallback} is set,
     * in which case the fallback's format is used.
     *
     * @throws ExpositionException for a protobuf response (the {@code PrometheusProto} protocol is not
     *     supported here: drop it from {@code scrape_protocols}), or an unusable Content-Type without
     *     fallback
     */
    public static Format formatFor(String contentType, ScrapeProtocol fallback) throws ExpositionException {
        if (contentType == null || contentType.isBlank()) {
            if (fallback == null) {
                throw new ExpositionException(0, "non-compliant scrape target sending blank Content-Type and no "
                        + "fallback_scrape_protocol specified for target");
            }
            return formatOf(fallback);
        }
        String mediaType = mediaType(contentType);
        if (mediaType == null) {
            if (fallback == null) {
                throw new ExpositionException(0, "cannot parse Content-Type \"" + contentType
                        + "\" and no fallback_scrape_protocol for target");
            }
            return formatOf(fallback);
        }
        switch (mediaType) {
            case "text/plain":
                return Format.PROMETHEUS_TEXT;
            case "application/openmetrics-text":
                return Format.OPENMETRICS;
            case "application/vnd.google.protobuf":
                throw protobufUnsupported("the target answered with Content-Type \"" + contentType + "\"");
            default:
                if (fallback == null) {
                    throw new ExpositionException(0, "received unsupported Content-Type \"" + contentType
                            + "\" and no fallback_scrape_protocol specified for target");
                }
                return formatOf(fallback);
        }
    }

    private static Format formatOf(ScrapeProtocol p) throws ExpositionException {
        return switch (p) {
            case PrometheusText0_0_4, PrometheusText1_0_0 -> Format.PROMETHEUS_TEXT;
            case OpenMetricsText0_0_1, OpenMetricsText1_0_0 -> Format.OPENMETRICS;
            case PrometheusProto -> throw protobufUnsupported("fallback_scrape_protocol is PrometheusProto");
        };
    }

    private static ExpositionException protobufUnsupported(String why) {
        return new ExpositionException(0, "protobuf exposition (PrometheusProto) is not supported: " + why
                + "; remove PrometheusProto from scrape_protocols and fallback_scrape_protocol");
    }

    /**
     * The lower-cased {@code type/subtype} of a Content-Type, or null when it does not parse (as Go's
     * {@code mime.ParseMediaType}: a token, optionally {@code /token}, then {@code ;name=value}
     * parameters whose values are tokens or quoted strings).
     */
    static String mediaType(String contentType) {
        String s = contentType.trim();
        int semi = s.indexOf(';');
        String type = (semi < 0 ? s : s.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (type.isEmpty() || !isToken(slash < 0 ? type : type.substring(0, slash))
                || (slash >= 0 && !isToken(type.substring(slash + 1)))) {
            return null;
        }
        int i = semi;
        while (i >= 0 && i < s.length()) {
            i++; // past ';'
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i >= s.length()) {
                break; // trailing ';' is tolerated
            }
            int eq = s.indexOf('=', i);
            if (eq < 0 || !isToken(s.substring(i, eq).trim())) {
                return null;
            }
            i = eq + 1;
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                if (i >= s.length()) {
                    return null;
                }
                i++;
            } else {
                int start = i;
                while (i < s.length() && s.charAt(i) != ';' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    i++;
                }
                if (!isToken(s.substring(start, i))) {
                    return null;
                }
            }
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i < s.length() && s.charAt(i) != ';') {
                return null;
            }
        }
        return type;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
