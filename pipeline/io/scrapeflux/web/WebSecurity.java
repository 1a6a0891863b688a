package io.scrapeflux.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** Applies a {@link WebConfig} to every request: extra headers, basic auth, and TLS on the listener. */
final class WebSecurity {

    private final WebConfig config;
    private final BasicAuthenticator auth;

    WebSecurity(WebConfig config) {
        this.config = config;
        this.auth = config.basicAuthUsers().isEmpty() ? null
                : new BasicAuthenticator(config.basicAuthUsers(), Schedulers.boundedElastic());
    }

    Publisher<Void> filter(HttpServerRequest req, HttpServerResponse res,
            BiFunction<? super HttpServerRequest, ? super HttpServerResponse, ? extends Publisher<Void>> next) {
        config.headers().forEach(res::header);
        if (auth == null) {
            return next.apply(req, res);
        }
        String[] credentials = basicCredentials(req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        if (credentials == null) {
            return unauthorized(res);
        }
        return auth.check(credentials[0], credentials[1])
                .publishOn(EventLoops.of(res)) // bcrypt ran on a worker; see EventLoops
                .flatMap(ok -> ok ? Mono.from(next.apply(req, res)) : unauthorized(res));
    }

    /** user and password of a {@code Basic} header, or null when absent or malformed. */
    static String[] basicCredentials(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static Mono<Void> unauthorized(HttpServerResponse res) {
        return res.status(HttpResponseStatus.UNAUTHORIZED)
                .header(HttpHeaderNames.WWW_AUTHENTICATE, "Basic")
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just("Unauthorized\n")).then();
    }

    HttpServer secure(HttpServer http) {
        WebConfig.Tls tls = config.tls();
        if (tls == null) {
            return http;
        }
        Http11SslContextSpec spec = Http11SslContextSpec.forServer(tls.certFile().toFile(), tls.keyFile().toFile())
                .configure(b -> {
                    b.protocols(tls.protocols());
                    switch (tls.clientAuth()) {
                        case NoClientCert -> b.clientAuth(ClientAuth.NONE);
                        case RequestClientCert -> b.clientAuth(ClientAuth.OPTIONAL)
                                .trustManager(InsecureTrustManagerFactory.INSTANCE);
                        case RequireAnyClientCert -> b.clientAuth(ClientAuth.REQUIRE)
                                .trustManager(InsecureTrustManagerFactory.INSTANCE);
                        case VerifyClientCertIfGiven -> b.clientAuth(ClientAuth.OPTIONAL)
                                .trustManager(tls.clientCaFile().toFile());
                        case RequireAndVerifyClientCert -> b.clientAuth(ClientAuth.REQUIRE)
                                .trustManager(tls.clientCaFile().toFile());
                    }
                });
        return http.secure(s -> s.sslContext(spec));
    }
}
