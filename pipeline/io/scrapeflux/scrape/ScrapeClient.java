package io.scrapeflux.scrape;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.scrapeflux.config.Authorization;
import io.scrapeflux.config.BasicAuth;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.config.Secret;
import io.scrapeflux.config.TlsConfig;
import io.scrapeflux.exposition.ExpositionParsers;
import io.scrapeflux.target.Target;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;

/**
 * The one HTTP client all scrapes share: a Reactor Netty {@link HttpClient} over one
 * {@link ConnectionProvider} with a bounded connection pool per host, keep-alive, idle connections
 * evicted and pools of vanished hosts disposed in the background (targets churn).
 *
 * <p>{@link #forJob(ScrapeConfig)} derives a job's client (TLS, proxy, redirects; built lazily on a
 * blocking-capable thread because it reads key and CA files) and returns the fetcher its loops use.
 * Credentials held in files ({@code credentials_file}, {@code password_file}) are re-read on every
 * scrape, off the event loop, so rotated secrets apply without a reload, as in Prometheus.
 */
public final class ScrapeClient implements Disposable {

    /**
     * No cap of the client's own, as in Prometheus (whose transport has no per-host connection limit): a
     * target has at most one scrape in flight, so a host gets at most one connection per target on it, and
     * a cap would make many targets behind one host:port (blackbox-style exporters, a proxy) wait for each
     * other and miss their intervals.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = Integer.MAX_VALUE;
    /** Idle connections older than this are closed. */
    public static final Duration DEFAULT_MAX_IDLE = Duration.ofSeconds(90);

    /**
     * One event loop with its own connection pool. A target always uses the same lane and its loop ticks on
     * the lane's thread, so a scrape starts, writes its request and reads its response on one thread:
     * handing each scrape from a timer thread to the event loop cost a wake-up of each thread per scrape and
     * 4.5 % more CPU per sample in paired runs (benchmarks/RESULTS.md).
     */
    private record Lane(LoopResources loops, ConnectionProvider provider, HttpClient base, Scheduler scheduler) { }

    private final Lane[] lanes;
    private final String userAgent;

    private ScrapeClient(Lane[] lanes, String userAgent) {
        this.lanes = lanes;
        this.userAgent = userAgent;
    }

    /** A client with the default pool settings and {@code User-Agent: scrapeflux/<version>}. */
    public static ScrapeClient create() {
        return create(DEFAULT_MAX_CONNECTIONS_PER_HOST, DEFAULT_MAX_IDLE);
    }

    /**
     * @param maxConnectionsPerHost connections per target host:port and event loop (one loop per processor,
     *                              each target always on the same loop); a target has at most one scrape in
     *                              flight, so a lower cap bounds the concurrency towards hosts that serve many
     *                              targets, and further scrapes wait for a connection within their timeout
     * @param maxIdle               idle connections older than this are closed
     */
    public static ScrapeClient create(int maxConnectionsPerHost, Duration maxIdle) {
        return create(maxConnectionsPerHost, maxIdle, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #create(int, Duration)}, with {@code laneCount} event loops (each with its own pools). */
    static ScrapeClient create(int maxConnectionsPerHost, Duration maxIdle, int laneCount) {
        Lane[] lanes = new Lane[Math.max(1, laneCount)];
        for (int i = 0; i < lanes.length; i++) {
            ConnectionProvider provider = ConnectionProvider.builder("scrapeflux-scrape-" + i)
                    .maxConnections(maxConnectionsPerHost)
                    .pendingAcquireMaxCount(-1) // waiters are bounded by the loops: one scrape per target at a time
                    .maxIdleTime(maxIdle)
                    .evictInBackground(maxIdle.dividedBy(2))
                    .disposeInactivePoolsInBackground(Duration.ofMinutes(1), Duration.ofMinutes(5))
                    .build();
            LoopResources loops = LoopResources.create("scrapeflux-scrape-" + i, 1, true);
            EventLoop loop = loops.onClient(LoopResources.DEFAULT_NATIVE).next();
            lanes[i] = new Lane(loops, provider,
                    HttpClient.create(provider).runOn(loops, LoopResources.DEFAULT_NATIVE).keepAlive(true),
                    Schedulers.fromExecutorService(loop, "scrapeflux-scrape-" + i));
        }
        return new ScrapeClient(lanes, "scrapeflux/" + version());
    }

    private int laneOf(Target target) {
        // the URL identifies a target within a job; spread, not cryptographic
        int h = target.scrapeUrl().hashCode() * 0x9E3779B1;
        return Math.floorMod(h ^ (h >>> 16), lanes.length);
    }

    static String version() {
        String v = ScrapeClient.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    String userAgent() {
        return userAgent;
    }

    /** The fetcher for a job's loops: its HTTP settings, its negotiated headers. */
    ScrapeFetcher forJob(ScrapeConfig cfg) {
        return new JobFetcher(cfg);
    }

    @Override
    public void dispose() {
        disposeLater().subscribe(null, e -> { });
    }

    /** Releases the pools' connections and stops the event loops, completing when both are done. */
    public Mono<Void> disposeLater() {
        return Flux.fromArray(lanes)
                .concatMap(l -> l.provider().disposeLater()
                        .then(l.loops().disposeLater(Duration.ZERO, Duration.ofSeconds(5))))
                .then();
    }

    @Override
    public boolean isDisposed() {
        return lanes[0].provider().isDisposed();
    }

    /** The escaping= parameter Prometheus 3 puts in Accept: the configured scheme, else by validation scheme. */
    static String escaping(ScrapeConfig cfg) {
        String configured = cfg.metricNameEscapingScheme();
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        return cfg.metricNameValidationScheme() == NameValidationScheme.LEGACY ? "underscores"
                : ExpositionParsers.ESCAPING_ALLOW_UTF8;
    }

    /** Seconds as Go's {@code strconv.FormatFloat(s, 'f', -1, 64)} writes them: "10", "0.5". */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private final class JobFetcher implements ScrapeFetcher {

        private final ScrapeConfig cfg;
        private final HttpClientConfig http;
        private final String accept;
        private final String acceptEncoding;
        private final Mono<HttpClient[]> clients;
        private final boolean readsFiles;
        private final String staticAuthorization;

        JobFetcher(ScrapeConfig cfg) {
            this.cfg = cfg;
            this.http = cfg.http() == null ? HttpClientConfig.DEFAULT : cfg.http();
            List<ScrapeProtocol> protocols = cfg.scrapeProtocols() == null || cfg.scrapeProtocols().isEmpty()
                    ? ScrapeProtocol.DEFAULTS : cfg.scrapeProtocols();
            this.accept = ExpositionParsers.acceptHeader(protocols, escaping(cfg));
            this.acceptEncoding = cfg.enableCompression() ? "gzip" : "identity";
            this.clients = Mono.fromCallable(this::buildClients).subscribeOn(Schedulers.boundedElastic()).cache();
            this.readsFiles = readsFiles(http);
            this.staticAuthorization = readsFiles ? null : authorization(http);
        }

        @Override
        public Scheduler tickScheduler(Target target) {
            return lanes[laneOf(target)].scheduler();
        }

        @Override
        public Mono<String> fetch(Target target, BodyBuffer into) {
            if (http.oauth2() != null) {
                return Mono.error(new ScrapeFailure("oauth2 is not supported by scrapeflux's scrape client"));
            }
            Mono<String> auth = readsFiles
                    ? Mono.fromCallable(() -> authorization(http)).subscribeOn(Schedulers.boundedElastic())
                    : Mono.just(staticAuthorization == null ? "" : staticAuthorization);
            String timeoutSeconds = seconds(target.timeout());
            return clients.zipWith(auth).flatMap(ca -> ca.getT1()[laneOf(target)]
                    .headers(h -> headers(h, ca.getT2(), timeoutSeconds))
                    .get()
                    .uri(target.scrapeUrl())
                    .response((resp, body) -> {
                        if (resp.status().code() != 200) {
                            return Mono.error(new ScrapeFailure("server returned HTTP status "
                                    + resp.status().code() + " " + resp.status().reasonPhrase()));
                        }
                        HttpHeaders rh = resp.responseHeaders();
                        into.gzip("gzip".equalsIgnoreCase(rh.get(HttpHeaderNames.CONTENT_ENCODING)));
                        String contentType = rh.get(HttpHeaderNames.CONTENT_TYPE, "");
                        return body.doOnNext(into::append).then(Mono.fromCallable(() -> {
                            into.finish();
                            return contentType;
                        }));
                    })
                    // not next(): cancelling the response would close the connection instead of pooling it
                    .singleOrEmpty());
        }

        private void headers(HttpHeaders h, String authorization, String timeoutSeconds) {
            h.set(HttpHeaderNames.ACCEPT, accept);
            h.set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding);
            h.set(HttpHeaderNames.USER_AGENT, userAgent);
            h.set("X-Prometheus-Scrape-Timeout-Seconds", timeoutSeconds);
            if (!authorization.isEmpty()) {
                h.set(HttpHeaderNames.AUTHORIZATION, authorization);
            }
            if (http.httpHeaders() != null) {
                for (Map.Entry<String, List<Secret>> e : http.httpHeaders().entrySet()) {
                    for (Secret s : e.getValue()) {
                        h.add(e.getKey(), s.reveal());
                    }
                }
            }
        }

        private HttpClient[] buildClients() throws IOException {
            TlsConfig tls = http.tlsConfig() == null ? TlsConfig.DEFAULT : http.tlsConfig();
            SslContext ssl = usesTls() ? sslContext(tls) : null; // read the key files once for every lane
            HttpClient[] out = new HttpClient[lanes.length];
            for (int i = 0; i < lanes.length; i++) {
                out[i] = buildClient(lanes[i].base(), tls, ssl);
            }
            return out;
        }

        private HttpClient buildClient(HttpClient base, TlsConfig tls, SslContext ssl) {
            HttpClient c = base.followRedirect(http.followRedirects());
            if (http.proxyUrl() != null && !http.proxyUrl().isEmpty()) {
                URI proxy = URI.create(http.proxyUrl());
                int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
                String userInfo = proxy.getUserInfo();
                String noProxy = http.noProxy();
                c = c.proxy(spec -> {
                    ProxyProvider.Builder b = spec.type(ProxyProvider.Proxy.HTTP).host(proxy.getHost()).port(port);
                    if (userInfo != null) {
                        int colon = userInfo.indexOf(':');
                        b.username(colon < 0 ? userInfo : userInfo.substring(0, colon));
                        if (colon >= 0) {
                            String password = userInfo.substring(colon + 1);
                            b.password(u -> password);
                        }
                    }
                    if (noProxy != null && !noProxy.isEmpty()) {
                        b.nonProxyHosts(noProxy.replace(',', '|').replace(" ", ""));
                    }
                });
            }
            if (ssl != null) {
                String serverName = tls.serverName();
                boolean verify = !tls.insecureSkipVerify();
                c = c.secure(spec -> spec.sslContext(ssl).handlerConfigurator(handler -> {
                    SSLEngine engine = handler.engine();
                    SSLParameters p = engine.getSSLParameters();
                    if (serverName != null && !serverName.isEmpty()) {
                        // the JDK verifies the certificate against the SNI name when one is set
                        p.setServerNames(List.of(new SNIHostName(serverName)));
                    }
                    p.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
                    engine.setSSLParameters(p);
                }));
            }
            return c;
        }

        private boolean usesTls() {
            return "https".equalsIgnoreCase(cfg.scheme()) || (http.tlsConfig() != null
                    && !http.tlsConfig().equals(TlsConfig.DEFAULT));
        }
    }

    static SslContext sslContext(TlsConfig tls) throws IOException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (tls.insecureSkipVerify()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (tls.caFile() != null && !tls.caFile().isEmpty()) {
            b.trustManager(new File(tls.caFile()));
        } else if (tls.ca() != null && !tls.ca().isEmpty()) {
            b.trustManager(stream(tls.ca()));
        }
        InputStream cert = tls.certFile() != null && !tls.certFile().isEmpty()
                ? Files.newInputStream(Path.of(tls.certFile()))
                : tls.cert() != null && !tls.cert().isEmpty() ? stream(tls.cert()) : null;
        InputStream key = tls.keyFile() != null && !tls.keyFile().isEmpty()
                ? Files.newInputStream(Path.of(tls.keyFile()))
                : tls.key() != null ? stream(tls.key().reveal()) : null;
        try {
            if (cert != null && key != null) {
                b.keyManager(cert, key);
            }
            List<String> protocols = protocols(tls.minVersion(), tls.maxVersion());
            if (!protocols.isEmpty()) {
                b.protocols(protocols);
            }
            return b.build();
        } finally {
            if (cert != null) {
                cert.close();
            }
            if (key != null) {
                key.close();
            }
        }
    }

    private static final String[] TLS_VERSIONS = {"TLS10", "TLS11", "TLS12", "TLS13"};
    private static final String[] JDK_PROTOCOLS = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};

    /** JDK protocol names between Prometheus's min_version and max_version (TLS10..TLS13); empty = JDK default. */
    static List<String> protocols(String min, String max) {
        if ((min == null || min.isEmpty()) && (max == null || max.isEmpty())) {
            return List.of();
        }
        int lo = min == null || min.isEmpty() ? 2 : indexOfVersion(min); // Prometheus defaults to TLS 1.2
        int hi = max == null || max.isEmpty() ? TLS_VERSIONS.length - 1 : indexOfVersion(max);
        List<String> out = new ArrayList<>();
        for (int i = lo; i <= hi; i++) {
            out.add(JDK_PROTOCOLS[i]);
        }
        return out;
    }

    private static int indexOfVersion(String v) {
        for (int i = 0; i < TLS_VERSIONS.length; i++) {
            if (TLS_VERSIONS[i].equalsIgnoreCase(v)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown TLS version: " + v);
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean readsFiles(HttpClientConfig http) {
        BasicAuth ba = http.basicAuth();
        Authorization az = http.authorization();
        return ba != null && (nonEmpty(ba.passwordFile()) || nonEmpty(ba.usernameFile()))
                || az != null && nonEmpty(az.credentialsFile());
    }

    /** The Authorization header value for this scrape, reading credential files now; "" for none. */
    static String authorization(HttpClientConfig http) {
        BasicAuth ba = http.basicAuth();
        if (ba != null) {
            String user = nonEmpty(ba.usernameFile()) ? readSecretFile(ba.usernameFile()) : nullToEmpty(ba.username());
            String password = nonEmpty(ba.passwordFile()) ? readSecretFile(ba.passwordFile())
                    : ba.password() == null ? "" : ba.password().reveal();
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        Authorization az = http.authorization();
        if (az != null) {
            String type = nonEmpty(az.type()) ? az.type() : "Bearer";
            String credentials = nonEmpty(az.credentialsFile()) ? readSecretFile(az.credentialsFile())
                    : az.credentials() == null ? "" : az.credentials().reveal();
            return type + " " + credentials;
        }
        return "";
    }

    /** A secret file's content without surrounding whitespace, as Prometheus reads them. */
    private static String readSecretFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ScrapeFailure("unable to read authorization credentials file " + file + ": " + e.getMessage());
        }
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
