package io.scrapeflux.target;

import io.scrapeflux.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The URL a target is scraped at, built from its final labels as Prometheus's {@code Target.URL()}:
 * {@code __scheme__://__address____metrics_path__?params}. Query parameters are the job's {@code params}
 * with the first value of each replaced by its {@code __param_<name>} label, keys sorted and escaped
 * like Go's {@code url.Values.Encode}.
 */
final class ScrapeUrl {

    static final String PARAM_PREFIX = "__param_";

    private ScrapeUrl() {
    }

    static String build(Labels labels, Map<String, List<String>> jobParams) {
        TreeMap<String, List<String>> params = new TreeMap<>();
        if (jobParams != null) {
            jobParams.forEach((k, v) -> params.put(k, new ArrayList<>(v)));
        }
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            if (name.startsWith(PARAM_PREFIX)) {
                List<String> values = params.computeIfAbsent(name.substring(PARAM_PREFIX.length()), k -> new ArrayList<>());
                if (values.isEmpty()) {
                    values.add(labels.value(i));
                } else {
                    values.set(0, labels.value(i));
                }
            }
        }
        StringBuilder url = new StringBuilder();
        String scheme = labels.get("__scheme__");
        String host = labels.get("__address__");
        String path = labels.get("__metrics_path__");
        if (!scheme.isEmpty()) {
            url.append(scheme).append(':');
        }
        if (!scheme.isEmpty() || !host.isEmpty()) {
            url.append("//");
            escape(url, host, Mode.HOST);
        }
        if (!path.isEmpty() && path.charAt(0) != '/' && !host.isEmpty()) {
            url.append('/');
        }
        escape(url, path, Mode.PATH);
        StringBuilder query = new StringBuilder();
        params.forEach((k, values) -> {
            for (String v : values) {
                if (query.length() > 0) {
                    query.append('&');
                }
                escape(query, k, Mode.QUERY);
                query.append('=');
                escape(query, v, Mode.QUERY);
            }
        });
        if (query.length() > 0) {
            url.append('?').append(query);
        }
        return url.toString();
    }

    private enum Mode { HOST, PATH, QUERY }

    /** Go's {@code url.escape} for the three places a target URL has text. */
    private static void escape(StringBuilder out, String s, Mode mode) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (mode == Mode.QUERY && c == ' ') {
                out.append('+');
            } else if (shouldEscape(c, mode)) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            } else {
                out.append((char) c);
            }
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static boolean shouldEscape(int c, Mode mode) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return false;
        }
        if (mode == Mode.HOST) {
            // Go leaves sub-delims, ':' and IPv6 brackets alone in hosts and escapes everything else
            return switch (c) {
                case '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=', ':', '[', ']', '<', '>', '"', '-', '.',
                        '_', '~' -> false;
                default -> true;
            };
        }
        switch (c) {
            case '-', '_', '.', '~':
                return false;
            case '$', '&', '+', ',', '/', ':', ';', '=', '?', '@':
                return mode == Mode.QUERY || c == '?';
            default:
                return true;
        }
    }
}
