package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One invalid config per validation rule: each must fail naming the line and the problem. */
class InvalidConfigTest {

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                // YAML and structure
                bad("broken yaml", "scrape_configs:\n  - job_name: [a\n", 2, "invalid YAML: while parsing a flow sequence: expected ',' or ']'"),
                bad("duplicate key", "global:\n  scrape_interval: 1s\n  scrape_interval: 2s\n", 3,
                        "mapping key \"scrape_interval\" already defined"),
                bad("unknown top-level field", "scrape_configz: []\n", 1, "field scrape_configz not found in config"),
                bad("unknown global field", "global:\n  scrape_intervl: 1s\n", 2, "field scrape_intervl not found in global"),
                bad("unknown job field", "scrape_configs:\n  - job_name: a\n    foo: bar\n", 3, "field foo not found in scrape_config"),
                bad("unknown relabel field", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - sourcelabels: [a]\n",
                        4, "field sourcelabels not found in relabel_configs rule"),
                bad("unknown alias", "scrape_configs:\n  - *nope\n", 2, "unknown anchor"),
                // durations and sizes
                bad("bad duration", "global:\n  scrape_interval: 1x\n", 2, "scrape_interval: unknown unit \"x\" in duration \"1x\""),
                bad("fractional duration", "global:\n  scrape_timeout: 1.5s\n", 2, "unknown unit \".\" in duration \"1.5s\""),
                bad("bad size", "global:\n  body_size_limit: 10 parsecs\n", 2, "body_size_limit"),
                bad("negative limit", "scrape_configs:\n  - job_name: a\n    sample_limit: -1\n", 3, "sample_limit"),
                bad("bad boolean", "scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n", 3, "honor_labels: cannot parse \"maybe\""),
                // timeouts and jobs
                bad("global timeout > interval", "global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n", 3,
                        "global scrape timeout greater than scrape interval"),
                bad("job timeout > interval", "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 6s\n",
                        4, "scrape timeout greater than scrape interval for scrape config with job name \"a\""),
                bad("job timeout > inherited interval", "global:\n  scrape_interval: 5s\nscrape_configs:\n  - job_name: a\n    scrape_timeout: 6s\n",
                        5, "scrape timeout greater than scrape interval"),
                bad("duplicate job", "scrape_configs:\n  - job_name: a\n  - job_name: a\n", 3,
                        "found multiple scrape configs with job name \"a\""),
                bad("missing job name", "scrape_configs:\n  - scrape_interval: 5s\n", 2, "job_name is empty"),
                bad("null scrape config", "scrape_configs:\n  -\n", 2, "empty or null scrape config section"),
                bad("bad scheme", "scrape_configs:\n  - job_name: a\n    scheme: ftp\n", 3, "scheme must be http or https"),
                bad("unknown scrape protocol", "global:\n  scrape_protocols: [Foo]\n", 2, "unknown scrape protocol Foo"),
                bad("duplicate scrape protocol", "global:\n  scrape_protocols: [PrometheusProto, PrometheusProto]\n", 2,
                        "duplicated protocol in scrape_protocols"),
                bad("empty scrape protocols", "scrape_configs:\n  - job_name: a\n    scrape_protocols: []\n", 3,
                        "scrape_protocols cannot be empty"),
                bad("unknown fallback protocol", "scrape_configs:\n  - job_name: a\n    fallback_scrape_protocol: nope\n", 3,
                        "invalid fallback_scrape_protocol"),
                bad("unknown validation scheme", "global:\n  metric_name_validation_scheme: ascii\n", 2,
                        "unknown name validation method"),
                bad("unknown escaping scheme", "global:\n  metric_name_escaping_scheme: nope\n", 2, "unknown name escaping method"),
                bad("utf8 escaping with legacy validation", "scrape_configs:\n  - job_name: a\n    metric_name_validation_scheme: legacy\n"
                        + "    metric_name_escaping_scheme: allow-utf-8\n", 4, "utf8 metric names requested"),
                bad("URL as static target", "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://x:80/metrics']\n",
                        3, "\"http://x:80/metrics\" is not a valid hostname"),
                // label names
                bad("invalid external label (legacy)", "global:\n  metric_name_validation_scheme: legacy\n  external_labels:\n    foo.bar: x\n",
                        4, "\"foo.bar\" is not a valid label name"),
                bad("empty external label name", "global:\n  external_labels:\n    '': x\n", 3, "\"\" is not a valid label name"),
                bad("empty static label name", "scrape_configs:\n  - job_name: a\n"
                        + "    static_configs:\n      - targets: [a:1]\n        labels: {'': x}\n", 5, "\"\" is not a valid label name"),
                bad("empty source label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: ['']\n        action: keep\n",
                        4, "\"\" is not a valid label name"),
                // relabel rules
                bad("unknown relabel action", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n", 4,
                        "unknown relabel action \"explode\""),
                bad("hashmod without modulus", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n"
                        + "        source_labels: [a]\n        target_label: b\n", 4, "hashmod requires non-zero modulus"),
                bad("replace without target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: [a]\n", 4,
                        "relabel configuration for replace action requires 'target_label' value"),
                bad("hashmod without target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        modulus: 2\n",
                        4, "hashmod action requires 'target_label'"),
                bad("lowercase without target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: lowercase\n        source_labels: [a]\n",
                        4, "lowercase action requires 'target_label'"),
                bad("uppercase without target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: uppercase\n        source_labels: [a]\n",
                        4, "uppercase action requires 'target_label'"),
                bad("keepequal without target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: keepequal\n        source_labels: [a]\n",
                        4, "keepequal action requires 'target_label'"),
                bad("dropequal without target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: dropequal\n        source_labels: [a]\n",
                        4, "dropequal action requires 'target_label'"),
                bad("labeldrop with source_labels", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: labeldrop\n"
                        + "        source_labels: [a]\n        regex: tmp_.*\n", 4, "labeldrop action requires only 'regex', and no other fields"),
                bad("labelkeep with target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: labelkeep\n"
                        + "        target_label: a\n", 4, "labelkeep action requires only 'regex', and no other fields"),
                bad("keepequal with regex", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: keepequal\n"
                        + "        source_labels: [a]\n        target_label: b\n        regex: x\n", 4,
                        "keepequal action requires only 'source_labels' and `target_label`, and no other fields"),
                bad("lowercase with replacement", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: lowercase\n"
                        + "        source_labels: [a]\n        target_label: b\n        replacement: x\n", 7,
                        "'replacement' can not be set for lowercase action"),
                bad("invalid target_label (legacy)", "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n"
                        + "    relabel_configs:\n      - source_labels: [a]\n        target_label: 'a-b'\n", 7,
                        "\"a-b\" is invalid 'target_label' for replace action"),
                bad("invalid template target_label (legacy)", "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n"
                        + "    relabel_configs:\n      - source_labels: [a]\n        target_label: '${1}-x'\n", 7,
                        "is invalid 'target_label' for replace action"),
                bad("invalid hashmod target_label (legacy)", "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n"
                        + "    relabel_configs:\n      - action: hashmod\n        modulus: 3\n        source_labels: [a]\n        target_label: '$1'\n",
                        9, "\"$1\" is invalid 'target_label' for hashmod action"),
                bad("invalid labelmap replacement (legacy)", "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n"
                        + "    relabel_configs:\n      - action: labelmap\n        regex: 'x_(.+)'\n        replacement: 'a.$1'\n", 8,
                        "\"a.$1\" is invalid 'replacement' for labelmap action"),
                bad("regex RE2 rejects", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: [a]\n"
                        + "        regex: '(?<=x)y'\n        action: keep\n", 5, "invalid regex"),
                bad("unbalanced regex", "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      - source_labels: [a]\n"
                        + "        regex: '(abc'\n        action: drop\n", 5, "invalid regex \"(abc\""),
                bad("null relabel rule", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n", 4, "empty or null relabeling rule"),
                // URLs
                bad("invalid http_sd url", "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: 'ftp://x/sd'\n", 4,
                        "URL scheme must be 'http' or 'https'"),
                bad("http_sd url without host", "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: 'http:///sd'\n", 4,
                        "host is missing in URL"),
                bad("missing http_sd url", "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - refresh_interval: 1m\n", 4,
                        "URL is missing"),
                bad("invalid proxy_url", "scrape_configs:\n  - job_name: a\n    proxy_url: 'not a url'\n", 3, "proxy_url"),
                bad("invalid remote_write url", "remote_write:\n  - url: 'localhost:9090/api/v1/write'\n", 2, "URL scheme must be"),
                bad("missing remote_write url", "remote_write:\n  - name: a\n", 2, "url for remote_write is empty"),
                bad("reserved remote_write header", "remote_write:\n  - url: http://x/w\n    headers:\n      Content-Type: x\n", 4,
                        "Content-Type is a reserved header"),
                bad("authorization remote_write header", "remote_write:\n  - url: http://x/w\n    headers:\n      Authorization: x\n", 4,
                        "authorization header must be changed"),
                bad("duplicate remote_write name", "remote_write:\n  - url: http://x/w\n    name: a\n  - url: http://y/w\n    name: a\n", 5,
                        "found multiple remote write configs with name \"a\""),
                bad("unknown protobuf message", "remote_write:\n  - url: http://x/w\n    protobuf_message: foo\n", 3,
                        "invalid protobuf_message value"),
                bad("invalid kubernetes api_server", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n"
                        + "        api_server: '::nope'\n", 5, "api_server"),
                // mutually exclusive auth
                bad("basic_auth + authorization", "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: p}\n"
                        + "    authorization: {credentials: c}\n", 4, "at most one of basic_auth, oauth2 & authorization"),
                bad("bearer_token + bearer_token_file", "scrape_configs:\n  - job_name: a\n    bearer_token: t\n    bearer_token_file: f\n", 4,
                        "at most one of bearer_token & bearer_token_file"),
                bad("basic_auth + bearer_token", "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    bearer_token: t\n", 4,
                        "at most one of basic_auth, oauth2, bearer_token & bearer_token_file"),
                bad("authorization + bearer_token", "scrape_configs:\n  - job_name: a\n    authorization: {credentials: c}\n    bearer_token: t\n", 3,
                        "authorization is not compatible with bearer_token"),
                bad("password + password_file", "scrape_configs:\n  - job_name: a\n    basic_auth:\n      username: u\n      password: p\n"
                        + "      password_file: /f\n", 6, "at most one of basic_auth password, password_file"),
                bad("credentials + credentials_file", "scrape_configs:\n  - job_name: a\n    authorization:\n      credentials: c\n"
                        + "      credentials_file: /f\n", 5, "at most one of authorization credentials & credentials_file"),
                bad("authorization type basic", "scrape_configs:\n  - job_name: a\n    authorization:\n      type: Basic\n", 4,
                        "authorization type cannot be set to \"basic\""),
                bad("oauth2 + basic_auth", "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n"
                        + "    oauth2: {client_id: i, token_url: 'http://t/token'}\n", 4, "at most one of basic_auth, oauth2 & authorization"),
                bad("oauth2 without token_url", "scrape_configs:\n  - job_name: a\n    oauth2:\n      client_id: i\n", 4,
                        "oauth2 token_url must be configured"),
                bad("tls ca + ca_file", "scrape_configs:\n  - job_name: a\n    tls_config:\n      ca: x\n      ca_file: /f\n", 5,
                        "at most one of ca and ca_file"),
                bad("tls cert without key", "scrape_configs:\n  - job_name: a\n    tls_config:\n      cert_file: /c\n", 4,
                        "exactly one of key or key_file must be configured"),
                bad("tls unknown version", "scrape_configs:\n  - job_name: a\n    tls_config:\n      min_version: TLS99\n", 4,
                        "unknown TLS version: TLS99"),
                bad("proxy_from_environment + proxy_url", "scrape_configs:\n  - job_name: a\n    proxy_from_environment: true\n"
                        + "    proxy_url: http://p:3128\n", 4, "if proxy_from_environment is configured, proxy_url must not be configured"),
                bad("no_proxy without proxy_url", "scrape_configs:\n  - job_name: a\n    no_proxy: localhost\n", 3,
                        "if no_proxy is configured, proxy_url must also be configured"),
                bad("reserved http header", "scrape_configs:\n  - job_name: a\n    http_headers:\n      User-Agent:\n        values: [x]\n", 4,
                        "setting header \"User-Agent\" is not allowed"),
                // service discovery
                bad("consul_sd_configs unsupported", "scrape_configs:\n  - job_name: a\n    consul_sd_configs:\n      - server: localhost:8500\n", 3,
                        "service discovery mechanism \"consul\" is not implemented by scrapeflux"),
                bad("ec2_sd filter without values", "scrape_configs:\n  - job_name: a\n    ec2_sd_configs:\n      - region: eu-west-1\n"
                        + "        filters: [{name: 'tag:env'}]\n", 5, "EC2 SD configuration filter values cannot be empty"),
                bad("file_sd without files", "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - refresh_interval: 1m\n", 4,
                        "file service discovery config must contain at least one path name"),
                bad("file_sd bad pattern", "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: ['targets/*.txt']\n", 4,
                        "path name \"targets/*.txt\" is not valid for file discovery"),
                bad("dns_sd without names", "scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n      - type: SRV\n", 4,
                        "DNS-SD config must contain at least one SRV record name"),
                bad("dns_sd A without port", "scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n      - names: [x.example]\n        type: A\n", 4,
                        "a port is required in DNS-SD configs for all record types except SRV"),
                bad("dns_sd bad type", "scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n      - names: [x.example]\n        type: TXT\n", 5,
                        "invalid DNS-SD records type TXT"),
                bad("kubernetes_sd without role", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - namespaces: {names: [x]}\n", 4,
                        "role missing"),
                bad("kubernetes_sd unknown role", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: deployment\n", 4,
                        "unknown Kubernetes SD role \"deployment\""),
                bad("kubernetes_sd api_server + kubeconfig", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n"
                        + "        api_server: https://k8s:6443\n        kubeconfig_file: /k\n", 6, "cannot use 'kubeconfig_file' and 'api_server'"),
                bad("kubernetes_sd selector role mismatch", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n"
                        + "        selectors:\n          - role: node\n            label: a=b\n", 6, "pod role supports only pod selectors"),
                bad("kubernetes_sd custom client without api_server", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n"
                        + "      - role: pod\n        bearer_token: t\n", 4, "please provide the 'api_server' URL explicitly"),
                bad("kubernetes_sd bad label selector", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n"
                        + "        selectors:\n          - role: pod\n            label: 'app=web,'\n", 7, "empty requirement in label selector"),
                bad("kubernetes_sd bad field selector", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n"
                        + "        selectors:\n          - role: pod\n            field: 'spec.nodeName'\n", 7, "in field selector"),
                bad("unsupported remote_write sigv4", "remote_write:\n  - url: http://x/w\n    sigv4: {region: eu}\n", 3, "sigv4: not supported"),
                bad("invalid scrape_config_files pattern", "scrape_config_files: ['a/*/b.yml']\n", 1, "invalid scrape config file path"));
    }

    private static Arguments bad(String rule, String yaml, int line, String message) {
        return Arguments.of(rule, yaml, line, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void rejectedWithLineAndProblem(String rule, String yaml, int line, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "bad.yml"));
        assertThat(e).as(rule + " must be rejected").isNotNull();
        assertThat(e.errors()).as(rule).anySatisfy(err -> {
            assertThat(err.location().file()).isEqualTo("bad.yml");
            assertThat(err.location().line()).isEqualTo(line);
            assertThat(err.location().column()).isPositive();
            assertThat(err.message()).contains(message);
        });
        assertThat(e.getMessage()).contains("bad.yml:" + line + ":");
    }
}
