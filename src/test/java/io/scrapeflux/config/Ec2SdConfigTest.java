package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ec2_sd_configs}: Prometheus's examples load with its defaults; invalid blocks fail at file:line:col. */
class Ec2SdConfigTest {

    private static Ec2SdConfig only(String yaml) throws ConfigException {
        PrometheusConfig c = ConfigLoader.parse(yaml, "ec2.yml");
        return (Ec2SdConfig) c.scrapeConfigs().get(0).sdConfigs().get(0);
    }

    @Test
    void prometheusTestdataBlockLoads() throws ConfigException {
        // The block of Prometheus's config testdata (conf.good.yml, job service-ec2), plus a role to assume.
        Ec2SdConfig c = only("""
                scrape_configs:
                  - job_name: service-ec2
                    ec2_sd_configs:
                      - region: us-east-1
                        access_key: access
                        secret_key: mysecret
                        profile: profile
                        role_arn: arn:aws:iam::123456789012:role/prometheus
                        filters:
                          - name: tag:environment
                            values:
                              - prod
                          - name: tag:service
                            values:
                              - web
                              - db
                """);
        assertThat(c.mechanism()).isEqualTo("ec2");
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.accessKey()).isEqualTo("access");
        assertThat(c.secretKey().reveal()).isEqualTo("mysecret");
        assertThat(c.profile()).isEqualTo("profile");
        assertThat(c.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/prometheus");
        assertThat(c.endpoint()).isNull();
        assertThat(c.port()).isEqualTo(80);
        assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.filters()).containsExactly(new Ec2SdConfig.Filter("tag:environment", List.of("prod")),
                new Ec2SdConfig.Filter("tag:service", List.of("web", "db")));
        assertThat(c.http()).isEqualTo(HttpClientConfig.DEFAULT);
    }

    @Test
    void documentedExampleWithRegionAndHttpSettingsLoads() throws ConfigException {
        Ec2SdConfig c = only("""
                scrape_configs:
                  - job_name: node
                    ec2_sd_configs:
                      - refresh_interval: 120s
                        region: eu-west-1
                        port: 9100
                        endpoint: http://127.0.0.1:4566
                        follow_redirects: false
                        tls_config:
                          insecure_skip_verify: true
                    relabel_configs:
                      - source_labels: [__meta_ec2_tag_Name]
                        regex: PROD.*
                        action: keep
                      - source_labels: [__meta_ec2_instance_id]
                        target_label: instance
                """);
        assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.port()).isEqualTo(9100);
        assertThat(c.endpoint()).isEqualTo("http://127.0.0.1:4566");
        assertThat(c.http().followRedirects()).isFalse();
        assertThat(c.http().tlsConfig().insecureSkipVerify()).isTrue();
    }

    @Test
    void regionFallsBackToTheEnvironment() {
        Problems p = new Problems();
        YamlNode node = new YamlNode.MapNode(Map.of(), Map.of(), new SourceLocation("x.yml", 1, 1), 1);
        Ec2SdConfig c = new Ec2SdBinder(new HttpClientBinder(new FilePaths(null)), Map.of("AWS_DEFAULT_REGION", "ap-south-1"))
                .bind(Fields.of(node, node.location(), "ec2_sd_config", p));
        assertThat(c.region()).isEqualTo("ap-south-1");
    }

    @Test
    void missingRegionWithoutEnvironmentIsAnError() {
        Problems p = new Problems();
        YamlNode node = new YamlNode.MapNode(Map.of(), Map.of(), new SourceLocation("x.yml", 7, 9), 1);
        new Ec2SdBinder(new HttpClientBinder(new FilePaths(null)), Map.of())
                .bind(Fields.of(node, node.location(), "ec2_sd_config", p));
        ConfigException e = catchThrowableOfType(ConfigException.class, p::throwIfAny);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.location()).isEqualTo(new SourceLocation("x.yml", 7, 9));
            assertThat(err.message()).contains("EC2 SD configuration requires a region");
        });
    }

    @Test
    void printedWithSecretMasked() throws ConfigException {
        String printed = ConfigPrinter.toYaml(ConfigLoader.parse("""
                scrape_configs:
                  - job_name: a
                    ec2_sd_configs:
                      - region: us-east-1
                        access_key: AKID
                        secret_key: s3cr3t
                        filters: [{name: instance-state-name, values: [running]}]
                """, "ec2.yml"));
        assertThat(printed).contains("ec2_sd_configs:", "region: us-east-1", "secret_key: <secret>",
                "name: instance-state-name", "port: 80", "refresh_interval: 1m").doesNotContain("s3cr3t");
    }

    static Stream<Arguments> invalid() {
        String head = "scrape_configs:\n  - job_name: a\n    ec2_sd_configs:\n";
        return Stream.of(
                Arguments.of("empty filter values", head + "      - region: us-east-1\n        filters:\n"
                        + "          - name: tag:env\n            values: []\n", 7, "EC2 SD configuration filter values cannot be empty"),
                Arguments.of("missing filter values", head + "      - region: us-east-1\n        filters:\n"
                        + "          - name: tag:env\n", 6, "EC2 SD configuration filter values cannot be empty"),
                Arguments.of("unknown field", head + "      - region: us-east-1\n        regoin: x\n", 5,
                        "field regoin not found in ec2_sd_config"),
                Arguments.of("unknown filter field", head + "      - region: us-east-1\n        filters:\n"
                        + "          - name: a\n            value: [b]\n", 7, "field value not found in filter"),
                Arguments.of("access key without secret", head + "      - region: us-east-1\n        access_key: AKID\n", 5,
                        "access_key requires secret_key"),
                Arguments.of("secret without access key", head + "      - region: us-east-1\n        secret_key: s\n", 5,
                        "secret_key requires access_key"),
                Arguments.of("bad port", head + "      - region: us-east-1\n        port: eighty\n", 5,
                        "port: cannot parse \"eighty\" as an integer"),
                Arguments.of("bad refresh", head + "      - region: us-east-1\n        refresh_interval: 1x\n", 5,
                        "refresh_interval"),
                Arguments.of("bad endpoint", head + "      - region: us-east-1\n        endpoint: ftp://x\n", 5, "endpoint"),
                Arguments.of("basic auth", head + "      - region: us-east-1\n        basic_auth: {username: u, password: p}\n", 4,
                        "AWS Signature Version 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectedWithLocation(String rule, String yaml, int line, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "bad.yml"));
        assertThat(e).as(rule + " must be rejected").isNotNull();
        assertThat(e.errors()).as(rule).anySatisfy(err -> {
            assertThat(err.location().line()).isEqualTo(line);
            assertThat(err.location().column()).isPositive();
            assertThat(err.message()).contains(message);
        });
        assertThat(e.getMessage()).contains("bad.yml:" + line + ":");
    }
}
