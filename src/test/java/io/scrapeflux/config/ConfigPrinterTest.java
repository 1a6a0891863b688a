package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigPrinterTest {

    private static final String WITH_SECRETS = """
            scrape_configs:
              - job_name: a
                basic_auth: {username: user, password: pw-123-secret}
                tls_config: {cert: CERT, key: tls-key-secret}
                http_headers:
                  X-Api-Key: {secrets: [hdr-secret]}
              - job_name: b
                bearer_token: token-secret
                oauth2: {client_id: id, client_secret: oauth-secret, token_url: 'http://t/token'}
                authorization: {credentials: unused}
            """;

    @Test
    void secretsNeverAppear() throws Exception {
        String yaml = WITH_SECRETS.replace("oauth2: {client_id: id, client_secret: oauth-secret, token_url: 'http://t/token'}\n    "
                + "authorization: {credentials: unused}", "");
        PrometheusConfig c = ConfigLoader.parse(yaml.replace("    authorization: {credentials: unused}\n", ""), "s.yml");
        String printed = ConfigPrinter.toYaml(c);
        assertThat(printed).doesNotContain("pw-123-secret", "tls-key-secret", "hdr-secret", "token-secret", "oauth-secret")
                .contains("<secret>");
        // Records print masked too, so logging a config object leaks nothing.
        assertThat(c.toString()).doesNotContain("pw-123-secret", "tls-key-secret", "hdr-secret", "token-secret");
    }

    @Test
    void showsPrometheusNamesAndDefaults() throws Exception {
        PrometheusConfig c = ConfigLoader.parse("scrape_configs:\n  - job_name: x\n    static_configs: [{targets: ['h:1']}]\n", "d.yml");
        assertThat(ConfigPrinter.toYaml(c))
                .contains("scrape_interval: 1m", "scrape_timeout: 10s", "metrics_path: /metrics", "scheme: http",
                        "honor_timestamps: true", "enable_compression: true", "follow_redirects: true",
                        "enable_http2: true", "metric_name_validation_scheme: utf8", "- OpenMetricsText1.0.0");
    }

    @Test
    void printedConfigLoadsBackToTheSameConfig() throws Exception {
        for (String file : new String[] {"default.yml", "kubernetes-pods.yml", "prometheus-docs-example.yml"}) {
            PrometheusConfig c = ConfigLoader.load(Path.of("config", file));
            String printed = ConfigPrinter.toYaml(c);
            // Secrets come back as the literal "<secret>", so compare the printed forms.
            assertThat(ConfigPrinter.toYaml(ConfigLoader.parse(printed, file))).as(file).isEqualTo(printed);
        }
    }
}
