package io.scrapeflux.discovery.gce;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Google API answered with an error status. {@code reason} is the first {@code error.errors[].reason} of Google's
 * error document ({@code rateLimitExceeded}, {@code forbidden}, ...), empty when the body had none.
 */
public final class GceApiException extends RuntimeException {

    private static final int SNIPPET = 300;

    private final int status;
    private final String reason;

    GceApiException(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    /** From a Compute API error response: status, Google's reason and message. */
    static GceApiException fromResponse(int status, String body, String url) {
        String reason = "";
        String message = snippet(body);
        try {
            JsonNode error = JsonMapper.builder().build().readTree(body).path("error");
            reason = error.path("errors").path(0).path("reason").asString("");
            if (!error.path("message").asString("").isEmpty()) {
                message = error.path("message").asString("");
            }
        } catch (RuntimeException notJson) {
            // Proxies and load balancers answer with HTML or plain text: keep the raw snippet.
        }
        return new GceApiException(status, reason, "GCE API " + url + " returned HTTP status " + status
                + (reason.isEmpty() ? "" : " (" + reason + ")") + ": " + message);
    }

    static String snippet(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() <= SNIPPET ? s : s.substring(0, SNIPPET) + "...";
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** 401: the access token was refused and must be fetched again. */
    public boolean isUnauthorized() {
        return status == 401;
    }

    /** 429, or 403 with one of Google's quota reasons. */
    public boolean isThrottled() {
        return status == 429 || (status == 403 && (reason.equals("rateLimitExceeded")
                || reason.equals("userRateLimitExceeded") || reason.equals("quotaExceeded")));
    }
}
