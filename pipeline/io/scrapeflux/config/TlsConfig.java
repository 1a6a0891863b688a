package io.scrapeflux.config;

/** Prometheus's {@code tls_config}. File fields and inline fields are mutually exclusive per item. */
public record TlsConfig(
        String caFile,
        String ca,
        String certFile,
        String cert,
        String keyFile,
        Secret key,
        String serverName,
        boolean insecureSkipVerify,
        String minVersion,
        String maxVersion) {

    public static final TlsConfig DEFAULT = new TlsConfig(null, null, null, null, null, null, null, false, null, null);
}
