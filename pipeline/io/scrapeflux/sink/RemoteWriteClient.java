package io.scrapeflux.sink;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.RemoteWriteConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.ProxyProvider;

/**
 * Sends one compressed {@code WriteRequest} to a {@code remote_write} URL with Reactor Netty, never
 * blocking: the returned Mono completes on a Netty thread with the outcome (errors are outcomes, not
 * signals, so the caller decides on retries). Credentials files are read by the caller's thread at each
 * request (as Prometheus does, so rotated tokens are picked up): call {@link #send} from a thread that may
 * do file IO.
 */
final class RemoteWriteClient {

    /** What the receiver said. {@code status} is 0 when no response arrived ({@code error} says why). */
    record Outcome(int status, Duration retryAfter, String message, Throwable error) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** 5xx, network errors and timeouts are recoverable; 429 only when configured. */
        boolean retryable(boolean retryOn429) {
            return status == 0 || status >= 500 || (status == 429 && retryOn429);
        }

        String describe() {
            return status == 0 ? String.valueOf(error) : "HTTP " + status + (message.isEmpty() ? "" : ": " + message);
        }
    }

    private static final int MAX_MESSAGE = 256;

    private final RemoteWriteConfig config;
    private final HttpClient http;
    private final ConnectionProvider provider;
    private final Duration timeout;
    private final String userAgent;
    private final Clock clock;

    RemoteWriteClient(RemoteWriteConfig config, int maxConnections, Clock clock) {
        RemoteWriteHeaders.requireValid(config.headers());
        if (config.http() != null && config.http().oauth2() != null) {
            throw new IllegalArgumentException("remote_write " + config.url() + ": oauth2 is not supported yet; "
                    + "use authorization or basic_auth");
        }
        this.config = config;
        this.clock = clock;
        this.timeout = config.remoteTimeout() == null ? RemoteWriteConfig.DEFAULT_REMOTE_TIMEOUT : config.remoteTimeout();
        this.userAgent = RemoteWriteHeaders.userAgent();
        this.provider = ConnectionProvider.builder("remote-write")
                .maxConnections(Math.max(1, maxConnections))
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClientConfig hc = config.http() == null ? HttpClientConfig.DEFAULT : config.http();
        HttpClient c = HttpClient.create(provider)
                .responseTimeout(timeout)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .followRedirect(hc.followRedirects());
        URI uri = URI.create(config.url());
        TlsConfig tls = hc.tlsConfig() == null ? TlsConfig.DEFAULT : hc.tlsConfig();
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            SslContext ctx = sslContext(tls);
            String serverName = tls.serverName();
            c = c.secure(spec -> spec.sslContext(ctx).handlerConfigurator(h -> {
                SSLEngine engine = h.engine();
                SSLParameters p = engine.getSSLParameters();
                if (serverName != null && !serverName.isEmpty()) {
                    p.setServerNames(List.of(new SNIHostName(serverName)));
                }
                if (tls.insecureSkipVerify()) {
                    p.setEndpointIdentificationAlgorithm(null);
                }
                engine.setSSLParameters(p);
            }));
        }
        if (hc.proxyUrl() != null && !hc.proxyUrl().isEmpty()) {
            URI proxy = URI.create(hc.proxyUrl());
            int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
            ProxyProvider.Proxy type = proxy.getScheme() != null && proxy.getScheme().startsWith("socks")
                    ? ProxyProvider.Proxy.SOCKS5 : ProxyProvider.Proxy.HTTP;
            String noProxy = hc.noProxy();
            c = c.proxy(spec -> {
                ProxyProvider.Builder b = spec.type(type).host(proxy.getHost()).port(port);
                if (noProxy != null && !noProxy.isEmpty()) {
                    b.nonProxyHosts(noProxy.replace(',', '|').replace(" ", ""));
                }
            });
        } else if (hc.proxyFromEnvironment()) {
            c = c.proxyWithSystemProperties();
        }
        this.http = c;
    }

    private static SslContext sslContext(TlsConfig tls) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (tls.insecureSkipVerify()) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (tls.caFile() != null) {
                b.trustManager(new File(tls.caFile()));
            } else if (tls.ca() != null) {
                b.trustManager(new ByteArrayInputStream(tls.ca().getBytes(StandardCharsets.UTF_8)));
            }
            if (tls.certFile() != null && tls.keyFile() != null) {
                b.keyManager(new File(tls.certFile()), new File(tls.keyFile()));
            } else if (tls.cert() != null && tls.key() != null) {
                b.keyManager(new ByteArrayInputStream(tls.cert().getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayInputStream(tls.key().reveal().getBytes(StandardCharsets.UTF_8)));
            }
            return b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("remote_write tls_config: " + e.getMessage(), e);
        }
    }

    /** Posts {@code body[off .. off+len)} (snappy-compressed WriteRequest). Never signals an error. */
    Mono<Outcome> send(byte[] body, int off, int len) {
        String auth;
        try {
            auth = authorizationHeader();
        } catch (IOException e) {
            return Mono.just(new Outcome(0, null, "", e));
        }
        HttpClientConfig hc = config.http() == null ? HttpClientConfig.DEFAULT : config.http();
        return http.headers(h -> {
                    h.set(HttpHeaderNames.CONTENT_ENCODING, RemoteWriteHeaders.CONTENT_ENCODING);
                    h.set(HttpHeaderNames.CONTENT_TYPE, RemoteWriteHeaders.CONTENT_TYPE);
                    h.set(RemoteWriteHeaders.VERSION_HEADER, RemoteWriteHeaders.VERSION);
                    h.set(HttpHeaderNames.USER_AGENT, userAgent);
                    if (config.headers() != null) {
                        config.headers().forEach(h::set);
                    }
                    for (Map.Entry<String, List<Secret>> e : hc.httpHeaders().entrySet()) {
                        for (Secret s : e.getValue()) {
                            h.add(e.getKey(), s.reveal());
                        }
                    }
                    if (auth != null) {
                        h.set(HttpHeaderNames.AUTHORIZATION, auth);
                    }
                })
                .post()
                .uri(config.url())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body, off, len)))
                .responseSingle((resp, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .map(text -> new Outcome(resp.status().code(),
                                Backoff.parseRetryAfter(resp.responseHeaders().get("Retry-After"), clock.instant()),
                                truncate(text), null)))
                .timeout(timeout.plusSeconds(1), Mono.error(() -> new TimeoutException(
                        "remote_timeout " + timeout + " exceeded")))
                .onErrorResume(e -> Mono.just(new Outcome(0, null, "", e)));
    }

    private String authorizationHeader() throws IOException {
        HttpClientConfig hc = config.http();
        if (hc == null) {
            return null;
        }
        BasicAuth ba = hc.basicAuth();
        if (ba != null) {
            String user = ba.usernameFile() != null ? readTrimmed(ba.usernameFile()) : nullToEmpty(ba.username());
            String pass = ba.passwordFile() != null ? readTrimmed(ba.passwordFile())
                    : ba.password() == null ? "" : ba.password().reveal();
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        }
        Authorization a = hc.authorization();
        if (a != null) {
            String type = a.type() == null || a.type().isEmpty() ? "Bearer" : a.type();
            String cred = a.credentialsFile() != null ? readTrimmed(a.credentialsFile())
                    : a.credentials() == null ? "" : a.credentials().reveal();
            return type + " " + cred;
        }
        return null;
    }

    private static String readTrimmed(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String truncate(String s) {
        String t = s.strip();
        return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE) + "...";
    }

    Mono<Void> close() {
        return provider.disposeLater();
    }
}
