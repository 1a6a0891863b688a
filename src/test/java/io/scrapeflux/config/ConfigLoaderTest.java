package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static PrometheusConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "test.yml");
    }

    @Test
    void emptyDocumentGivesPrometheusDefaults() throws Exception {
        PrometheusConfig c = parse("");
        assertThat(c.global().scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.global().evaluationInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.global().scrapeProtocols()).isEqualTo(ScrapeProtocol.DEFAULTS);
        assertThat(c.global().metricNameValidationScheme()).isEqualTo(NameValidationScheme.UTF8);
        assertThat(c.global().metricNameEscapingScheme()).isEqualTo("allow-utf-8");
        assertThat(c.scrapeConfigs()).isEmpty();
        assertThat(c.remoteWrite()).isEmpty();
    }

    @Test
    void jobGetsScrapeConfigDefaults() throws Exception {
        PrometheusConfig c = parse("""
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: ['localhost:9100']
                        labels: {env: prod}
                """);
        ScrapeConfig job = c.job("node");
        assertThat(job.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(job.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(job.metricsPath()).isEqualTo("/metrics");
        assertThat(job.scheme()).isEqualTo("http");
        assertThat(job.honorLabels()).isFalse();
        assertThat(job.honorTimestamps()).isTrue();
        assertThat(job.trackTimestampsStaleness()).isFalse();
        assertThat(job.enableCompression()).isTrue();
        assertThat(job.http().followRedirects()).isTrue();
        assertThat(job.http().enableHttp2()).isTrue();
        assertThat(job.http().tlsConfig()).isEqualTo(TlsConfig.DEFAULT);
        assertThat(job.scrapeProtocols()).isEqualTo(ScrapeProtocol.DEFAULTS);
        assertThat(job.fallbackScrapeProtocol()).isNull();
        assertThat(job.metricNameValidationScheme()).isEqualTo(NameValidationScheme.UTF8);
        assertThat(job.metricNameEscapingScheme()).isEqualTo("allow-utf-8");
        assertThat(job.limits()).isEqualTo(Limits.NONE);
        assertThat(job.sdConfigs()).containsExactly(new StaticConfig(List.of("localhost:9100"), Map.of("env", "prod")));
        assertThat(job.location()).isEqualTo(new SourceLocation("test.yml", 2, 5));
    }

    @Test
    void jobInheritsFromGlobal() throws Exception {
        PrometheusConfig c = parse("""
                global:
                  scrape_interval: 15s
                  scrape_timeout: 12s
                  sample_limit: 1000
                  body_size_limit: 10MB
                  scrape_protocols: [PrometheusText0.0.4]
                  metric_name_validation_scheme: legacy
                scrape_configs:
                  - job_name: a
                  - job_name: b
                    scrape_interval: 5s
                  - job_name: c
                    scrape_interval: 1m
                    scrape_timeout: 30s
                    sample_limit: 5
                """);
        assertThat(c.global().metricNameEscapingScheme()).isEqualTo("underscores");
        ScrapeConfig a = c.job("a");
        assertThat(a.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(a.scrapeTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(a.limits().sampleLimit()).isEqualTo(1000);
        assertThat(a.limits().bodySizeLimit()).isEqualTo(10L << 20);
        assertThat(a.scrapeProtocols()).containsExactly(ScrapeProtocol.PrometheusText0_0_4);
        assertThat(a.metricNameValidationScheme()).isEqualTo(NameValidationScheme.LEGACY);
        assertThat(a.metricNameEscapingScheme()).isEqualTo("underscores");
        // timeout defaults to min(global timeout, job interval)
        assertThat(c.job("b").scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.job("c").scrapeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.job("c").limits().sampleLimit()).isEqualTo(5);
    }

    @Test
    void globalTimeoutDefaultsToIntervalWhenShorter() throws Exception {
        PrometheusConfig c = parse("global: {scrape_interval: 5s}\nscrape_configs: [{job_name: x}]");
        assertThat(c.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.job("x").scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void bearerTokenBecomesBearerAuthorization() throws Exception {
        PrometheusConfig c = parse("""
                scrape_configs:
                  - job_name: a
                    bearer_token: s3cret
                  - job_name: b
                    bearer_token_file: /var/run/token
                  - job_name: c
                    authorization: {credentials: abc}
                """);
        Authorization a = c.job("a").http().authorization();
        assertThat(a.type()).isEqualTo("Bearer");
        assertThat(a.credentials().reveal()).isEqualTo("s3cret");
        assertThat(c.job("b").http().authorization()).isEqualTo(new Authorization("Bearer", null, "/var/run/token"));
        assertThat(c.job("c").http().authorization().type()).isEqualTo("Bearer");
    }

    @Test
    void relabelRulesGetDefaultsAndLocations() throws Exception {
        PrometheusConfig c = parse("""
                scrape_configs:
                  - job_name: a
                    relabel_configs:
                      - source_labels: [__meta_x]
                        target_label: x
                      - action: Keep
                        source_labels: [a, b]
                        regex: 'foo;.*'
                """);
        List<RelabelConfig> rules = c.job("a").relabelConfigs();
        assertThat(rules.get(0)).isEqualTo(new RelabelConfig(List.of("__meta_x"), ";", "(.*)", 0, "x", "$1",
                RelabelAction.REPLACE, new SourceLocation("test.yml", 4, 9)));
        assertThat(rules.get(1).action()).isEqualTo(RelabelAction.KEEP);
        assertThat(rules.get(1).regex()).isEqualTo("foo;.*");
        assertThat(rules.get(1).location().line()).isEqualTo(6);
    }

    @Test
    void errorsNameFileLineAndColumn() {
        assertThatThrownBy(() -> parse("scrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yml:3:5: field scrape_intervall not found in scrape_config");
    }

    @Test
    void externalLabelValuesExpandEnvironmentVariables() {
        java.util.function.UnaryOperator<String> env = name -> Map.of("REGION", "eu-1", "ZONE", "b").get(name);
        assertThat(GlobalConfigBinder.expand("${REGION}-$ZONE", env)).isEqualTo("eu-1-b");
        assertThat(GlobalConfigBinder.expand("cost $$5", env)).isEqualTo("cost $5");
        assertThat(GlobalConfigBinder.expand("x-${UNSET}", env)).isEqualTo("x-");
        assertThat(GlobalConfigBinder.expand("plain", env)).isEqualTo("plain");
    }

    @Test
    void relativeFilePathsResolveAgainstTheConfigDirectory() throws Exception {
        PrometheusConfig c = ConfigLoader.parse("""
                scrape_configs:
                  - job_name: a
                    file_sd_configs: [{files: ['targets/*.json', '/abs/x.yml']}]
                    bearer_token_file: token
                """, "/etc/p/prometheus.yml", java.nio.file.Path.of("/etc/p"));
        assertThat(((FileSdConfig) c.job("a").sdConfigs().get(0)).files()).containsExactly("/etc/p/targets/*.json", "/abs/x.yml");
        assertThat(c.job("a").http().authorization().credentialsFile()).isEqualTo("/etc/p/token");
    }

    @Test
    void scrapeConfigFilesAddJobs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("jobs"));
        java.nio.file.Files.writeString(dir.resolve("jobs/a.yml"), "scrape_configs:\n  - job_name: from-file\n");
        java.nio.file.Files.writeString(dir.resolve("jobs/b.yml"), "scrape_configs:\n  - job_name: main\n");
        java.nio.file.Path main = dir.resolve("prometheus.yml");
        java.nio.file.Files.writeString(main, "scrape_config_files: ['jobs/a.yml']\nscrape_configs:\n  - job_name: main\n");
        assertThat(ConfigLoader.load(main).scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("main", "from-file");

        java.nio.file.Files.writeString(main, "scrape_config_files: ['jobs/*.yml']\nscrape_configs:\n  - job_name: main\n");
        assertThatThrownBy(() -> ConfigLoader.load(main))
                .hasMessageContaining("b.yml:2:15: found multiple scrape configs with job name \"main\"");
    }

    @Test
    void nativeHistogramsPreferProtobufUnlessProtocolsAreSet() throws Exception {
        PrometheusConfig c = parse("""
                scrape_configs:
                  - job_name: nh
                    scrape_native_histograms: true
                  - job_name: plain
                """);
        assertThat(c.job("nh").scrapeProtocols()).startsWith(ScrapeProtocol.PrometheusProto).hasSize(5);
        assertThat(c.job("plain").scrapeProtocols()).isEqualTo(ScrapeProtocol.DEFAULTS);
        PrometheusConfig set = parse("""
                global: {scrape_protocols: [PrometheusText0.0.4], scrape_native_histograms: true}
                scrape_configs: [{job_name: a}]
                """);
        assertThat(set.job("a").scrapeProtocols()).containsExactly(ScrapeProtocol.PrometheusText0_0_4);
    }

    @Test
    void agentStyleConfigLoads() throws Exception {
        PrometheusConfig c = parse("""
                # global settings as a typical agent config writes them
                global:
                  scrape_interval: 15s # default is 1m
                scrape_configs:
                  - job_name: "prometheus"
                    static_configs:
                      - targets: ["localhost:9090"]
                        labels:
                          app: "prometheus"
                remote_write:
                  - url: "http://remote-storage:9090/api/v1/write"
                """);
        assertThat(c.job("prometheus").scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.remoteWrite()).singleElement().satisfies(rw -> {
            assertThat(rw.remoteTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(rw.queueConfig()).isEqualTo(QueueConfig.DEFAULT);
            assertThat(rw.protobufMessage()).isEqualTo("prometheus.WriteRequest");
            assertThat(rw.http().enableHttp2()).isFalse();
            assertThat(rw.http().followRedirects()).isTrue();
        });
    }

    @Test
    void serverStyleConfigLoadsWithALocatedWarningPerServerOnlySection() throws Exception {
        // The server's stock prometheus.yml carries an alertmanager block and rule_files: an existing file
        // must load unchanged, and what scrapeflux will not act on must be said, not dropped silently.
        PrometheusConfig c = parse("""
                global:
                  scrape_interval: 15s
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets:
                rule_files: [first_rules.yml]
                remote_read:
                  - url: http://127.0.0.1:9/read
                scrape_configs:
                  - job_name: prometheus
                    static_configs: [{targets: ["localhost:9090"]}]
                """);
        assertThat(c.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("prometheus");
        assertThat(c.warnings()).extracting(Object::toString).containsExactly(
                "test.yml:3:1: field alerting is ignored: scrapeflux runs as an agent and sends no alerts",
                "test.yml:7:1: field rule_files is ignored: scrapeflux runs as an agent and evaluates no rules",
                "test.yml:8:1: field remote_read is ignored: scrapeflux runs as an agent and answers no queries");
    }
}
