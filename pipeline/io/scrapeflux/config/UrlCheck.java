package io.scrapeflux.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** URL validation for config fields that name an endpoint. */
final class UrlCheck {

    private static final Set<String> HTTP = Set.of("http", "https");

    private UrlCheck() {
    }

    /** Null when {@code url} is an absolute URL with one of {@code schemes} and a host; else what is wrong. */
    static String problem(String url, Set<String> schemes) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "invalid URL \"" + url + "\": " + e.getReason();
        }
        if (uri.getScheme() == null || !schemes.contains(Fields.lower(uri.getScheme()))) {
            return "URL scheme must be " + String.join(" or ", schemes.stream().sorted().map(x -> "'" + x + "'").toList())
                    + ", got \"" + url + "\"";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "host is missing in URL \"" + url + "\"";
        }
        return null;
    }

    static String httpProblem(String url) {
        return problem(url, HTTP);
    }

    /** Reads {@code key} as an http(s) URL; reports and returns null when invalid. */
    static String httpUrl(Fields f, String key) {
        String url = f.string(key);
        if (url == null) {
            return null;
        }
        String p = httpProblem(url);
        if (p != null) {
            f.error(key, p);
            return null;
        }
        return url;
    }
}
