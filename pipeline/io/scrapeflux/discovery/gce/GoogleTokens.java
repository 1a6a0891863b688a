package io.scrapeflux.discovery.gce;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * OAuth access tokens for the Compute API, found the way Google's Application Default Credentials do (the subset
 * scrapeflux needs): a service-account key file is exchanged for a token with a signed JWT, gcloud's user credentials
 * with their refresh token; without a file, the metadata server of the VM the agent runs on hands out the token of
 * the VM's service account. A token is reused until a minute before it expires, or until the API refuses it.
 */
final class GoogleTokens {

    static final String SCOPE = "https://www.googleapis.com/auth/compute.readonly";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private static final Logger log = LoggerFactory.getLogger(GoogleTokens.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long EXPIRY_MARGIN_MS = TimeUnit.MINUTES.toMillis(1);
    private static final long JWT_LIFETIME_S = 3600;

    private record Token(String value, long expiresAtMillis) {
    }

    private final String description;
    private final Function<Long, Mono<Token>> fetch;
    private final Scheduler clock;
    private final AtomicReference<Token> cached = new AtomicReference<>();

    private GoogleTokens(String description, Function<Long, Mono<Token>> fetch, Scheduler clock) {
        this.description = description;
        this.fetch = fetch;
        this.clock = clock;
    }

    /**
     * Application Default Credentials, in Google's order: the key file named by {@code GOOGLE_APPLICATION_CREDENTIALS},
     * else gcloud's well-known file when it exists, else the metadata server. Files are read (blocking IO) on a
     * bounded-elastic thread.
     */
    static Mono<GoogleTokens> applicationDefault(GceDiscoverer.Endpoints endpoints, HttpClient http, Scheduler clock) {
        if (endpoints.credentialsFile() != null) {
            return Mono.fromCallable(() -> fromFile(endpoints.credentialsFile(), endpoints, http, clock))
                    .subscribeOn(Schedulers.boundedElastic());
        }
        if (endpoints.wellKnownFile() == null) {
            return Mono.just(metadataServer(endpoints.metadataUrl(), http, clock));
        }
        return Mono.fromCallable(() -> Files.isRegularFile(endpoints.wellKnownFile())
                        ? fromFile(endpoints.wellKnownFile(), endpoints, http, clock)
                        : metadataServer(endpoints.metadataUrl(), http, clock))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static GoogleTokens fromFile(Path file, GceDiscoverer.Endpoints endpoints, HttpClient http,
                                         Scheduler clock) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IOException("credentials file " + file + " cannot be read: " + e, e);
        }
        JsonNode key;
        try {
            key = JSON.readTree(text);
        } catch (RuntimeException e) {
            throw new IOException("credentials file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        String type = key.path("type").asString("");
        return switch (type) {
            case "service_account" -> serviceAccount(key, file, endpoints.oauthTokenUrl(), http, clock);
            case "authorized_user" -> authorizedUser(key, file, endpoints.oauthTokenUrl(), http, clock);
            default -> throw new IOException("credentials file " + file + ": unsupported credentials type \"" + type
                    + "\" (supported: service_account, authorized_user)");
        };
    }

    /** The access token to send, fetched when none is cached or the cached one is about to expire. */
    Mono<String> token() {
        return Mono.defer(() -> {
            long now = clock.now(TimeUnit.MILLISECONDS);
            Token t = cached.get();
            if (t != null && now < t.expiresAtMillis - EXPIRY_MARGIN_MS) {
                return Mono.just(t.value);
            }
            return fetch.apply(now).doOnNext(fresh -> {
                cached.set(fresh);
                log.debug("Fetched Google access token source={} expiresInMs={}", description,
                        fresh.expiresAtMillis - now);
            }).map(Token::value);
        });
    }

    /** Forgets the cached token, after the API refused it (revoked, or the clock is off). */
    void invalidate() {
        cached.set(null);
    }

    String description() {
        return description;
    }

    private static GoogleTokens metadataServer(String metadataUrl, HttpClient http, Scheduler clock) {
        String url = metadataUrl + "/computeMetadata/v1/instance/service-accounts/default/token?scopes="
                + URLEncoder.encode(SCOPE, StandardCharsets.UTF_8);
        return new GoogleTokens("metadata server " + metadataUrl, now -> http
                .headers(h -> h.set("Metadata-Flavor", "Google"))
                .get()
                .uri(url)
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> parseToken(response.status().code(), text, now, "metadata server"))),
                clock);
    }

    private static GoogleTokens serviceAccount(JsonNode key, Path file, String defaultTokenUrl, HttpClient http,
                                               Scheduler clock) throws IOException {
        String email = required(key, "client_email", file);
        PrivateKey privateKey = privateKey(required(key, "private_key", file), file);
        String keyId = key.path("private_key_id").asString("");
        String audience = key.path("token_uri").asString(defaultTokenUrl);
        return new GoogleTokens("service account " + email, now -> Mono
                .fromCallable(() -> signedJwt(privateKey, keyId, email, audience, now / 1000))
                // Signing may draw on the system's entropy source: keep it off event loops and parallel threads.
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(jwt -> postForm(http, audience, now, "grant_type=" + form(JWT_BEARER) + "&assertion=" + jwt)),
                clock);
    }

    /** gcloud's user credentials ({@code gcloud auth application-default login}): a refresh-token grant. */
    private static GoogleTokens authorizedUser(JsonNode key, Path file, String defaultTokenUrl, HttpClient http,
                                               Scheduler clock) throws IOException {
        String clientId = required(key, "client_id", file);
        String clientSecret = required(key, "client_secret", file);
        String refreshToken = required(key, "refresh_token", file);
        String tokenUrl = key.path("token_uri").asString(defaultTokenUrl);
        String body = "grant_type=refresh_token&client_id=" + form(clientId) + "&client_secret=" + form(clientSecret)
                + "&refresh_token=" + form(refreshToken);
        return new GoogleTokens("user credentials " + file, now -> postForm(http, tokenUrl, now, body), clock);
    }

    private static Mono<Token> postForm(HttpClient http, String url, long now, String body) {
        return http.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .post()
                .uri(url)
                .send(reactor.netty.ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, text) -> text.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(t -> parseToken(response.status().code(), t, now, url)));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String required(JsonNode key, String field, Path file) throws IOException {
        String v = key.path(field).asString("");
        if (v.isEmpty()) {
            throw new IOException("credentials file " + file + ": field " + field + " is missing");
        }
        return v;
    }

    /** The PKCS#8 PEM key of a service-account file. */
    static PrivateKey privateKey(String pem, Path file) throws IOException {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("credentials file " + file + ": private_key is not a PKCS#8 RSA key: "
                    + e.getMessage(), e);
        }
    }

    /** An RS256 JWT asserting the service account, for the OAuth JWT-bearer grant. */
    static String signedJwt(PrivateKey key, String keyId, String email, String audience, long nowSeconds)
            throws GeneralSecurityException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        if (!keyId.isEmpty()) {
            header.put("kid", keyId);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", email);
        claims.put("scope", SCOPE);
        claims.put("aud", audience);
        claims.put("iat", nowSeconds);
        claims.put("exp", nowSeconds + JWT_LIFETIME_S);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rs256.sign());
    }

    private static Token parseToken(int status, String body, long now, String from) {
        if (status != 200) {
            throw new GceApiException(status, "", "token request to " + from + " failed with HTTP status " + status
                    + ": " + GceApiException.snippet(body));
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("token response from " + from + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        String token = json.path("access_token").asString("");
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token response from " + from + " has no access_token");
        }
        long expiresIn = json.path("expires_in").asLong(JWT_LIFETIME_S);
        return new Token(token, now + TimeUnit.SECONDS.toMillis(expiresIn));
    }
}
