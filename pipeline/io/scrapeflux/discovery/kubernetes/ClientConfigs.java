package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a job's Kubernetes connection settings onto fabric8's {@link Config}: {@code kubeconfig_file},
 * or {@code api_server} with the job's HTTP client settings, or the in-cluster service account.
 * Reads files, so call it off Reactor threads.
 */
final class ClientConfigs {

    static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    private ClientConfigs() {
    }

    static Config build(ClientKey key) {
        Config config;
        if (key.kubeconfigFile() != null) {
            config = Config.fromKubeconfig(new File(key.kubeconfigFile()));
        } else if (key.apiServer() != null) {
            config = Config.empty();
            config.setMasterUrl(key.apiServer());
            apply(config, key.http() == null ? HttpClientConfig.DEFAULT : key.http());
        } else {
            if (System.getenv("KUBERNETES_SERVICE_HOST") == null) {
                throw new IllegalStateException("unable to load in-cluster configuration: KUBERNETES_SERVICE_HOST "
                        + "is not set (set api_server or kubeconfig_file when running outside a cluster)");
            }
            config = Config.autoConfigure(null);
        }
        // Informers relist and rewatch forever; fabric8 backs off exponentially from this interval.
        config.setWatchReconnectInterval(1000);
        config.setWatchReconnectLimit(-1);
        // One quick HTTP-level retry only: longer outages go to the informer's backoff, where they are
        // reported (status, FailureReporter) instead of being hidden inside the HTTP client.
        config.setRequestRetryBackoffLimit(1);
        config.setUserAgent("scrapeflux");
        return config;
    }

    static void apply(Config config, HttpClientConfig http) {
        if (http.oauth2() != null) {
            throw new IllegalArgumentException("oauth2 is not supported by kubernetes_sd_configs in scrapeflux yet");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Authorization auth = http.authorization();
        if (auth != null) {
            String type = auth.type() == null || auth.type().isEmpty() ? "Bearer" : auth.type();
            if (auth.credentialsFile() != null) {
                Path file = Path.of(auth.credentialsFile());
                if ("Bearer".equals(type)) {
                    // Re-read per request, as Prometheus does, so rotated service-account tokens are picked up.
                    config.setOauthTokenProvider(() -> readTrimmed(file));
                } else {
                    headers.put("Authorization", type + " " + readTrimmed(file));
                }
            } else if (auth.credentials() != null) {
                if ("Bearer".equals(type)) {
                    config.setOauthToken(auth.credentials().reveal());
                } else {
                    headers.put("Authorization", type + " " + auth.credentials().reveal());
                }
            }
        }
        BasicAuth basic = http.basicAuth();
        if (basic != null) {
            config.setUsername(basic.usernameFile() != null ? readTrimmed(Path.of(basic.usernameFile()))
                    : basic.username());
            if (basic.passwordFile() != null) {
                config.setPassword(readTrimmed(Path.of(basic.passwordFile())));
            } else if (basic.password() != null) {
                config.setPassword(basic.password().reveal());
            }
        }
        TlsConfig tls = http.tlsConfig() == null ? TlsConfig.DEFAULT : http.tlsConfig();
        if (tls.caFile() != null) {
            config.setCaCertFile(tls.caFile());
        } else if (tls.ca() != null) {
            config.setCaCertData(base64(tls.ca()));
        }
        if (tls.certFile() != null) {
            config.setClientCertFile(tls.certFile());
        } else if (tls.cert() != null) {
            config.setClientCertData(base64(tls.cert()));
        }
        if (tls.keyFile() != null) {
            config.setClientKeyFile(tls.keyFile());
        } else if (tls.key() != null) {
            config.setClientKeyData(base64(tls.key().reveal()));
        }
        if (tls.insecureSkipVerify()) {
            config.setTrustCerts(true);
            config.setDisableHostnameVerification(true);
        }
        if (tls.serverName() != null) {
            config.setTlsServerName(tls.serverName());
        }
        String proxy = http.proxyUrl();
        String noProxy = http.noProxy();
        if (proxy == null && http.proxyFromEnvironment()) {
            boolean https = config.getMasterUrl() != null && config.getMasterUrl().startsWith("https");
            proxy = firstEnv(https ? List.of("HTTPS_PROXY", "https_proxy") : List.of("HTTP_PROXY", "http_proxy"));
            noProxy = firstEnv(List.of("NO_PROXY", "no_proxy"));
        }
        if (proxy != null) {
            config.setHttpProxy(proxy);
            config.setHttpsProxy(proxy);
        }
        if (noProxy != null && !noProxy.isBlank()) {
            config.setNoProxy(noProxy.split(","));
        }
        if (!http.enableHttp2()) {
            config.setHttp2Disable(true);
        }
        http.httpHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, String.join(",", values.stream().map(Secret::reveal).toList()));
            }
        });
        if (!headers.isEmpty()) {
            config.setCustomHeaders(headers);
        }
    }

    /** The pod's own namespace from the service-account mount, for {@code namespaces.own_namespace}. */
    static String ownNamespace() {
        Path p = Path.of(SERVICE_ACCOUNT_DIR, "namespace");
        String ns = readTrimmed(p);
        if (ns.isEmpty()) {
            throw new IllegalStateException("could not read own namespace name (empty file " + p + ")");
        }
        return ns;
    }

    private static String firstEnv(List<String> names) {
        for (String n : names) {
            String v = System.getenv(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String readTrimmed(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }
}
