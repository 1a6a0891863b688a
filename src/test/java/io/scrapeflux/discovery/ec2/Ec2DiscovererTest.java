package io.scrapeflux.discovery.ec2;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.scrapeflux.config.Ec2SdConfig;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.discovery.Await;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.LoopbackApiTest;
import io.scrapeflux.discovery.RecordingFailures;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * The discoverer against WireMock playing the EC2 Query API on loopback, with responses shaped like AWS's API
 * reference examples: two pages of DescribeInstances, DescribeAvailabilityZones, throttling and auth errors.
 * The poll loop runs on virtual time.
 */
class Ec2DiscovererTest extends LoopbackApiTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final AwsCredentials CREDS = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final String FILTERS = "Filter.1.Name=tag%3Aenv&Filter.1.Value.1=prod"
            + "&Filter.2.Name=instance-state-name&Filter.2.Value.1=running&Filter.2.Value.2=stopped";

    private final RecordingFailures failures = new RecordingFailures();

    @TempDir
    Path home;

    private static String fixture(String name) {
        try (InputStream in = Ec2DiscovererTest.class.getResourceAsStream("/discovery/ec2/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void zones(int status, String body) {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeAvailabilityZones"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(body)));
    }

    /** The first page answers requests without a token, the second the token the first page returned. */
    private void pages(String first, String second) {
        server.stubFor(post(urlEqualTo("/")).atPriority(5).withRequestBody(containing("Action=DescribeInstances"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(first)));
        server.stubFor(post(urlEqualTo("/")).atPriority(1).withRequestBody(containing("NextToken=page2%2Btoken%2F%3D%3D"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(second)));
    }

    private void instancesFail(int status, String body) {
        server.stubFor(post(urlEqualTo("/")).atPriority(0).withRequestBody(containing("Action=DescribeInstances"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(body)));
    }

    private void happyPath() {
        zones(200, fixture("describe-availability-zones.xml"));
        pages(fixture("describe-instances-page1.xml"), fixture("describe-instances-page2.xml"));
    }

    private Ec2Discoverer discoverer() {
        Ec2SdConfig config = new Ec2SdConfig("us-east-1", "http://127.0.0.1:" + server.port() + "/", CREDS.accessKeyId(),
                Secret.of(CREDS.secretKey()), null, null, INTERVAL, 9100,
                List.of(new Ec2SdConfig.Filter("tag:env", List.of("prod")),
                        new Ec2SdConfig.Filter("instance-state-name", List.of("running", "stopped"))),
                HttpClientConfig.DEFAULT);
        return new Ec2Discoverer(config, failures, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time,
                Map.of(), home, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static final Labels WEB_1 = Labels.of(
            "__address__", "10.0.0.12:9100",
            "__meta_ec2_ami", "ami-0abcdef1234567890",
            "__meta_ec2_architecture", "x86_64",
            "__meta_ec2_availability_zone", "us-east-1a",
            "__meta_ec2_availability_zone_id", "use1-az6",
            "__meta_ec2_instance_id", "i-1234567890abcdef0",
            "__meta_ec2_instance_lifecycle", "spot",
            "__meta_ec2_instance_state", "running",
            "__meta_ec2_instance_type", "t2.micro",
            "__meta_ec2_ipv6_addresses", ",2001:db8:1234:1a00::123,2001:db8:1234:1a00::456,2001:db8:1234:1a01::789,",
            "__meta_ec2_owner_id", "123456789012",
            "__meta_ec2_platform", "windows",
            "__meta_ec2_primary_ipv6_addresses", ",2001:db8:1234:1a00::123,,2001:db8:1234:1a01::789,",
            "__meta_ec2_primary_subnet_id", "subnet-1a2b3c4d",
            "__meta_ec2_private_dns_name", "ip-10-0-0-12.ec2.internal",
            "__meta_ec2_private_ip", "10.0.0.12",
            "__meta_ec2_public_dns_name", "ec2-54-194-252-215.compute-1.amazonaws.com",
            "__meta_ec2_public_ip", "54.194.252.215",
            "__meta_ec2_region", "us-east-1",
            "__meta_ec2_subnet_id", ",subnet-1a2b3c4d,subnet-5e6f7a8b,",
            "__meta_ec2_tag_Name", "web-1",
            "__meta_ec2_tag_aws_autoscaling_groupName", "asg-web",
            "__meta_ec2_tag_team_owner", "infra",
            "__meta_ec2_vpc_id", "vpc-1a2b3c4d");

    private static final Labels DB_1 = Labels.of(
            "__address__", "10.0.1.5:9100",
            "__meta_ec2_ami", "ami-0fedcba9876543210",
            "__meta_ec2_architecture", "arm64",
            "__meta_ec2_availability_zone", "us-east-1b",
            "__meta_ec2_availability_zone_id", "use1-az1",
            "__meta_ec2_instance_id", "i-0b22a22eec53b9321",
            "__meta_ec2_instance_state", "stopped",
            "__meta_ec2_instance_type", "m6g.large",
            "__meta_ec2_owner_id", "210987654321",
            "__meta_ec2_private_dns_name", "ip-10-0-1-5.ec2.internal",
            "__meta_ec2_private_ip", "10.0.1.5",
            "__meta_ec2_region", "us-east-1",
            "__meta_ec2_tag_Name", "db-1");

    private static final Labels UNKNOWN_ZONE = Labels.of(
            "__address__", "10.0.3.9:9100",
            "__meta_ec2_ami", "ami-0fedcba9876543210",
            "__meta_ec2_architecture", "x86_64",
            "__meta_ec2_availability_zone", "us-east-1f",
            "__meta_ec2_instance_id", "i-0c33b33ffd64c0432",
            "__meta_ec2_instance_state", "running",
            "__meta_ec2_instance_type", "c7i.xlarge",
            "__meta_ec2_owner_id", "210987654321",
            "__meta_ec2_primary_subnet_id", "subnet-9f9f9f9f",
            "__meta_ec2_private_dns_name", "ip-10-0-3-9.ec2.internal",
            "__meta_ec2_private_ip", "10.0.3.9",
            "__meta_ec2_region", "us-east-1",
            "__meta_ec2_subnet_id", ",subnet-9f9f9f9f,",
            "__meta_ec2_vpc_id", "vpc-1a2b3c4d");

    @Test
    void listsAllPagesIntoOneRegionGroupWithEveryMetaLabel() {
        happyPath();
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer().discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        run.dispose();

        TargetGroup group = received.get(0).get(0);
        assertThat(received.get(0)).hasSize(1);
        assertThat(group.source()).isEqualTo("us-east-1");
        assertThat(group.labels()).isEqualTo(Labels.EMPTY);
        // The terminated instance without a private IP is left out, as in Prometheus.
        assertThat(group.targets()).containsExactly(WEB_1, DB_1, UNKNOWN_ZONE);
        assertThat(failures.failures).isEmpty();
    }

    @Test
    void requestsAreSigV4SignedFormPostsCarryingTheFilters() {
        happyPath();
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer().discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        run.dispose();

        List<LoggedRequest> requests = server.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(requests).extracting(LoggedRequest::getBodyAsString).containsExactly(
                "Action=DescribeAvailabilityZones&Version=2016-11-15",
                "Action=DescribeInstances&Version=2016-11-15&" + FILTERS,
                "Action=DescribeInstances&Version=2016-11-15&" + FILTERS + "&NextToken=page2%2Btoken%2F%3D%3D");
        URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/");
        for (LoggedRequest r : requests) {
            assertThat(r.getHeader("X-Amz-Date")).isEqualTo("20260102T030405Z");
            assertThat(r.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=UTF-8");
            assertThat(r.getHeader("Host")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(r.getHeader("Authorization")).matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/ec2/"
                    + "aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}");
            // What arrived on the wire is what was signed: recomputing over the received request gives the same header.
            assertThat(SigV4.sign("POST", endpoint, Map.of("content-type", r.getHeader("Content-Type")), r.getBody(),
                    CREDS, "us-east-1", "ec2", NOW).get("Authorization")).isEqualTo(r.getHeader("Authorization"));
        }
    }

    @Test
    void throttlingIsRetriedWithBackoffAndZonesAreFetchedOnce() {
        zones(200, fixture("describe-availability-zones.xml"));
        instancesFail(503, fixture("error-throttled.xml"));
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer().discover().subscribe(received::add);
        Await.until(() -> failures.failures.size() == 1);
        assertThat(failures.failures.get(0)).isInstanceOfSatisfying(Ec2ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("RequestLimitExceeded");
            assertThat(e.throttled()).isTrue();
            assertThat(e).hasMessageContaining("Request limit exceeded.");
        });
        assertThat(received).isEmpty();

        server.resetMappings();
        happyPath();
        // Each attempt registers its timeout and then the delay before the next: 1 s after the first failure.
        time.advanceAfterTimers(2, Duration.ofSeconds(1));
        Await.until(() -> received.size() == 1);
        run.dispose();
        assertThat(received.get(0).get(0).targets()).containsExactly(WEB_1, DB_1, UNKNOWN_ZONE);
        assertThat(server.findAll(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("DescribeAvailabilityZones")))).hasSize(1);
    }

    @Test
    void authFailureKeepsTheLastGoodTargets() {
        happyPath();
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer().discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);

        instancesFail(401, fixture("error-auth.xml"));
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> failures.failures.size() == 1);
        assertThat(failures.failures.get(0)).isInstanceOfSatisfying(Ec2ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo("AuthFailure");
            assertThat(e.authFailure()).isTrue();
            assertThat(e.throttled()).isFalse();
        });
        assertThat(received).hasSize(1);

        // Fixed credentials: the next listing (one page now) replaces the group.
        server.resetMappings();
        zones(200, fixture("describe-availability-zones.xml"));
        pages(fixture("describe-instances-page2.xml"), "unused");
        time.advanceAfterTimers(4, Duration.ofSeconds(1));
        Await.until(() -> received.size() == 2);
        run.dispose();
        assertThat(received.get(1)).singleElement().satisfies(g -> {
            assertThat(g.source()).isEqualTo("us-east-1");
            assertThat(g.targets()).containsExactly(DB_1, UNKNOWN_ZONE);
        });
        assertThat(failures.successes.get()).isEqualTo(2);
    }

    @Test
    void zoneLookupFailureLeavesOnlyTheZoneIdOut() {
        zones(403, "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors></Response>");
        pages(fixture("describe-instances-page1.xml"), fixture("describe-instances-page2.xml"));
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer().discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        run.dispose();
        assertThat(received.get(0).get(0).targets().get(0))
                .isEqualTo(WEB_1.toBuilder().del("__meta_ec2_availability_zone_id").build());
        assertThat(failures.failures).isEmpty();
    }

    @Test
    void missingCredentialsFailTheRefreshWithoutCallingAws() {
        happyPath();
        Ec2SdConfig config = new Ec2SdConfig("us-east-1", "http://127.0.0.1:" + server.port() + "/", null, null, null,
                null, INTERVAL, 80, List.of(), HttpClientConfig.DEFAULT);
        Disposable run = new Ec2Discoverer(config, failures, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                time, Map.of(), home, Clock.fixed(NOW, ZoneOffset.UTC)).discover().subscribe();
        Await.until(() -> failures.failures.size() == 1);
        run.dispose();
        assertThat(failures.failures.get(0)).hasMessageContaining("no AWS credentials");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void roleArnAssumesTheRoleWithStsAndReusesItsCredentials() {
        happyPath();
        server.stubFor(post(urlEqualTo("/sts/")).withRequestBody(containing("Action=AssumeRole"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(fixture("assume-role.xml"))));
        Ec2SdConfig config = new Ec2SdConfig("us-east-1", "http://127.0.0.1:" + server.port() + "/", CREDS.accessKeyId(),
                Secret.of(CREDS.secretKey()), null, "arn:aws:iam::123456789012:role/prometheus", INTERVAL, 80, List.of(),
                HttpClientConfig.DEFAULT);
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = new Ec2Discoverer(config, failures, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                time, Map.of("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + server.port() + "/sts"), home,
                Clock.fixed(NOW, ZoneOffset.UTC)).discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> server.findAll(postRequestedFor(urlEqualTo("/"))).size() == 5);
        run.dispose();

        List<LoggedRequest> sts = server.findAll(postRequestedFor(urlEqualTo("/sts/")));
        assertThat(sts).singleElement().satisfies(r -> {
            assertThat(r.getBodyAsString()).isEqualTo("Action=AssumeRole&Version=2011-06-15"
                    + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fprometheus&RoleSessionName=scrapeflux-"
                    + NOW.toEpochMilli());
            assertThat(r.getHeader("Authorization")).startsWith(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/sts/aws4_request, ");
        });
        for (LoggedRequest r : server.findAll(postRequestedFor(urlEqualTo("/")))) {
            assertThat(r.getHeader("X-Amz-Security-Token"))
                    .isEqualTo("AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW");
            assertThat(r.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20260102/"
                    + "us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, ");
        }
    }

    @Test
    void noInstancesLeftIsSentAsTheEmptyRegionGroupAndCancelReleasesTimers() {
        // The Discoverer contract, as far as one group per region allows: full state first, an emptied source as an
        // empty group, nothing left scheduled after cancel.
        happyPath();
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = discoverer().discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);

        server.resetMappings();
        zones(200, fixture("describe-availability-zones.xml"));
        pages("<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>x</requestId>"
                + "<reservationSet/></DescribeInstancesResponse>", "unused");
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> received.size() == 2);
        assertThat(received.get(1)).containsExactly(TargetGroup.removed("us-east-1"));
        run.dispose();
        Await.until(() -> time.pending() == 0);
    }

    @Test
    void nonXmlErrorsAndBrokenPagesAreReportedFailures() {
        zones(200, fixture("describe-availability-zones.xml"));
        instancesFail(502, "<html><body>Bad Gateway</body>");
        Disposable run = discoverer().discover().subscribe();
        Await.until(() -> failures.failures.size() == 1);
        assertThat(failures.failures.get(0)).isInstanceOfSatisfying(Ec2ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.code()).isNull();
        });
        server.resetMappings();
        zones(200, fixture("describe-availability-zones.xml"));
        pages("<DescribeInstancesResponse><reservationSet>", "unused");
        time.advanceAfterTimers(2, Duration.ofSeconds(1));
        Await.until(() -> failures.failures.size() == 2);
        run.dispose();
        assertThat(failures.failures.get(1)).isInstanceOf(IOException.class).hasMessageContaining("invalid EC2 API XML");
    }

    @Test
    void aLoadedConfigRunsThroughTheStandardRegistry() throws Exception {
        happyPath();
        io.scrapeflux.config.PrometheusConfig loaded = io.scrapeflux.config.ConfigLoader.parse("""
                scrape_configs:
                  - job_name: ec2
                    ec2_sd_configs:
                      - region: us-east-1
                        endpoint: http://127.0.0.1:%d/
                        access_key: AKIDEXAMPLE
                        secret_key: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
                        port: 9100
                """.formatted(server.port()), "ec2.yml");
        Ec2SdConfig config = (Ec2SdConfig) loaded.scrapeConfigs().get(0).sdConfigs().get(0);
        List<TargetGroup> first = io.scrapeflux.discovery.StandardDiscoverers.registry().create(config, failures)
                .discover().blockFirst(Duration.ofSeconds(60));
        assertThat(first).singleElement().satisfies(g -> assertThat(g.targets()).containsExactly(WEB_1, DB_1, UNKNOWN_ZONE));
    }
}
