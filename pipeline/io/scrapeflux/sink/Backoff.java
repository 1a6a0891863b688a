package io.scrapeflux.sink;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Exponential backoff between {@code min_backoff} and {@code max_backoff}, overridden by {@code Retry-After}. */
public record Backoff(Duration min, Duration max) {

    public Backoff {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= min_backoff <= max_backoff, got " + min + " and " + max);
        }
    }

    /** The backoff after {@code current}: doubled, capped at {@code max}. */
    public Duration next(Duration current) {
        Duration d = current.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }

    /**
     * How long to wait before the next attempt: the receiver's {@code Retry-After} when it gave a positive
     * one (as Prometheus does), else the current backoff.
     */
    public static Duration delay(Duration backoff, Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(Duration.ZERO) > 0 ? retryAfter : backoff;
    }

    /**
     * Parses a {@code Retry-After} value: delay seconds or an HTTP date (relative to {@code now}).
     * Returns null when absent or unparsable.
     */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long secs = Long.parseLong(v);
            return secs < 0 ? null : Duration.ofSeconds(secs);
        } catch (NumberFormatException ignored) {
            // not delay-seconds: try the date form
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
