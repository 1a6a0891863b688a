package io.scrapeflux.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The HTTP headers of a remote-write 1.0 request, and the check of user-configured {@code headers}. */
public final class RemoteWriteHeaders {

    public static final String CONTENT_ENCODING = "snappy";
    public static final String CONTENT_TYPE = "application/x-protobuf";
    public static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
    public static final String VERSION = "0.1.0";

    /**
     * Headers the sender owns (lower case). Prometheus refuses the same names in
     * {@code remote_write.headers}; {@code Authorization} is refused too, with a pointer to the
     * dedicated settings.
     */
    public static final Set<String> RESERVED = Set.of(
            "host", "content-encoding", "content-length", "content-type", "user-agent", "connection",
            "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
            "x-prometheus-remote-write-version", "x-prometheus-remote-read-version",
            "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

    private RemoteWriteHeaders() {
    }

    /** {@code scrapeflux/<version>}, the version taken from the jar manifest when there is one. */
    public static String userAgent() {
        String v = RemoteWriteHeaders.class.getPackage().getImplementationVersion();
        return "scrapeflux/" + (v == null ? "dev" : v);
    }

    /**
     * Problems with configured {@code headers}, one message per bad header (empty when all are fine).
     * The config loader calls this and reports the messages with the entry's location.
     */
    public static List<String> validate(Map<String, String> headers) {
        List<String> errors = new ArrayList<>();
        if (headers == null) {
            return errors;
        }
        for (String name : headers.keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization")) {
                errors.add("header \"" + name + "\" must be set with basic_auth, authorization or oauth2, not headers");
            } else if (RESERVED.contains(lower)) {
                errors.add("header \"" + name + "\" is reserved by remote write and cannot be changed");
            } else if (name.isEmpty() || !isToken(name)) {
                errors.add("header name \"" + name + "\" is not a valid HTTP header name");
            }
            String value = headers.get(name);
            if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
                errors.add("header \"" + name + "\" has a line break in its value");
            }
        }
        return errors;
    }

    /** Throws {@link IllegalArgumentException} listing every problem {@link #validate} finds. */
    public static void requireValid(Map<String, String> headers) {
        List<String> errors = validate(headers);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("remote_write headers: " + String.join("; ", errors));
        }
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
