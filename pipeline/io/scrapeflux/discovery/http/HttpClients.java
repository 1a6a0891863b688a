package io.scrapeflux.discovery.http;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientSecurityUtils;
import reactor.netty.transport.ProxyProvider;

/**
 * Turns Prometheus's {@code http_client_config} into a Reactor Netty {@link HttpClient} plus per-request headers.
 * Files named by the config (CA, certificate, key, password, credentials) are read on
 * {@link Schedulers#boundedElastic()}; credential files are re-read for every request, as Prometheus does.
 */
public final class HttpClients {

    private HttpClients() {
    }

    /**
     * A client with the config's TLS (for an {@code https} {@code url}), proxy and redirect settings. Reads TLS
     * files: call off the event loop.
     */
    public static HttpClient create(HttpClientConfig config, String url) throws IOException {
        if (config.oauth2() != null) {
            throw new IllegalArgumentException("oauth2 is not supported by http_sd_configs yet");
        }
        HttpClient client = HttpClient.create().followRedirect(config.followRedirects());
        TlsConfig tls = config.tlsConfig() == null ? TlsConfig.DEFAULT : config.tlsConfig();
        if ("https".equalsIgnoreCase(URI.create(url).getScheme())) {
            client = secure(client, tls);
        }
        if (config.proxyUrl() != null && !config.proxyUrl().isEmpty()) {
            URI proxy = URI.create(config.proxyUrl());
            int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
            ProxyProvider.Proxy type = proxy.getScheme() != null && proxy.getScheme().startsWith("socks")
                    ? ProxyProvider.Proxy.SOCKS5 : ProxyProvider.Proxy.HTTP;
            client = client.proxy(p -> p.type(type).host(proxy.getHost()).port(port));
        }
        return client;
    }

    private static HttpClient secure(HttpClient client, TlsConfig tls) throws IOException {
        Http11SslContextSpec spec = sslSpec(tls);
        return client.secure(ssl -> {
            var builder = ssl.sslContext(spec);
            if (tls.serverName() != null && !tls.serverName().isEmpty()) {
                // The JDK verifies the peer against the SNI name when one is set, as Go does with ServerName.
                builder.serverNames(new SNIHostName(tls.serverName()));
            }
            builder.handlerConfigurator(tls.insecureSkipVerify()
                    ? handler -> {
                        SSLParameters p = handler.engine().getSSLParameters();
                        p.setEndpointIdentificationAlgorithm(null);
                        handler.engine().setSSLParameters(p);
                    }
                    : HttpClientSecurityUtils.HOSTNAME_VERIFICATION_CONFIGURER);
        });
    }

    private static Http11SslContextSpec sslSpec(TlsConfig tls) throws IOException {
        byte[] ca = tls.caFile() != null ? Files.readAllBytes(Path.of(tls.caFile()))
                : tls.ca() != null ? tls.ca().getBytes(StandardCharsets.UTF_8) : null;
        byte[] cert = tls.certFile() != null ? Files.readAllBytes(Path.of(tls.certFile()))
                : tls.cert() != null ? tls.cert().getBytes(StandardCharsets.UTF_8) : null;
        byte[] key = tls.keyFile() != null ? Files.readAllBytes(Path.of(tls.keyFile()))
                : tls.key() != null ? tls.key().reveal().getBytes(StandardCharsets.UTF_8) : null;
        List<String> protocols = protocols(tls.minVersion(), tls.maxVersion());
        return Http11SslContextSpec.forClient().configure(b -> configure(b, tls, ca, cert, key, protocols));
    }

    private static void configure(SslContextBuilder b, TlsConfig tls, byte[] ca, byte[] cert, byte[] key,
                                  List<String> protocols) {
        if (tls.insecureSkipVerify()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (ca != null) {
            b.trustManager(new ByteArrayInputStream(ca));
        }
        if (cert != null && key != null) {
            b.keyManager(new ByteArrayInputStream(cert), new ByteArrayInputStream(key));
        }
        if (!protocols.isEmpty()) {
            b.protocols(protocols);
        }
    }

    private static List<String> protocols(String min, String max) {
        if (min == null && max == null) {
            return List.of();
        }
        List<String> all = List.of("TLS10", "TLS11", "TLS12", "TLS13");
        int lo = min == null ? 2 : all.indexOf(min.toUpperCase());
        int hi = max == null ? 3 : all.indexOf(max.toUpperCase());
        if (lo < 0 || hi < 0 || lo > hi) {
            throw new IllegalArgumentException("invalid TLS version range min_version=" + min + " max_version=" + max);
        }
        List<String> out = new ArrayList<>();
        for (int i = lo; i <= hi; i++) {
            out.add("TLSv1." + i);
        }
        return out;
    }

    /** Headers for one request: configured headers and auth, reading credential files off the event loop. */
    public static Mono<Map<String, String>> headers(HttpClientConfig config) {
        boolean readsFiles = config.basicAuth() != null
                && (config.basicAuth().usernameFile() != null || config.basicAuth().passwordFile() != null)
                || config.authorization() != null && config.authorization().credentialsFile() != null;
        Mono<Map<String, String>> headers = Mono.fromCallable(() -> buildHeaders(config));
        return readsFiles ? headers.subscribeOn(Schedulers.boundedElastic()) : headers;
    }

    private static Map<String, String> buildHeaders(HttpClientConfig config) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (config.httpHeaders() != null) {
            config.httpHeaders().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    out.put(name, String.join(", ", values.stream().map(Secret::reveal).toList()));
                }
            });
        }
        BasicAuth basic = config.basicAuth();
        if (basic != null) {
            String user = basic.usernameFile() != null ? readTrimmed(basic.usernameFile())
                    : basic.username() == null ? "" : basic.username();
            String password = basic.passwordFile() != null ? readTrimmed(basic.passwordFile())
                    : basic.password() == null ? "" : basic.password().reveal();
            out.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        Authorization auth = config.authorization();
        if (auth != null) {
            String credentials = auth.credentialsFile() != null ? readTrimmed(auth.credentialsFile())
                    : auth.credentials() == null ? "" : auth.credentials().reveal();
            String type = auth.type() == null || auth.type().isEmpty() ? "Bearer" : auth.type();
            out.put("Authorization", type + " " + credentials);
        }
        return out;
    }

    private static String readTrimmed(String file) throws IOException {
        return Files.readString(new File(file).toPath(), StandardCharsets.UTF_8).trim();
    }
}
