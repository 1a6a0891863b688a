package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code azure_sd_configs}: Prometheus's test-data blocks load with its defaults; its invalid blocks fail. */
class AzureSdConfigTest {

    // Prometheus's config/testdata/conf.good.yml azure job.
    private static final String GOOD = """
            scrape_configs:
              - job_name: service-azure
                azure_sd_configs:
                  - environment: AzurePublicCloud
                    authentication_method: OAuth
                    subscription_id: 11AAAA11-A11A-111A-A111-1111A1111A11
                    resource_group: my-resource-group
                    tenant_id: BBBB222B-B2B2-2B22-B222-2BB2222BB2B2
                    client_id: 333333CC-3C33-3333-CCC3-33C3CCCCC33C
                    client_secret: mysecret
                    port: 9100
            """;

    private static AzureSdConfig only(String yaml) throws ConfigException {
        PrometheusConfig c = ConfigLoader.parse(yaml, "azure.yml");
        return (AzureSdConfig) c.scrapeConfigs().get(0).sdConfigs().get(0);
    }

    @Test
    void prometheusExampleLoads() throws Exception {
        AzureSdConfig a = only(GOOD);
        assertThat(a.mechanism()).isEqualTo("azure");
        assertThat(a.environment()).isEqualTo("AzurePublicCloud");
        assertThat(a.authenticationMethod()).isEqualTo("OAuth");
        assertThat(a.subscriptionId()).isEqualTo("11AAAA11-A11A-111A-A111-1111A1111A11");
        assertThat(a.resourceGroup()).isEqualTo("my-resource-group");
        assertThat(a.tenantId()).isEqualTo("BBBB222B-B2B2-2B22-B222-2BB2222BB2B2");
        assertThat(a.clientId()).isEqualTo("333333CC-3C33-3333-CCC3-33C3CCCCC33C");
        assertThat(a.clientSecret().reveal()).isEqualTo("mysecret");
        assertThat(a.port()).isEqualTo(9100);
        assertThat(a.refreshInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(a.http()).isEqualTo(HttpClientConfig.DEFAULT);
    }

    @Test
    void defaultsFollowPrometheus() throws Exception {
        AzureSdConfig a = only("""
                scrape_configs:
                  - job_name: vm
                    azure_sd_configs:
                      - subscription_id: sub
                        authentication_method: ManagedIdentity
                """);
        assertThat(a.environment()).isEqualTo("AzurePublicCloud");
        assertThat(a.port()).isEqualTo(80);
        assertThat(a.refreshInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(a.tenantId()).isEmpty();
        assertThat(a.resourceGroup()).isEmpty();
        assertThat(a.clientSecret()).isNull();
    }

    @Test
    void printedWithSecretMasked() throws Exception {
        String printed = ConfigPrinter.toYaml(ConfigLoader.parse(GOOD, "azure.yml"));
        assertThat(printed).contains("azure_sd_configs:", "subscription_id: 11AAAA11-A11A-111A-A111-1111A1111A11",
                "client_secret: <secret>", "refresh_interval: 5m", "port: 9100", "resource_group: my-resource-group")
                .doesNotContain("mysecret");
    }

    static Stream<Arguments> invalid() {
        String job = "scrape_configs:\n  - job_name: a\n    azure_sd_configs:\n";
        return Stream.of(
                Arguments.of("subscription missing", job + "      - tenant_id: t\n        client_id: c\n        client_secret: s\n",
                        4, "azure SD configuration requires a subscription_id"),
                Arguments.of("tenant missing", job + "      - subscription_id: s\n        client_id: c\n        client_secret: s\n",
                        4, "azure SD configuration requires a tenant_id"),
                Arguments.of("client id missing", job + "      - subscription_id: s\n        tenant_id: t\n        client_secret: s\n",
                        4, "azure SD configuration requires a client_id"),
                Arguments.of("client secret missing", job + "      - subscription_id: s\n        tenant_id: t\n        client_id: c\n",
                        4, "azure SD configuration requires a client_secret"),
                Arguments.of("unknown auth method", job + "      - subscription_id: s\n        authentication_method: Password\n",
                        4, "unknown authentication_type \"Password\". Supported types are \"OAuth\", \"ManagedIdentity\", \"SDK\" or \"WorkloadIdentity\""),
                Arguments.of("auth method is case-sensitive", job + "      - subscription_id: s\n        authentication_method: managedidentity\n",
                        4, "unknown authentication_type \"managedidentity\""),
                Arguments.of("unknown field", job + "      - subscription_id: s\n        authentication_method: SDK\n        region: x\n",
                        6, "field region not found in azure_sd_config"),
                Arguments.of("bad port", job + "      - subscription_id: s\n        authentication_method: SDK\n        port: http\n",
                        6, "port: cannot parse \"http\" as an integer"),
                Arguments.of("bad refresh interval", job + "      - subscription_id: s\n        authentication_method: SDK\n"
                        + "        refresh_interval: 5 minutes\n", 6, "refresh_interval"),
                Arguments.of("bearer token with basic auth", job + "      - subscription_id: s\n        authentication_method: SDK\n"
                        + "        bearer_token: t\n        basic_auth:\n          username: u\n", 6,
                        "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidBlocksAreRejectedWithLocation(String rule, String yaml, int line, String message) {
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
