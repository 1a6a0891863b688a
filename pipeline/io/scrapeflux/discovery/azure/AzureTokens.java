package io.scrapeflux.discovery.azure;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.scrapeflux.config.AzureSdConfig;
import io.scrapeflux.config.Secret;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bearer tokens for Resource Manager, fetched without blocking and reused until shortly before they expire.
 *
 * <ul>
 * <li>{@code OAuth}: the client-credentials grant against {@code <authority>/<tenant>/oauth2/v2.0/token}.</li>
 * <li>{@code ManagedIdentity}: the instance metadata service's token endpoint (header {@code Metadata: true}),
 *     with {@code client_id} selecting a user-assigned identity.</li>
 * <li>{@code WorkloadIdentity}: the client-assertion grant with the federated token of Kubernetes workload
 *     identity ({@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_FEDERATED_TOKEN_FILE}).</li>
 * <li>{@code SDK}: a subset of the Azure SDK's default chain: client credentials from {@code AZURE_CLIENT_ID},
 *     {@code AZURE_CLIENT_SECRET} and {@code AZURE_TENANT_ID} (or {@code tenant_id}) when all are set, else workload
 *     identity when {@code AZURE_FEDERATED_TOKEN_FILE} is set, otherwise the managed identity. The Azure CLI
 *     credentials of the SDK chain are not supported.</li>
 * </ul>
 */
final class AzureTokens {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    // Renew this long before expiry so a token never runs out during a refresh.
    private static final Duration EARLY_RENEWAL = Duration.ofMinutes(5);

    private final HttpClient client;
    private final Scheduler clock;
    private final Mono<Token> fetch;
    private final AtomicReference<Mono<Token>> inflight = new AtomicReference<>();
    private volatile Token cached;

    AzureTokens(AzureSdConfig config, AzureEndpoints endpoints, Map<String, String> env, HttpClient client,
                Scheduler clock) {
        this.client = client;
        this.clock = clock;
        this.fetch = switch (config.authenticationMethod()) {
            case AzureSdConfig.AUTH_OAUTH -> clientCredentials(endpoints, config.tenantId(), config.clientId(),
                    config.clientSecret() == null ? "" : config.clientSecret().reveal());
            case AzureSdConfig.AUTH_MANAGED_IDENTITY -> managedIdentity(endpoints, config.clientId());
            case AzureSdConfig.AUTH_SDK -> sdkChain(config, endpoints, env);
            case AzureSdConfig.AUTH_WORKLOAD_IDENTITY -> workloadIdentity(endpoints, env);
            default -> Mono.error(new IllegalArgumentException("unknown authentication_method \""
                    + config.authenticationMethod() + "\""));
        };
    }

    /** A valid access token, from the cache when it has more than a few minutes left. */
    Mono<String> token() {
        Token t = cached;
        if (t != null && now() < t.renewAtMillis) {
            return Mono.just(t.value);
        }
        // Requests that find no valid token share one fetch instead of each asking the issuer.
        return inflight.updateAndGet(running -> running != null ? running
                        : fetch.doOnNext(fresh -> cached = fresh).doFinally(signal -> inflight.set(null)).cache())
                .map(Token::value);
    }

    /** Forgets the cached token (Resource Manager refused it), so the next request gets a new one. */
    void invalidate() {
        cached = null;
    }

    private Mono<Token> sdkChain(AzureSdConfig config, AzureEndpoints endpoints, Map<String, String> env) {
        String tenant = config.tenantId().isEmpty() ? env.getOrDefault("AZURE_TENANT_ID", "") : config.tenantId();
        String clientId = env.getOrDefault("AZURE_CLIENT_ID", "");
        String secret = env.getOrDefault("AZURE_CLIENT_SECRET", "");
        if (!tenant.isEmpty() && !clientId.isEmpty() && !secret.isEmpty()) {
            return clientCredentials(endpoints, tenant, clientId, secret);
        }
        if (!env.getOrDefault("AZURE_FEDERATED_TOKEN_FILE", "").isEmpty()) {
            return workloadIdentity(endpoints, env);
        }
        return managedIdentity(endpoints, clientId);
    }

    private Mono<Token> clientCredentials(AzureEndpoints endpoints, String tenant, String clientId, String secret) {
        return tokenGrant(endpoints, tenant, clientId, Mono.just("client_secret=" + encode(secret)));
    }

    /**
     * Kubernetes workload identity: the service-account token in {@code AZURE_FEDERATED_TOKEN_FILE} (re-read for each
     * fetch, the kubelet rotates it, off the event loop) is the client assertion for {@code AZURE_CLIENT_ID} in
     * {@code AZURE_TENANT_ID}.
     */
    private Mono<Token> workloadIdentity(AzureEndpoints endpoints, Map<String, String> env) {
        String tenant = env.getOrDefault("AZURE_TENANT_ID", "");
        String clientId = env.getOrDefault("AZURE_CLIENT_ID", "");
        String file = env.getOrDefault("AZURE_FEDERATED_TOKEN_FILE", "");
        if (tenant.isEmpty() || clientId.isEmpty() || file.isEmpty()) {
            return Mono.error(new IllegalStateException("workload identity needs the environment variables "
                    + "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE"));
        }
        Mono<String> assertion = Mono.fromCallable(() -> Files.readString(Path.of(file), StandardCharsets.UTF_8).trim())
                .subscribeOn(Schedulers.boundedElastic())
                .map(jwt -> "client_assertion_type=" + encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                        + "&client_assertion=" + encode(jwt));
        return tokenGrant(endpoints, tenant, clientId, assertion);
    }

    /** The client-credentials grant, authenticated by {@code credential} (a secret or an assertion form part). */
    private Mono<Token> tokenGrant(AzureEndpoints endpoints, String tenant, String clientId, Mono<String> credential) {
        String url = endpoints.authority() + "/" + encode(tenant) + "/oauth2/v2.0/token";
        return credential.flatMap(cred -> {
            String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&" + cred
                    + "&scope=" + encode(endpoints.scope());
            return tokenPost(url, form);
        });
    }

    private Mono<Token> tokenPost(String url, String form) {
        return Mono.defer(() -> client
                .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .post()
                .uri(url)
                .send(reactor.netty.ByteBufFlux.fromString(Mono.just(form)))
                .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                        .flatMap(bytes -> parse(url, response.status().code(), bytes))));
    }

    private Mono<Token> managedIdentity(AzureEndpoints endpoints, String clientId) {
        String url = endpoints.imdsToken() + "?api-version=2018-02-01&resource=" + encode(endpoints.audience())
                + (clientId == null || clientId.isEmpty() ? "" : "&client_id=" + encode(clientId));
        return Mono.defer(() -> client
                .headers(h -> h.set("Metadata", "true"))
                .get()
                .uri(url)
                .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                        .flatMap(bytes -> parse(url, response.status().code(), bytes))));
    }

    private Mono<Token> parse(String url, int status, byte[] body) {
        String where = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        JsonNode json;
        try {
            json = body.length == 0 ? null : JSON.readTree(body);
        } catch (RuntimeException e) {
            json = null;
        }
        if (status != 200) {
            String detail = json == null ? "" : ": " + Json.text(json.path("error")) + " "
                    + Json.text(json.path("error_description"));
            return Mono.error(new IOException("token request to " + where + " failed with HTTP " + status + detail));
        }
        String token = json == null ? "" : Json.text(json.path("access_token"));
        if (token.isEmpty()) {
            return Mono.error(new IOException("token response from " + where + " has no access_token"));
        }
        long expiresIn;
        try {
            expiresIn = Long.parseLong(Json.text(json.path("expires_in")));
        } catch (NumberFormatException e) {
            return Mono.error(new IOException("token response from " + where + " has no valid expires_in"));
        }
        long renewIn = Math.max(0, expiresIn * 1000 - EARLY_RENEWAL.toMillis());
        return Mono.just(new Token(token, now() + renewIn));
    }

    private long now() {
        return clock.now(TimeUnit.MILLISECONDS);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private record Token(String value, long renewAtMillis) {
        @Override
        public String toString() {
            return "Token[" + Secret.MASK + "]";
        }
    }
}
