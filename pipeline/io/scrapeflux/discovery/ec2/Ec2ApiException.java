package io.scrapeflux.discovery.ec2;

import java.io.IOException;

/** An AWS Query API call (EC2, STS) answered with an error: HTTP status plus AWS's error code (e.g. {@code RequestLimitExceeded},
 * {@code AuthFailure}) when the body names one. */
public final class Ec2ApiException extends IOException {

    private final int status;
    private final String code;

    Ec2ApiException(String service, String action, int status, String code, String message) {
        super(service + " " + action + ": HTTP " + status + (code == null ? "" : " " + code)
                + (message == null ? "" : ": " + message));
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** AWS's error code, or null. */
    public String code() {
        return code;
    }

    /** The credentials were refused ({@code AuthFailure}, {@code UnauthorizedOperation}, expired tokens). */
    public boolean authFailure() {
        return "AuthFailure".equals(code) || "UnauthorizedOperation".equals(code) || "ExpiredToken".equals(code)
                || "RequestExpired".equals(code) || (code == null && (status == 401 || status == 403));
    }

    /** Throttling: retried with the discoverer's backoff like any failure, but worth telling apart in logs. */
    public boolean throttled() {
        return status == 503 || status == 429 || "RequestLimitExceeded".equals(code) || "Throttling".equals(code);
    }
}
