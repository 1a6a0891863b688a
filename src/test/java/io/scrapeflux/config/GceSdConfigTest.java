package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gce_sd_configs}: Prometheus's fields, defaults and required keys. */
class GceSdConfigTest {

    // The shape of the gce block in Prometheus's configuration reference and its conf.good.yml.
    private static final String DOCUMENTED = """
            scrape_configs:
              - job_name: service-gce
                gce_sd_configs:
                  - project: my-project
                    zone: us-east1-a
                    filter: '(labels.prometheus_scrape = "true")'
                    refresh_interval: 30s
                    port: 9100
                    tag_separator: '|'
                  - project: other-project
                    zone: europe-west1-b
            """;

    private static List<SdConfig> sds(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "gce.yml").scrapeConfigs().get(0).sdConfigs();
    }

    @Test
    void documentedExampleLoadsWithDefaults() throws ConfigException {
        assertThat(sds(DOCUMENTED)).containsExactly(
                new GceSdConfig("my-project", "us-east1-a", "(labels.prometheus_scrape = \"true\")",
                        Duration.ofSeconds(30), 9100, "|"),
                new GceSdConfig("other-project", "europe-west1-b", "", Duration.ofSeconds(60), 80, ","));
        assertThat(sds(DOCUMENTED).get(0).mechanism()).isEqualTo("gce");
    }

    @Test
    void explicitEmptyTagSeparatorMeansNoSeparator() throws ConfigException {
        String yaml = "scrape_configs:\n  - job_name: a\n    gce_sd_configs:\n      - {project: p, zone: z, tag_separator: ''}\n";
        assertThat(((GceSdConfig) sds(yaml).get(0)).tagSeparator()).isEmpty();
    }

    @Test
    void printedConfigRoundTrips() throws ConfigException {
        PrometheusConfig loaded = ConfigLoader.parse(DOCUMENTED, "gce.yml");
        String printed = ConfigPrinter.toYaml(loaded);
        assertThat(printed).contains("gce_sd_configs:").contains("project: my-project").contains("tag_separator: '|'");
        assertThat(ConfigLoader.parse(printed, "printed.yml").scrapeConfigs().get(0).sdConfigs())
                .isEqualTo(loaded.scrapeConfigs().get(0).sdConfigs());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "missing project; '      - zone: z\n'; 4; GCE SD configuration requires a project",
            "empty project; '      - project: \"\"\n        zone: z\n'; 4; GCE SD configuration requires a project",
            "missing zone; '      - project: p\n'; 4; GCE SD configuration requires a zone",
            "empty zone; '      - project: p\n        zone:\n'; 5; GCE SD configuration requires a zone",
            "unknown field; '      - project: p\n        zone: z\n        credentials_file: /x.json\n'; 6; field credentials_file not found in gce_sd_config",
            "bad port; '      - project: p\n        zone: z\n        port: http\n'; 6; port: cannot parse \"http\" as an integer",
            "bad refresh interval; '      - project: p\n        zone: z\n        refresh_interval: 1x\n'; 6; refresh_interval: unknown unit",
            "not a mapping; '      - gce\n'; 4; gce_sd_config: expected a mapping"})
    void invalidBlocksAreRejectedWithLocation(String rule, String block, int line, String message) {
        String yaml = "scrape_configs:\n  - job_name: a\n    gce_sd_configs:\n" + block;
        new InvalidConfigTest().rejectedWithLineAndProblem(rule, yaml, line, message);
    }
}
