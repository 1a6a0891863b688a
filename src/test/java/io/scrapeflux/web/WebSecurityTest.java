package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.blockhound.BlockHound;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;

/** {@code --web.config.file}: parsing, basic auth with bcrypt on every endpoint, TLS and client certificates. */
class WebSecurityTest {

    private static final String HASH = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());

    @TempDir
    Path dir;
    private WebServer server;

    @BeforeAll
    static void blockHound() {
        BlockHound.install();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(WebConfig config) {
        server = WebServer.builder(new InetSocketAddress("127.0.0.1", 0), new PrometheusRegistry())
                .state(new InMemoryWebState().ready(true)).webConfig(config).build();
        server.start();
        return server.port();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesPrometheusWebConfig() throws Exception {
        WebConfig c = WebConfig.parse("""
                tls_server_config:
                  cert_file: tls/server.crt
                  key_file: tls/server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: tls/ca.crt
                  min_version: TLS13
                http_server_config:
                  http2: false
                  headers:
                    X-Frame-Options: deny
                basic_auth_users:
                  alice: %s
                """.formatted(HASH), dir);
        assertThat(c.tls().certFile()).isEqualTo(dir.resolve("tls/server.crt"));
        assertThat(c.tls().clientAuth()).isEqualTo(WebConfig.ClientAuth.RequireAndVerifyClientCert);
        assertThat(c.tls().clientCaFile()).isEqualTo(dir.resolve("tls/ca.crt"));
        assertThat(c.tls().protocols()).containsExactly("TLSv1.3");
        assertThat(c.headers()).containsEntry("X-Frame-Options", "deny");
        assertThat(c.basicAuthUsers()).containsEntry("alice", HASH);
        assertThat(WebConfig.parse("", dir)).isEqualTo(WebConfig.NONE);
        assertThat(WebConfig.parse("tls_server_config:\n  cert_file: a\n  key_file: b\n", dir).tls().protocols())
                .containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void rejectsInvalidWebConfigWithAClearReason() {
        Map<String, String> cases = Map.of(
                "tls_server_config:\n  cert_file: a\n", "missing key_file",
                "tls_server_config:\n  key_file: a\n", "missing cert_file",
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Sometimes\n", "invalid client_auth_type",
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n", "client_auth_type is NoClientCert",
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n", "needs client_ca_file",
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS14\n", "unknown TLS version",
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [x]\n", "cipher_suites is not supported",
                "basic_auth_users:\n  bob: plaintext\n", "not a bcrypt hash",
                "basic_auth_user:\n  bob: x\n", "field basic_auth_user not found");
        cases.forEach((yaml, reason) -> assertThatThrownBy(() -> WebConfig.parse(yaml, dir))
                .as(yaml).isInstanceOf(WebConfigException.class).hasMessageContaining(reason));
        assertThatThrownBy(() -> WebConfig.load(dir.resolve("absent.yml")))
                .isInstanceOf(WebConfigException.class).hasMessageContaining("absent.yml");
    }

    @Test
    void basicAuthGuardsEveryEndpoint() {
        int port = start(new WebConfig(null, Map.of("alice", HASH), Map.of("X-Frame-Options", "deny")));
        for (String path : List.of("/metrics", "/-/healthy", "/api/v1/targets", "/targets")) {
            TestHttp.Response r = TestHttp.get("http://127.0.0.1:" + port + path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.headers().get("WWW-Authenticate")).isEqualTo("Basic");
        }
        String url = "http://127.0.0.1:" + port + "/api/v1/targets";
        assertThat(TestHttp.get(url, h -> h.set("Authorization", basic("alice", "wrong"))).status()).isEqualTo(401);
        assertThat(TestHttp.get(url, h -> h.set("Authorization", basic("mallory", "s3cret"))).status()).isEqualTo(401);
        assertThat(TestHttp.get(url, h -> h.set("Authorization", "Basic !!!")).status()).isEqualTo(401);
        TestHttp.Response ok = TestHttp.get(url, h -> h.set("Authorization", basic("alice", "s3cret")));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.headers().get("X-Frame-Options")).isEqualTo("deny");
        // second request answered from the cache of verified credentials
        assertThat(TestHttp.get(url, h -> h.set("Authorization", basic("alice", "s3cret"))).status()).isEqualTo(200);
    }

    @Test
    void authenticatorCachesOnlySuccessesAndVerifiesOffTheCallerThread() {
        BasicAuthenticator auth = new BasicAuthenticator(Map.of("alice", HASH), Schedulers.boundedElastic());
        assertThat(auth.check("alice", "nope").block()).isFalse();
        assertThat(auth.cacheSize()).isZero();
        assertThat(auth.check("alice", "s3cret").block()).isTrue();
        assertThat(auth.cacheSize()).isEqualTo(1);
        assertThat(auth.check("alice", "s3cret").block()).isTrue();
        assertThat(auth.check("bob", "s3cret").block()).isFalse();
    }

    @Test
    void servesTlsAndVerifiesClientCertificates() throws Exception {
        SelfSignedCertificate serverCert = new SelfSignedCertificate("localhost");
        SelfSignedCertificate clientCert = new SelfSignedCertificate("client");
        Files.copy(serverCert.certificate().toPath(), dir.resolve("server.crt"));
        Files.copy(serverCert.privateKey().toPath(), dir.resolve("server.key"));
        Files.copy(clientCert.certificate().toPath(), dir.resolve("ca.crt"));
        Path file = dir.resolve("web.yml");
        Files.writeString(file, """
                tls_server_config:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: ca.crt
                """);
        int port = start(WebConfig.load(file));
        String url = "https://127.0.0.1:" + port + "/-/healthy";

        HttpClient withCert = HttpClient.create().secure(s -> s.sslContext(Http11SslContextSpec.forClient()
                .configure(b -> b.trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .keyManager(clientCert.certificate(), clientCert.privateKey()))));
        TestHttp.Response r = TestHttp.call(withCert, HttpMethod.GET, url, h -> { });
        assertThat(r.status()).isEqualTo(200);

        HttpClient withoutCert = HttpClient.create().secure(s -> s.sslContext(Http11SslContextSpec.forClient()
                .configure(SslContextBuilderTrustAll::apply)));
        assertThatThrownBy(() -> TestHttp.call(withoutCert, HttpMethod.GET, url, h -> { })).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> TestHttp.get("http://127.0.0.1:" + port + "/-/healthy")).isInstanceOf(Exception.class);
    }

    private static final class SslContextBuilderTrustAll {
        static void apply(SslContextBuilder b) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
    }
}
