package io.scrapeflux.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetBuilderTest {

    static ScrapeConfig job(String body) throws Exception {
        String yaml = "scrape_configs:\n  - job_name: node\n    scrape_interval: 30s\n    scrape_timeout: 10s\n"
                + body.indent(4);
        return ConfigLoader.parse(yaml, "test.yml").scrapeConfigs().get(0);
    }

    static TargetResult build(ScrapeConfig job, String... targetLabels) {
        return TargetBuilder.build(job, Labels.of(targetLabels), Labels.EMPTY);
    }

    static Target active(TargetResult r) {
        assertThat(r).isInstanceOf(TargetResult.Active.class);
        return ((TargetResult.Active) r).target();
    }

    static String error(TargetResult r) {
        assertThat(r).isInstanceOf(TargetResult.Failed.class);
        return ((TargetResult.Failed) r).message();
    }

    @Test
    void addsJobDefaultsThenKeepsOnlyPublicLabels() throws Exception {
        TargetResult r = TargetBuilder.build(job(""), Labels.of("__address__", "10.0.0.1:9100", "__meta_x", "m"),
                Labels.of("env", "prod", "__meta_group", "g"));
        Target t = active(r);
        assertThat(t.labels()).isEqualTo(Labels.of("env", "prod", "instance", "10.0.0.1:9100", "job", "node"));
        assertThat(t.discoveredLabels()).isEqualTo(Labels.of("__address__", "10.0.0.1:9100", "__meta_x", "m",
                "__meta_group", "g", "env", "prod", "job", "node", "__scheme__", "http", "__metrics_path__", "/metrics",
                "__scrape_interval__", "30s", "__scrape_timeout__", "10s"));
        assertThat(t.scrapeUrl()).isEqualTo("http://10.0.0.1:9100/metrics");
        assertThat(t.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.scrapePool()).isEqualTo("node");
    }

    @Test
    void targetLabelsWinOverGroupLabelsAndDiscoveredDefaults() throws Exception {
        Target t = active(TargetBuilder.build(job(""),
                Labels.of("__address__", "h:1", "env", "dev", "job", "custom", "__scheme__", "https"),
                Labels.of("env", "prod")));
        assertThat(t.labels()).isEqualTo(Labels.of("env", "dev", "instance", "h:1", "job", "custom"));
        assertThat(t.scrapeUrl()).isEqualTo("https://h:1/metrics");
    }

    @Test
    void noDefaultPortIsAdded() throws Exception {
        Target t = active(build(job("scheme: https"), "__address__", "example.com"));
        assertThat(t.scrapeUrl()).isEqualTo("https://example.com/metrics");
        assertThat(t.labels().get("instance")).isEqualTo("example.com");
    }

    @Test
    void relabeledInstanceSchemePathAndParamsShapeTheTarget() throws Exception {
        ScrapeConfig job = job("""
                metrics_path: /probe
                params:
                  module: [http_2xx, extra]
                relabel_configs:
                  - source_labels: [__address__]
                    target_label: __param_target
                  - target_label: __param_module
                    replacement: tcp connect
                  - target_label: instance
                    replacement: site-a
                  - target_label: __metrics_path__
                    replacement: custom/path
                  - target_label: __address__
                    replacement: 127.0.0.1:9115
                """);
        Target t = active(build(job, "__address__", "https://example.org"));
        assertThat(t.labels()).isEqualTo(Labels.of("instance", "site-a", "job", "node"));
        assertThat(t.discoveredLabels().get("__param_module")).isEqualTo("http_2xx");
        assertThat(t.scrapeUrl())
                .isEqualTo("http://127.0.0.1:9115/custom/path?module=tcp+connect&module=extra&target=https%3A%2F%2Fexample.org");
    }

    @Test
    void urlEscapesPathAndQueryAsGoAndKeepsIpv6Brackets() throws Exception {
        Target t = active(build(job(""), "__address__", "[::1]:9090", "__metrics_path__", "/a b/ü?x",
                "__param_q", "a&b=c/d"));
        assertThat(t.scrapeUrl()).isEqualTo("http://[::1]:9090/a%20b/%C3%BC%3Fx?q=a%26b%3Dc%2Fd");
    }

    @Test
    void droppedTargetsKeepTheirDiscoveredLabels() throws Exception {
        ScrapeConfig job = job("""
                relabel_configs:
                  - source_labels: [env]
                    regex: dev
                    action: drop
                """);
        TargetResult r = build(job, "__address__", "h:1", "env", "dev");
        assertThat(r).isInstanceOf(TargetResult.Dropped.class);
        assertThat(r.discoveredLabels().get("env")).isEqualTo("dev");
        assertThat(r.discoveredLabels().get("job")).isEqualTo("node");
    }

    @Test
    void errorsAreWordedAsPrometheusWordsThem() throws Exception {
        assertThat(error(build(job("""
                relabel_configs:
                  - regex: __address__
                    action: labeldrop
                """), "__address__", "h:1"))).isEqualTo("no address");
        assertThat(error(build(job(""), "__address__", "http://h:1/x"))).isEqualTo("\"http://h:1/x\" is not a valid hostname");
        assertThat(error(build(job(""), "__address__", "h:1", "__scrape_interval__", "soon")))
                .startsWith("error parsing scrape interval: not a valid duration string");
        assertThat(error(build(job("""
                relabel_configs:
                  - regex: __scrape_timeout__
                    action: labeldrop
                """), "__address__", "h:1"))).isEqualTo("error parsing scrape timeout: empty duration string");
        assertThat(error(build(job(""), "__address__", "h:1", "__scrape_interval__", "0")))
                .isEqualTo("scrape interval cannot be 0");
        assertThat(error(build(job(""), "__address__", "h:1", "__scrape_timeout__", "0")))
                .isEqualTo("scrape timeout cannot be 0");
        assertThat(error(build(job(""), "__address__", "h:1", "__scrape_timeout__", "1m")))
                .isEqualTo("scrape timeout cannot be greater than scrape interval (\"1m\" > \"30s\")");
    }

    @Test
    void targetSetCollapsesDuplicatesBoundsDroppedAndListsErrors() throws Exception {
        ScrapeConfig job = job("""
                keep_dropped_targets: 2
                relabel_configs:
                  - source_labels: [drop]
                    regex: yes
                    action: drop
                """);
        TargetGroup g = new TargetGroup("static/0", List.of(
                Labels.of("__address__", "a:1"),
                Labels.of("__address__", "a:1"),
                Labels.of("__address__", "b:1", "drop", "yes"),
                Labels.of("__address__", "c:1", "drop", "yes"),
                Labels.of("__address__", "d:1", "drop", "yes"),
                Labels.of("__address__", "bad/addr")), Labels.EMPTY);
        TargetSet set = new TargetBuilder(job).targetSet(List.of(g));
        assertThat(set.jobName()).isEqualTo("node");
        assertThat(set.active()).extracting(Target::scrapeUrl).containsExactly("http://a:1/metrics");
        assertThat(set.dropped()).hasSize(2);
        assertThat(set.droppedTotal()).isEqualTo(3);
        assertThat(set.errors()).singleElement().hasToString("instance 5 in group static/0: \"bad/addr\" is not a valid hostname");
    }
}
