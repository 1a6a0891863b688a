package io.scrapeflux.config;

import java.util.List;
import java.util.Map;

/** Prometheus's common HTTP client settings, shared by scrape jobs, HTTP-based discovery and remote write. */
public record HttpClientConfig(
        BasicAuth basicAuth,
        Authorization authorization,
        OAuth2 oauth2,
        TlsConfig tlsConfig,
        String proxyUrl,
        String noProxy,
        boolean proxyFromEnvironment,
        Map<String, List<Secret>> proxyConnectHeader,
        boolean followRedirects,
        boolean enableHttp2,
        Map<String, List<Secret>> httpHeaders) {

    public static final HttpClientConfig DEFAULT =
            new HttpClientConfig(null, null, null, TlsConfig.DEFAULT, null, null, false, Map.of(), true, true, Map.of());
}
