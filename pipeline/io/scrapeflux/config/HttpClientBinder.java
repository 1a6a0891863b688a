package io.scrapeflux.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds Prometheus's common HTTP client settings (written inline in a job, an SD block or remote_write)
 * and applies their validation rules: one auth mechanism, file vs inline exclusivity, proxy rules. */
final class HttpClientBinder {

    /** Headers http_headers may not set (Prometheus common's reserved list, lower-cased). */
    private static final Set<String> RESERVED_HTTP_HEADERS = Set.of("authorization", "host", "content-encoding",
            "content-length", "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "www-authenticate", "accept-encoding", "x-prometheus-remote-write-version",
            "x-prometheus-remote-read-version", "x-prometheus-scrape-timeout-seconds", "x-amz-date",
            "x-amz-security-token", "x-amz-content-sha256");
    private static final Set<String> PROXY_SCHEMES = Set.of("http", "https", "socks5");
    private static final Set<String> TLS_VERSIONS = Set.of("TLS10", "TLS11", "TLS12", "TLS13");

    private final FilePaths paths;

    HttpClientBinder(FilePaths paths) {
        this.paths = paths;
    }

    /** Reads the HTTP client keys from {@code f}, starting from {@code defaults}. */
    HttpClientConfig bind(Fields f, HttpClientConfig defaults) {
        Problems problems = f.problems();
        BasicAuth basicAuth = f.has("basic_auth") ? basicAuth(Fields.of(f.node("basic_auth"), f.location(), "basic_auth", problems)) : null;
        Authorization authorization = f.has("authorization")
                ? authorization(Fields.of(f.node("authorization"), f.location(), "authorization", problems)) : null;
        OAuth2 oauth2 = f.has("oauth2") ? oauth2(Fields.of(f.node("oauth2"), f.location(), "oauth2", problems)) : null;
        Secret bearerToken = f.secret("bearer_token");
        String bearerTokenFile = paths.resolve(f.string("bearer_token_file"));
        TlsConfig tls = f.has("tls_config") ? tls(Fields.of(f.node("tls_config"), f.location(), "tls_config", problems))
                : defaults.tlsConfig();
        Proxy proxy = proxy(f);
        boolean followRedirects = f.bool("follow_redirects", defaults.followRedirects());
        boolean enableHttp2 = f.bool("enable_http2", defaults.enableHttp2());
        Map<String, List<Secret>> httpHeaders = httpHeaders(f);

        boolean hasBearer = bearerToken != null && !bearerToken.isEmpty() || notEmpty(bearerTokenFile);
        SourceLocation authLoc = f.keyLocation(firstPresent(f, "authorization", "bearer_token", "bearer_token_file",
                "oauth2", "basic_auth"));
        if (bearerToken != null && !bearerToken.isEmpty() && notEmpty(bearerTokenFile)) {
            problems.add(f.keyLocation("bearer_token_file"), "at most one of bearer_token & bearer_token_file must be configured");
        } else if ((basicAuth != null || oauth2 != null) && hasBearer) {
            problems.add(authLoc, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        if (authorization != null) {
            if (hasBearer) {
                problems.add(f.keyLocation("authorization"), "authorization is not compatible with bearer_token & bearer_token_file");
            } else if (basicAuth != null || oauth2 != null) {
                problems.add(f.keyLocation("authorization"), "at most one of basic_auth, oauth2 & authorization must be configured");
            }
        } else if (bearerToken != null && !bearerToken.isEmpty()) {
            authorization = new Authorization("Bearer", bearerToken, null);
        } else if (notEmpty(bearerTokenFile)) {
            authorization = new Authorization("Bearer", null, bearerTokenFile);
        }
        if (oauth2 != null && basicAuth != null && authorization == null) {
            problems.add(f.keyLocation("oauth2"), "at most one of basic_auth, oauth2 & authorization must be configured");
        }
        return new HttpClientConfig(basicAuth, authorization, oauth2, tls, proxy.url, proxy.noProxy, proxy.fromEnvironment,
                proxy.connectHeader, followRedirects, enableHttp2, httpHeaders);
    }

    /** Reads the keys of an {@code http_client}-shaped block that must keep the defaults (kubeconfig use). */
    static boolean isDefault(HttpClientConfig c, HttpClientConfig defaults) {
        return c.equals(defaults);
    }

    private BasicAuth basicAuth(Fields f) {
        String username = f.string("username");
        String usernameFile = paths.resolve(f.string("username_file"));
        Secret password = f.secret("password");
        String passwordFile = paths.resolve(f.string("password_file"));
        f.unsupported("username_ref", "secret references need a secret manager");
        f.unsupported("password_ref", "secret references need a secret manager");
        f.finish();
        if (notEmpty(username) && notEmpty(usernameFile)) {
            f.problems().add(f.keyLocation("username_file"), "at most one of basic_auth username, username_file & username_ref must be configured");
        }
        if (password != null && !password.isEmpty() && notEmpty(passwordFile)) {
            f.problems().add(f.keyLocation("password_file"), "at most one of basic_auth password, password_file & password_ref must be configured");
        }
        return new BasicAuth(username, usernameFile, password, passwordFile);
    }

    private Authorization authorization(Fields f) {
        String type = f.string("type", "").trim();
        Secret credentials = f.secret("credentials");
        String credentialsFile = paths.resolve(f.string("credentials_file"));
        f.unsupported("credentials_ref", "secret references need a secret manager");
        f.finish();
        if (type.isEmpty()) {
            type = "Bearer";
        }
        if (Fields.lower(type).equals("basic")) {
            f.problems().add(f.valueLocation("type"), "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
        if (credentials != null && !credentials.isEmpty() && notEmpty(credentialsFile)) {
            f.problems().add(f.keyLocation("credentials_file"), "at most one of authorization credentials & credentials_file must be configured");
        }
        return new Authorization(type, credentials, credentialsFile);
    }

    private OAuth2 oauth2(Fields f) {
        String clientId = f.string("client_id");
        Secret clientSecret = f.secret("client_secret");
        String clientSecretFile = paths.resolve(f.string("client_secret_file"));
        List<String> scopes = f.stringList("scopes");
        String tokenUrl = f.string("token_url");
        Map<String, String> endpointParams = f.stringMap("endpoint_params");
        TlsConfig tls = f.has("tls_config") ? tls(Fields.of(f.node("tls_config"), f.location(), "tls_config", f.problems()))
                : TlsConfig.DEFAULT;
        String proxyUrl = proxyUrl(f);
        f.unsupported("client_secret_ref", "secret references need a secret manager");
        f.unsupported("no_proxy", "");
        f.unsupported("proxy_from_environment", "");
        f.unsupported("proxy_connect_header", "");
        f.finish();
        if (clientId == null || clientId.isEmpty()) {
            f.problems().add(f.location(), "oauth2 client_id must be configured");
        }
        if (tokenUrl == null || tokenUrl.isEmpty()) {
            f.problems().add(f.location(), "oauth2 token_url must be configured");
        } else if (UrlCheck.httpProblem(tokenUrl) != null) {
            f.error("token_url", UrlCheck.httpProblem(tokenUrl));
        }
        if (clientSecret != null && !clientSecret.isEmpty() && notEmpty(clientSecretFile)) {
            f.problems().add(f.keyLocation("client_secret_file"),
                    "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured");
        }
        return new OAuth2(clientId, clientSecret, clientSecretFile, scopes == null ? List.of() : scopes, tokenUrl,
                endpointParams, tls, proxyUrl);
    }

    TlsConfig tls(Fields f) {
        String ca = f.string("ca");
        String caFile = paths.resolve(f.string("ca_file"));
        String cert = f.string("cert");
        String certFile = paths.resolve(f.string("cert_file"));
        Secret key = f.secret("key");
        String keyFile = paths.resolve(f.string("key_file"));
        String serverName = f.string("server_name");
        boolean insecure = f.bool("insecure_skip_verify", false);
        String minVersion = tlsVersion(f, "min_version");
        String maxVersion = tlsVersion(f, "max_version");
        f.unsupported("ca_ref", "secret references need a secret manager");
        f.unsupported("cert_ref", "secret references need a secret manager");
        f.unsupported("key_ref", "secret references need a secret manager");
        f.finish();
        Problems p = f.problems();
        boolean hasCert = notEmpty(cert) || notEmpty(certFile);
        boolean hasKey = key != null && !key.isEmpty() || notEmpty(keyFile);
        if (notEmpty(ca) && notEmpty(caFile)) {
            p.add(f.keyLocation("ca_file"), "at most one of ca and ca_file must be configured");
        }
        if (notEmpty(cert) && notEmpty(certFile)) {
            p.add(f.keyLocation("cert_file"), "at most one of cert and cert_file must be configured");
        }
        if (key != null && !key.isEmpty() && notEmpty(keyFile)) {
            p.add(f.keyLocation("key_file"), "at most one of key and key_file must be configured");
        }
        if (hasCert && !hasKey) {
            p.add(f.location(), "exactly one of key or key_file must be configured when a client certificate is configured");
        } else if (hasKey && !hasCert) {
            p.add(f.location(), "exactly one of cert or cert_file must be configured when a client key is configured");
        }
        return new TlsConfig(caFile, ca, certFile, cert, keyFile, key, serverName, insecure, minVersion, maxVersion);
    }

    private static String tlsVersion(Fields f, String key) {
        String v = f.string(key);
        if (v != null && !TLS_VERSIONS.contains(v)) {
            f.error(key, "unknown TLS version: " + v + " (one of TLS10, TLS11, TLS12, TLS13)");
            return null;
        }
        return v;
    }

    private record Proxy(String url, String noProxy, boolean fromEnvironment, Map<String, List<Secret>> connectHeader) {
    }

    private Proxy proxy(Fields f) {
        String url = proxyUrl(f);
        String noProxy = f.string("no_proxy");
        boolean fromEnv = f.bool("proxy_from_environment", false);
        Map<String, List<Secret>> connectHeader = secretHeaderLists(f, "proxy_connect_header");
        Problems p = f.problems();
        boolean hasUrl = notEmpty(url);
        if (!connectHeader.isEmpty() && !fromEnv && !hasUrl) {
            p.add(f.keyLocation("proxy_connect_header"),
                    "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured");
        }
        if (fromEnv && hasUrl) {
            p.add(f.keyLocation("proxy_url"), "if proxy_from_environment is configured, proxy_url must not be configured");
        }
        if (fromEnv && notEmpty(noProxy)) {
            p.add(f.keyLocation("no_proxy"), "if proxy_from_environment is configured, no_proxy must not be configured");
        }
        if (!hasUrl && notEmpty(noProxy) && !fromEnv) {
            p.add(f.keyLocation("no_proxy"), "if no_proxy is configured, proxy_url must also be configured");
        }
        return new Proxy(url, noProxy, fromEnv, connectHeader);
    }

    private static String proxyUrl(Fields f) {
        String url = f.string("proxy_url");
        if (notEmpty(url)) {
            String problem = UrlCheck.problem(url, PROXY_SCHEMES);
            if (problem != null) {
                f.error("proxy_url", problem);
                return null;
            }
        }
        return url;
    }

    /** {@code proxy_connect_header}: header name to a list of secret values. */
    private static Map<String, List<Secret>> secretHeaderLists(Fields f, String key) {
        Map<String, List<Secret>> out = new LinkedHashMap<>();
        YamlNode.MapNode m = f.mapping(key);
        if (m != null) {
            m.entries().forEach((name, values) -> out.put(name, secrets(f.problems(), key, values)));
        }
        return out;
    }

    private static List<Secret> secrets(Problems p, String what, YamlNode values) {
        return Fields.strings(p, what, values).stream().map(Secret::of).toList();
    }

    /** {@code http_headers}: name to {values, secrets}; both become the header's values. */
    private static Map<String, List<Secret>> httpHeaders(Fields f) {
        Map<String, List<Secret>> out = new LinkedHashMap<>();
        YamlNode.MapNode m = f.mapping("http_headers");
        if (m == null) {
            return out;
        }
        m.entries().forEach((name, spec) -> {
            if (RESERVED_HTTP_HEADERS.contains(Fields.lower(name))) {
                f.problems().add(m.keys().get(name), "http_headers: setting header \"" + name + "\" is not allowed");
            }
            Fields h = Fields.of(spec, m.keys().get(name), "http_headers." + name, f.problems());
            List<Secret> values = new ArrayList<>(secrets(f.problems(), "values", h.node("values")));
            values.addAll(secrets(f.problems(), "secrets", h.node("secrets")));
            h.unsupported("files", "header values from files");
            h.finish();
            out.put(name, List.copyOf(values));
        });
        return out;
    }

    private static String firstPresent(Fields f, String... keys) {
        for (String k : keys) {
            if (f.keyLocation(k) != f.location()) {
                return k;
            }
        }
        return keys[0];
    }

    static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
