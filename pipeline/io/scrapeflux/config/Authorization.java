package io.scrapeflux.config;

/** Prometheus's {@code authorization}; {@code bearer_token(_file)} loads into this with type Bearer. */
public record Authorization(String type, Secret credentials, String credentialsFile) {
}
