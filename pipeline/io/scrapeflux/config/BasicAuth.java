package io.scrapeflux.config;

/** Prometheus's {@code basic_auth}: password and password_file are mutually exclusive. */
public record BasicAuth(String username, String usernameFile, Secret password, String passwordFile) {
}
