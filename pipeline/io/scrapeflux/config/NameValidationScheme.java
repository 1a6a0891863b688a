package io.scrapeflux.config;

/** {@code metric_name_validation_scheme}: utf8 (Prometheus 3's default) or legacy. */
public enum NameValidationScheme {
    UTF8, LEGACY
}
