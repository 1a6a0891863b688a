package io.scrapeflux.config;

import java.util.List;
import java.util.Map;

/** Prometheus's {@code oauth2} client-credentials settings. */
public record OAuth2(
        String clientId,
        Secret clientSecret,
        String clientSecretFile,
        List<String> scopes,
        String tokenUrl,
        Map<String, String> endpointParams,
        TlsConfig tlsConfig,
        String proxyUrl) {
}
