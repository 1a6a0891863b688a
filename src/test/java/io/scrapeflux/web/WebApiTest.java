package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.TargetHealth;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API against Prometheus 3's documented JSON shapes, field by field, over a real loopback server. */
class WebApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ACTIVE_FIELDS = List.of("discoveredLabels", "labels", "scrapePool", "scrapeUrl",
            "globalUrl", "lastError", "lastScrape", "lastScrapeDuration", "health", "scrapeInterval", "scrapeTimeout");

    private final InMemoryWebState state = new InMemoryWebState().ready(true);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private String start(WebServer.Lifecycle lifecycle) {
        server = WebServer.builder(new InetSocketAddress("127.0.0.1", 0), registry)
                .state(state).lifecycle(lifecycle).externalHost("promhost").build();
        server.start();
        return "http://127.0.0.1:" + server.port();
    }

    private static JsonNode data(TestHttp.Response r) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/json");
        JsonNode root = JSON.readTree(r.body());
        assertThat(fields(root)).containsExactly("status", "data");
        assertThat(root.get("status").asString()).isEqualTo("success");
        return root.get("data");
    }

    private static List<String> fields(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.propertyNames().forEach(out::add);
        return out;
    }

    @Test
    void activeTargetHasEveryPrometheusFieldInOrder() {
        state.targets(TargetsFixture.snapshot());
        JsonNode data = data(TestHttp.get(start(null) + "/api/v1/targets"));
        assertThat(fields(data)).containsExactly("activeTargets", "droppedTargets", "droppedTargetCounts");

        JsonNode active = data.get("activeTargets");
        assertThat(active).hasSize(2);
        // pools in name order: api before node
        JsonNode down = active.get(0);
        assertThat(fields(down)).isEqualTo(ACTIVE_FIELDS);
        assertThat(down.get("scrapePool").asString()).isEqualTo("api");
        assertThat(down.get("health").asString()).isEqualTo("down");
        assertThat(down.get("lastError").asString()).isEqualTo(TargetsFixture.DOWN_ERROR);
        assertThat(down.get("scrapeInterval").asString()).isEqualTo("30s");
        assertThat(down.get("scrapeTimeout").asString()).isEqualTo("5s");
        assertThat(down.get("lastScrapeDuration").asDouble()).isEqualTo(0.003);
        assertThat(down.get("globalUrl").asString()).isEqualTo("http://api-1.example:8080/metrics");

        JsonNode up = active.get(1);
        assertThat(up.get("discoveredLabels").get("__address__").asString()).isEqualTo("localhost:9100");
        assertThat(fields(up.get("labels"))).containsExactly("instance", "job");
        assertThat(up.get("scrapeUrl").asString()).isEqualTo("http://localhost:9100/metrics");
        assertThat(up.get("globalUrl").asString()).isEqualTo("http://promhost:9100/metrics");
        assertThat(up.get("lastError").asString()).isEmpty();
        assertThat(up.get("lastScrape").asString()).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(up.get("lastScrapeDuration").isNumber()).isTrue();
        assertThat(up.get("lastScrapeDuration").asDouble()).isEqualTo(0.0125);
        assertThat(up.get("health").asString()).isEqualTo("up");

        JsonNode dropped = data.get("droppedTargets");
        assertThat(dropped).hasSize(1);
        assertThat(fields(dropped.get(0))).containsExactly("discoveredLabels", "scrapePool");
        assertThat(dropped.get(0).get("scrapePool").asString()).isEqualTo("api");
        assertThat(dropped.get(0).get("discoveredLabels").get("__address__").asString()).isEqualTo("api-2.example:8080");
        assertThat(data.get("droppedTargetCounts").get("api").asInt()).isEqualTo(3);
        assertThat(data.get("droppedTargetCounts").get("node").asInt()).isZero();
    }

    @Test
    void neverScrapedTargetShowsGoZeroTimeAndUnknown() {
        state.targets(new TargetsSnapshot(List.of("node"),
                Map.of("node", List.of(new ActiveTarget(TargetsFixture.UP, TargetHealth.UNKNOWN))), Map.of(), Map.of()));
        JsonNode t = data(TestHttp.get(start(null) + "/api/v1/targets")).get("activeTargets").get(0);
        assertThat(t.get("lastScrape").asString()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(t.get("health").asString()).isEqualTo("unknown");
        assertThat(t.get("lastScrapeDuration").toString()).isEqualTo("0");
    }

    @Test
    void emptyStateGivesEmptyListsNotNulls() {
        String base = start(null);
        JsonNode data = data(TestHttp.get(base + "/api/v1/targets"));
        assertThat(data.get("activeTargets").isArray()).isTrue();
        assertThat(data.get("activeTargets")).isEmpty();
        assertThat(data.get("droppedTargets").isArray()).isTrue();
        assertThat(data.get("droppedTargets")).isEmpty();
        assertThat(data.get("droppedTargetCounts").isObject()).isTrue();
        assertThat(data.get("droppedTargetCounts")).isEmpty();

        JsonNode pools = data(TestHttp.get(base + "/api/v1/scrape_pools"));
        assertThat(fields(pools)).containsExactly("scrapePools");
        assertThat(pools.get("scrapePools").isArray()).isTrue();
        assertThat(pools.get("scrapePools")).isEmpty();

        JsonNode metadata = data(TestHttp.get(base + "/api/v1/targets/metadata"));
        assertThat(metadata.isArray()).isTrue();
        assertThat(metadata).isEmpty();
    }

    @Test
    void stateParameterSelectsActiveOrDroppedCaseInsensitively() {
        state.targets(TargetsFixture.snapshot());
        String base = start(null);
        JsonNode active = data(TestHttp.get(base + "/api/v1/targets?state=active"));
        assertThat(active.get("activeTargets")).hasSize(2);
        assertThat(active.get("droppedTargets")).isEmpty();
        // as Prometheus: the counts belong to the dropped view and are null otherwise
        assertThat(active.get("droppedTargetCounts").isNull()).isTrue();

        JsonNode dropped = data(TestHttp.get(base + "/api/v1/targets?state=Dropped"));
        assertThat(dropped.get("activeTargets")).isEmpty();
        assertThat(dropped.get("droppedTargets")).hasSize(1);
        assertThat(dropped.get("droppedTargetCounts").get("api").asInt()).isEqualTo(3);

        JsonNode any = data(TestHttp.get(base + "/api/v1/targets?state=any"));
        assertThat(any.get("activeTargets")).hasSize(2);
        assertThat(any.get("droppedTargets")).hasSize(1);
    }

    @Test
    void scrapePoolParameterFiltersEveryList() {
        state.targets(TargetsFixture.snapshot());
        JsonNode node = data(TestHttp.get(start(null) + "/api/v1/targets?scrapePool=node"));
        assertThat(node.get("activeTargets")).hasSize(1);
        assertThat(node.get("activeTargets").get(0).get("scrapePool").asString()).isEqualTo("node");
        assertThat(node.get("droppedTargets")).isEmpty();
        assertThat(fields(node.get("droppedTargetCounts"))).containsExactly("node");
    }

    @Test
    void scrapePoolsAreSorted() {
        state.targets(TargetsFixture.snapshot());
        JsonNode pools = data(TestHttp.get(start(null) + "/api/v1/scrape_pools")).get("scrapePools");
        assertThat(pools.toString()).isEqualTo("[\"api\",\"node\"]");
    }

    @Test
    void metadataFiltersAndRejectsBadParameters() {
        state.metadata(List.of(
                new TargetMetadata(Labels.of("instance", "a:1", "job", "node"), "go_threads", "gauge", "Threads.", ""),
                new TargetMetadata(Labels.of("instance", "b:1", "job", "api"), "go_threads", "gauge", "Threads.", "")));
        String base = start(null);
        JsonNode all = data(TestHttp.get(base + "/api/v1/targets/metadata"));
        assertThat(all).hasSize(2);
        assertThat(fields(all.get(0))).containsExactly("target", "metric", "type", "help", "unit");

        JsonNode byMetric = data(TestHttp.get(base + "/api/v1/targets/metadata?metric=go_threads&limit=1"));
        assertThat(byMetric).hasSize(1);
        assertThat(fields(byMetric.get(0))).containsExactly("target", "type", "help", "unit");

        JsonNode byTarget = data(TestHttp.get(base + "/api/v1/targets/metadata?match_target=%7Bjob%3D%22api%22%7D"));
        assertThat(byTarget).hasSize(1);
        assertThat(byTarget.get(0).get("target").get("instance").asString()).isEqualTo("b:1");

        assertBadData(TestHttp.get(base + "/api/v1/targets/metadata?limit=abc"), "limit must be a number");
        assertBadData(TestHttp.get(base + "/api/v1/targets/metadata?match_target=%7Bjob%3D~%22a.*%22%7D"),
                "only equality matchers");
    }

    private static void assertBadData(TestHttp.Response r, String message) {
        assertThat(r.status()).isEqualTo(400);
        JsonNode root = JSON.readTree(r.body());
        assertThat(fields(root)).containsExactly("status", "errorType", "error");
        assertThat(root.get("status").asString()).isEqualTo("error");
        assertThat(root.get("errorType").asString()).isEqualTo("bad_data");
        assertThat(root.get("error").asString()).contains(message);
    }

    @Test
    void statusEndpoints() {
        state.configYaml("global:\n  scrape_interval: 1m\n").flags(Map.of("web.enable-lifecycle", "false",
                "config.file", "prometheus.yml"));
        state.buildInfo(new BuildInfo("0.1.0", "abc", "main", "ci", "20260101-00:00:00", "java21"));
        String base = start(null);
        JsonNode config = data(TestHttp.get(base + "/api/v1/status/config"));
        assertThat(fields(config)).containsExactly("yaml");
        assertThat(config.get("yaml").asString()).isEqualTo("global:\n  scrape_interval: 1m\n");

        JsonNode flags = data(TestHttp.get(base + "/api/v1/status/flags"));
        assertThat(flags.get("config.file").asString()).isEqualTo("prometheus.yml");
        assertThat(flags.get("web.enable-lifecycle").asString()).isEqualTo("false");

        JsonNode build = data(TestHttp.get(base + "/api/v1/status/buildinfo"));
        assertThat(fields(build)).containsExactly("version", "revision", "branch", "buildUser", "buildDate", "goVersion");
        assertThat(build.get("version").asString()).isEqualTo("0.1.0");
    }

    @Test
    void readinessGatesApiUntilFirstDiscoverySync() {
        state.ready(false);
        String base = start(null);
        assertThat(TestHttp.get(base + "/-/healthy").status()).isEqualTo(200);
        assertThat(TestHttp.get(base + "/-/ready").status()).isEqualTo(503);
        assertThat(TestHttp.get(base + "/api/v1/targets").status()).isEqualTo(503);
        state.ready(true);
        assertThat(TestHttp.get(base + "/-/ready").status()).isEqualTo(200);
        assertThat(TestHttp.get(base + "/api/v1/targets").status()).isEqualTo(200);
    }

    @Test
    void reloadIsForbiddenWithoutLifecycleFlag() {
        TestHttp.Response r = TestHttp.call(HttpClient.create(), HttpMethod.POST, start(null) + "/-/reload", h -> { });
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("Lifecycle API is not enabled.\n");
    }

    @Test
    void reloadNeedsPostOrPutAndReportsFailures() {
        AtomicInteger reloads = new AtomicInteger();
        List<Mono<Void>> outcomes = new ArrayList<>(List.of(Mono.empty(), Mono.error(new IllegalStateException("bad yaml"))));
        String base = start(new WebServer.Lifecycle() {
            @Override
            public Mono<Void> reload() {
                reloads.incrementAndGet();
                return outcomes.remove(0);
            }

            @Override
            public void quit() {
            }
        });
        assertThat(TestHttp.get(base + "/-/reload").status()).isEqualTo(405);
        assertThat(reloads).hasValue(0);
        assertThat(TestHttp.call(HttpClient.create(), HttpMethod.POST, base + "/-/reload", h -> { }).status()).isEqualTo(200);
        TestHttp.Response failed = TestHttp.call(HttpClient.create(), HttpMethod.PUT, base + "/-/reload", h -> { });
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.body()).contains("failed to reload config: bad yaml");
        assertThat(reloads).hasValue(2);
    }

    @Test
    void metricsInTextOrOpenMetricsByAccept() {
        Counter.builder().name("scrapeflux_test_events").help("Test events.").register(registry).inc();
        String base = start(null);
        TestHttp.Response text = TestHttp.get(base + "/metrics");
        assertThat(text.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(text.body()).contains("scrapeflux_test_events_total 1.0");
        TestHttp.Response om = TestHttp.get(base + "/metrics",
                h -> h.set("Accept", "application/openmetrics-text; version=1.0.0"));
        assertThat(om.headers().get("Content-Type")).startsWith("application/openmetrics-text");
        assertThat(om.body()).endsWith("# EOF\n");
    }

    @Test
    void largeResponsesAreGzippedWhenAccepted() {
        List<ActiveTarget> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(new ActiveTarget(TargetsFixture.target("fleet", "host-" + i + ":9100", java.time.Duration.ofSeconds(15),
                    java.time.Duration.ofSeconds(10)), TargetHealth.UNKNOWN));
        }
        state.targets(new TargetsSnapshot(List.of("fleet"), Map.of("fleet", many), Map.of(), Map.of()));
        String base = start(null);
        TestHttp.Response gz = TestHttp.get(base + "/api/v1/targets", h -> h.set("Accept-Encoding", "gzip"));
        assertThat(gz.status()).isEqualTo(200);
        assertThat(gz.headers().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(data(TestHttp.get(base + "/api/v1/targets")).get("activeTargets")).hasSize(200);
    }

    @Test
    void uiPagesComeFromTheJar() {
        String base = start(null);
        for (String page : List.of("/targets", "/service-discovery", "/config")) {
            TestHttp.Response r = TestHttp.get(base + page);
            assertThat(r.status()).as(page).isEqualTo(200);
            assertThat(r.headers().get("Content-Type")).startsWith("text/html");
            assertThat(r.body()).contains("/ui/app.js").doesNotContain("{{").doesNotContain("https://");
        }
        assertThat(TestHttp.get(base + "/ui/app.js").status()).isEqualTo(200);
        assertThat(TestHttp.get(base + "/ui/app.css").status()).isEqualTo(200);
        assertThat(TestHttp.get(base + "/nope").status()).isEqualTo(404);
    }
}
