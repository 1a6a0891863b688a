package io.scrapeflux.discovery.gce;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.scrapeflux.discovery.gce.GceFixtures.API;
import static io.scrapeflux.discovery.gce.GceFixtures.PATH;
import static io.scrapeflux.discovery.gce.GceFixtures.ZONE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.scrapeflux.config.GceSdConfig;
import io.scrapeflux.discovery.Await;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.PollClock;
import io.scrapeflux.discovery.RecordingFailures;
import io.scrapeflux.discovery.StandardDiscoverers;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The discoverer against a WireMock fake of the Compute API and Google's token endpoints on loopback; the poll loop
 * runs on virtual time. Real Google endpoints are never contacted: every URL points at 127.0.0.1.
 */
class GceDiscovererTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final String FILTER = "labels.prometheus_scrape = \"true\"";
    private static final String SOURCE = "GCE_my-project_us-east1-a";
    private static final String SA_TOKEN = "ya29.service-account-token";
    private static final String EMAIL = "prometheus@my-project.iam.gserviceaccount.com";
    private static KeyPair keys;

    @TempDir
    Path dir;

    private WireMockServer server;
    private final PollClock time = new PollClock();
    private final RecordingFailures reporter = new RecordingFailures();
    private final List<Disposable> runs = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        Await.blockHound();
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
    }

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        runs.forEach(Disposable::dispose);
        server.stop();
        time.dispose();
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A service-account key file as the Cloud console hands it out, with a throwaway key and a local token_uri. */
    private Path serviceAccountFile() throws Exception {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "my-project");
        json.put("private_key_id", "0123456789abcdef");
        json.put("private_key", pem);
        json.put("client_email", EMAIL);
        json.put("client_id", "101");
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", base() + "/token");
        Path file = dir.resolve("sa.json");
        Files.writeString(file, JsonMapper.builder().build().writeValueAsString(json));
        return file;
    }

    private Discoverer discoverer(Path credentials) {
        return discoverer(credentials, new GceSdConfig("my-project", "us-east1-a", FILTER, INTERVAL, 9100, ","));
    }

    private Discoverer discoverer(Path credentials, GceSdConfig config) {
        GceDiscoverer.Endpoints endpoints = new GceDiscoverer.Endpoints(base() + "/compute/v1", base(), base() + "/oauth2",
                credentials, null);
        return new GceDiscoverer.Factory(endpoints, HttpClient.create(), new Backoff(Duration.ofSeconds(1),
                Duration.ofMinutes(1)), time).create(config, reporter);
    }

    private void tokenEndpoint() {
        server.stubFor(post(urlEqualTo("/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\": \"" + SA_TOKEN + "\", \"expires_in\": 3599, \"token_type\": \"Bearer\"}")));
    }

    private void pages(String first, String second) {
        server.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("pageToken", absent())
                .willReturn(json(200, first)));
        server.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("pageToken", equalTo("Cg5wYWdlLTI="))
                .willReturn(json(200, second)));
    }

    private void listFails(int status, String body) {
        server.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("pageToken", absent()).willReturn(json(status, body)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(body);
    }

    private List<List<TargetGroup>> run(Discoverer d) {
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        runs.add(d.discover().subscribe(received::add));
        return received;
    }

    private static Map<String, String> web1() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("__address__", "10.142.0.2:9100");
        m.put("__meta_gce_instance_id", "4567890123456789012");
        m.put("__meta_gce_instance_name", "web-1");
        m.put("__meta_gce_instance_status", "RUNNING");
        m.put("__meta_gce_machine_type", ZONE_URL + "/machineTypes/e2-medium");
        m.put("__meta_gce_zone", ZONE_URL);
        m.put("__meta_gce_project", "my-project");
        m.put("__meta_gce_network", API + "/global/networks/default");
        m.put("__meta_gce_subnetwork", API + "/regions/us-east1/subnetworks/default");
        m.put("__meta_gce_private_ip", "10.142.0.2");
        m.put("__meta_gce_public_ip", "34.75.10.20");
        m.put("__meta_gce_interface_ipv4_nic0", "10.142.0.2");
        m.put("__meta_gce_interface_ipv4_nic1", "10.200.0.5");
        m.put("__meta_gce_tags", ",http-server,prometheus,");
        m.put("__meta_gce_metadata_env", "prod");
        m.put("__meta_gce_metadata_startup_script", "#!/bin/bash\necho ready");
        m.put("__meta_gce_label_team", "observability");
        m.put("__meta_gce_label_cost_center", "cc42");
        return m;
    }

    private static Map<String, String> db1() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("__address__", "10.142.0.7:9100");
        m.put("__meta_gce_instance_id", "9876543210987654321");
        m.put("__meta_gce_instance_name", "db-1");
        m.put("__meta_gce_instance_status", "TERMINATED");
        m.put("__meta_gce_machine_type", ZONE_URL + "/machineTypes/n2-standard-4");
        m.put("__meta_gce_zone", ZONE_URL);
        m.put("__meta_gce_project", "my-project");
        m.put("__meta_gce_network", API + "/global/networks/default");
        m.put("__meta_gce_subnetwork", API + "/regions/us-east1/subnetworks/default");
        m.put("__meta_gce_private_ip", "10.142.0.7");
        m.put("__meta_gce_interface_ipv4_nic0", "10.142.0.7");
        return m;
    }

    @Test
    void listsEveryPageWithPrometheusMetaLabels() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        StepVerifier.create(discoverer(serviceAccountFile()).discover())
                .assertNext(groups -> {
                    assertThat(groups).singleElement().satisfies(g -> {
                        assertThat(g.source()).isEqualTo(SOURCE);
                        assertThat(g.labels()).isEqualTo(Labels.EMPTY);
                        assertThat(g.targets()).containsExactly(Labels.fromMap(web1()), Labels.fromMap(db1()));
                    });
                })
                .thenCancel()
                .verify(Duration.ofSeconds(90));

        // Both pages asked for with the filter and the bearer token.
        for (String page : new String[] {null, "Cg5wYWdlLTI="}) {
            var request = getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("filter", equalTo(FILTER))
                    .withHeader("Authorization", equalTo("Bearer " + SA_TOKEN));
            server.verify(1, page == null ? request.withQueryParam("pageToken", absent())
                    : request.withQueryParam("pageToken", equalTo(page)));
        }
        assertThat(reporter.failures).isEmpty();
    }

    @Test
    void serviceAccountTokenComesFromASignedJwt() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        List<List<TargetGroup>> received = run(discoverer(serviceAccountFile()));
        Await.until(() -> received.size() == 1);

        List<LoggedRequest> posts = server.findAll(postRequestedFor(urlEqualTo("/token")));
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : posts.get(0).getBodyAsString().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("JWT signature").isTrue();
        JsonNode header = JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.path("alg").asString()).isEqualTo("RS256");
        assertThat(header.path("kid").asString()).isEqualTo("0123456789abcdef");
        assertThat(claims.path("iss").asString()).isEqualTo(EMAIL);
        assertThat(claims.path("aud").asString()).isEqualTo(base() + "/token");
        assertThat(claims.path("scope").asString()).isEqualTo("https://www.googleapis.com/auth/compute.readonly");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
    }

    @Test
    void metadataServerTokenWithoutACredentialsFile() {
        server.stubFor(get(urlPathEqualTo("/computeMetadata/v1/instance/service-accounts/default/token"))
                .withHeader("Metadata-Flavor", equalTo("Google"))
                .willReturn(json(200, "{\"access_token\": \"ya29.vm-token\", \"expires_in\": 3000, "
                        + "\"token_type\": \"Bearer\"}")));
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        // No GOOGLE_APPLICATION_CREDENTIALS and no gcloud file: the metadata server is asked.
        GceDiscoverer.Endpoints endpoints = new GceDiscoverer.Endpoints(base() + "/compute/v1", base(),
                base() + "/oauth2", null, dir.resolve("gcloud/application_default_credentials.json"));
        List<List<TargetGroup>> received = run(new GceDiscoverer.Factory(endpoints, HttpClient.create(),
                Backoff.RETRY, time).create(new GceSdConfig("my-project", "us-east1-a", FILTER, INTERVAL, 9100, ","),
                reporter));
        Await.until(() -> received.size() == 1);
        assertThat(received.get(0).get(0).targets()).hasSize(2);
        server.verify(getRequestedFor(urlPathEqualTo("/computeMetadata/v1/instance/service-accounts/default/token"))
                .withQueryParam("scopes", equalTo("https://www.googleapis.com/auth/compute.readonly")));
        server.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withHeader("Authorization", equalTo("Bearer ya29.vm-token")));
    }

    @Test
    void gcloudUserCredentialsUseTheirRefreshToken() throws Exception {
        Path adc = dir.resolve("application_default_credentials.json");
        Files.writeString(adc, """
                {"client_id": "test-client.apps.googleusercontent.com",
                 "client_secret": "test-client-secret", "refresh_token": "1//0g-refresh+token",
                 "type": "authorized_user"}""");
        server.stubFor(post(urlEqualTo("/oauth2")).willReturn(json(200,
                "{\"access_token\": \"ya29.user-token\", \"expires_in\": 3599, \"token_type\": \"Bearer\"}")));
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        GceDiscoverer.Endpoints endpoints = new GceDiscoverer.Endpoints(base() + "/compute/v1", base(),
                base() + "/oauth2", null, adc);
        List<List<TargetGroup>> received = run(new GceDiscoverer.Factory(endpoints, HttpClient.create(),
                Backoff.RETRY, time).create(new GceSdConfig("my-project", "us-east1-a", "", INTERVAL, 80, ","),
                reporter));
        Await.until(() -> received.size() == 1);
        server.verify(postRequestedFor(urlEqualTo("/oauth2"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("grant_type=refresh_token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                        "refresh_token=1%2F%2F0g-refresh%2Btoken")));
        server.verify(2, getRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Authorization", equalTo("Bearer ya29.user-token")));
    }

    @Test
    void environmentChoosesCredentialsAsGoogleLibrariesDo() {
        GceDiscoverer.Endpoints plain = GceDiscoverer.Endpoints.fromEnvironment(Map.<String, String>of()::get, "/home/p");
        assertThat(plain.credentialsFile()).isNull();
        assertThat(plain.wellKnownFile()).isEqualTo(Path.of("/home/p/.config/gcloud/application_default_credentials.json"));
        assertThat(plain.metadataUrl()).isEqualTo("http://metadata.google.internal");
        assertThat(plain.computeUrl()).isEqualTo("https://compute.googleapis.com/compute/v1");
        GceDiscoverer.Endpoints set = GceDiscoverer.Endpoints.fromEnvironment(Map.of(
                "GOOGLE_APPLICATION_CREDENTIALS", "/etc/sa.json", "CLOUDSDK_CONFIG", "/etc/gcloud",
                "GCE_METADATA_HOST", "169.254.169.254")::get, "/home/p");
        assertThat(set.credentialsFile()).isEqualTo(Path.of("/etc/sa.json"));
        assertThat(set.wellKnownFile()).isEqualTo(Path.of("/etc/gcloud/application_default_credentials.json"));
        assertThat(set.metadataUrl()).isEqualTo("http://169.254.169.254");
    }

    @Test
    void throttlingBacksOffAndKeepsTheLastGoodState() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        List<List<TargetGroup>> received = run(discoverer(serviceAccountFile()));
        Await.until(() -> received.size() == 1);

        // Every attempt registers two timers: its timeout, then the delay before the next attempt.
        listFails(429, GceFixtures.error(429, "rateLimitExceeded", "Rate Limit Exceeded"));
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> reporter.failures.size() == 1);
        listFails(403, GceFixtures.error(403, "rateLimitExceeded", "Quota exceeded for quota metric 'Read requests'"));
        time.advanceAfterTimers(4, Duration.ofSeconds(1));
        Await.until(() -> reporter.failures.size() == 2);
        assertThat(reporter.failures).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(GceApiException.class,
                api -> assertThat(api.isThrottled()).isTrue()));
        assertThat(reporter.failures.get(1)).hasMessageContaining("403").hasMessageContaining("rateLimitExceeded");
        assertThat(received).hasSize(1);

        // The second backoff step is 2 s; then the zone holds only db-1 and web-1's removal is sent.
        pages(GceFixtures.PAGE_2, GceFixtures.PAGE_2);
        time.advanceAfterTimers(6, Duration.ofSeconds(2));
        Await.until(() -> received.size() == 2);
        assertThat(received.get(1)).singleElement().satisfies(g ->
                assertThat(g.targets()).containsExactly(Labels.fromMap(db1())));
        assertThat(reporter.successes.get()).isEqualTo(2);
    }

    @Test
    void refusedTokenKeepsTheLastStateAndIsFetchedAgain() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        List<List<TargetGroup>> received = run(discoverer(serviceAccountFile()));
        Await.until(() -> received.size() == 1);

        // An unchanged second listing reuses the cached token and sends nothing.
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> reporter.successes.get() == 2);
        server.verify(1, postRequestedFor(urlEqualTo("/token")));

        listFails(401, GceFixtures.error(401, "authError", "Request had invalid authentication credentials."));
        time.advanceAfterTimers(4, INTERVAL);
        Await.until(() -> reporter.failures.size() == 1);
        assertThat(reporter.failures.get(0)).isInstanceOfSatisfying(GceApiException.class,
                e -> assertThat(e.isUnauthorized()).isTrue());
        assertThat(received).hasSize(1);

        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        time.advanceAfterTimers(6, Duration.ofSeconds(1));
        Await.until(() -> reporter.successes.get() == 3);
        server.verify(2, postRequestedFor(urlEqualTo("/token")));
        assertThat(received).hasSize(1);
    }

    @Test
    void expiredTokenIsRenewed() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        Discoverer d = discoverer(serviceAccountFile(), new GceSdConfig("my-project", "us-east1-a", "",
                Duration.ofMinutes(30), 80, ","));
        List<List<TargetGroup>> received = run(d);
        Await.until(() -> received.size() == 1);
        time.advanceAfterTimers(2, Duration.ofMinutes(30));
        Await.until(() -> reporter.successes.get() == 2);
        server.verify(1, postRequestedFor(urlEqualTo("/token")));
        // 60 minutes after the first token (valid 3599 s): within the renewal margin, so a new one is fetched.
        time.advanceAfterTimers(4, Duration.ofMinutes(30));
        Await.until(() -> reporter.successes.get() == 3);
        server.verify(2, postRequestedFor(urlEqualTo("/token")));
        server.verify(6, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("filter", absent()));
    }

    @Test
    void zoneWithoutInstancesRemovesTheGroup() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        List<List<TargetGroup>> received = run(discoverer(serviceAccountFile()));
        Await.until(() -> received.size() == 1);
        listFails(200, GceFixtures.EMPTY);
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> received.size() == 2);
        assertThat(received.get(1)).containsExactly(TargetGroup.removed(SOURCE));
    }

    @Test
    void tagSeparatorSurroundsTheTags() throws Exception {
        tokenEndpoint();
        pages(GceFixtures.PAGE_1, GceFixtures.PAGE_2);
        List<List<TargetGroup>> received = run(discoverer(serviceAccountFile(),
                new GceSdConfig("my-project", "us-east1-a", "", INTERVAL, 80, "|")));
        Await.until(() -> received.size() == 1);
        Labels web = received.get(0).get(0).targets().get(0);
        assertThat(web.get("__meta_gce_tags")).isEqualTo("|http-server|prometheus|");
        assertThat(web.get("__address__")).isEqualTo("10.142.0.2:80");
    }

    @Test
    void unusableCredentialsFileStopsTheDiscovererWithAClearError() throws Exception {
        Path file = dir.resolve("user.json");
        Files.writeString(file, "{\"type\": \"external_account\", \"audience\": \"x\"}");
        StepVerifier.create(discoverer(file).discover())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining(file.toString())
                        .hasMessageContaining("unsupported credentials type \"external_account\""))
                .verify(Duration.ofSeconds(30));
        Files.writeString(file, "{\"type\": \"service_account\", \"client_email\": \"a@b\", \"private_key\": \"nope\"}");
        StepVerifier.create(discoverer(file).discover())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("private_key is not a PKCS#8 RSA key"))
                .verify(Duration.ofSeconds(30));
        Path missing = dir.resolve("missing.json");
        StepVerifier.create(discoverer(missing).discover())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("credentials file " + missing
                        + " cannot be read"))
                .verify(Duration.ofSeconds(30));
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void standardRegistryBuildsGceDiscoverers() {
        GceSdConfig config = new GceSdConfig("p", "z", "", INTERVAL, 80, ",");
        assertThat(StandardDiscoverers.registry().supports(config)).isTrue();
        // Creating is cold: nothing is contacted until subscription.
        assertThat(StandardDiscoverers.registry().create(config, FailureReporter.NONE)).isInstanceOf(GceDiscoverer.class);
    }

    @Test
    void listUrlEscapesTheFilterAndPageToken() {
        GceDiscoverer d = new GceDiscoverer(new GceSdConfig("my-project", "us-east1-a", "name = \"web-*\"", INTERVAL,
                80, ","), GceDiscoverer.Endpoints.google(null),
                HttpClient.create(), FailureReporter.NONE, Backoff.RETRY, time);
        assertThat(d.listUrl("a+b/c=")).isEqualTo("https://compute.googleapis.com/compute/v1/projects/my-project/zones/"
                + "us-east1-a/instances?filter=name+%3D+%22web-*%22&pageToken=a%2Bb%2Fc%3D");
        assertThat(d.listUrl("")).endsWith("/instances?filter=name+%3D+%22web-*%22");
    }
}
