package io.scrapeflux.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * The examples of README's "Using it as a library", run as written there (the README's literal file
 * names, addresses and intervals are parameters here). Real time: intervals are short and the
 * assertions are about counts and content, never timing.
 */
class ReadmeExamplesTest {

    @RegisterExtension
    final TargetServer server = new TargetServer();

    @TempDir
    Path dir;

    // ---- README: from a config file ------------------------------------------------------------------------

    static List<ScrapeBatch> firstScrapes(Path configFile, int n) {
        try (Scrapeflux sf = Scrapeflux.fromConfig(configFile)) {
            Flux<ScrapeBatch> scrapes = sf.scrapes().take(n); // take cancels after n: that stops the pipeline
            sf.start();
            return scrapes.collectList().block(Duration.ofMinutes(1));
        }
    }

    @Test
    void fromAConfigFile() throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, """
                scrape_configs:
                  - job_name: node
                    scrape_interval: 250ms
                    static_configs: [{targets: ['%s']}]
                """.formatted(server.address()));

        List<ScrapeBatch> batches = firstScrapes(file, 3);

        assertThat(batches).hasSize(3).allSatisfy(b -> {
            assertThat(b.job()).isEqualTo("node");
            assertThat(b.targetLabels().get("instance")).isEqualTo(server.address());
        });
        // real time: a scrape slower than its 250ms timeout on a loaded machine is up 0, still a batch
        assertThat(batches).allSatisfy(b -> assertThat(names(b)).contains("up", "scrape_duration_seconds"));
    }

    private static List<String> names(ScrapeBatch b) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            out.add(b.name(i));
        }
        return out;
    }

    // ---- README: in code, with a custom discoverer -----------------------------------------------------------

    static Scrapeflux paymentsPipeline(String address, Duration interval) {
        // any source of targets: here a fixed list, in an application a service registry's watch
        Flux<List<TargetGroup>> registry = Flux.just(List.of(TargetGroup.of("registry/payments",
                Map.of("team", "payments"), address))).concatWith(Flux.never());
        return Scrapeflux.builder()
                .job("payments", JobSettings.defaults().withInterval(interval)
                        .withMetricRelabelConfigs("- {source_labels: [__name__], regex: temperature_.*, action: drop}"))
                .discoverer("payments", registry)
                .build();
    }

    /** Samples per second of each job, from every two consecutive scrapes of a job. */
    static Flux<Map.Entry<String, Double>> samplesPerSecond(Scrapeflux sf) {
        return sf.scrapes()
                .groupBy(ScrapeBatch::job)
                .flatMap(job -> job.buffer(2, 1)
                        .filter(pair -> pair.size() == 2)
                        .map(pair -> Map.entry(job.key(), pair.get(1).size() * 1000.0
                                / (pair.get(1).timestampMs() - pair.get(0).timestampMs()))));
    }

    @Test
    void inCodeWithACustomDiscoverer() {
        try (Scrapeflux sf = paymentsPipeline(server.address(), Duration.ofMillis(250))) {
            Flux<Map.Entry<String, Double>> rates = samplesPerSecond(sf);
            sf.start();

            List<Map.Entry<String, Double>> first = rates.take(2).collectList().block(Duration.ofMinutes(1));

            assertThat(first).hasSize(2).allSatisfy(r -> {
                assertThat(r.getKey()).isEqualTo("payments");
                assertThat(r.getValue()).isPositive();
            });
            // take(2) cancelled scrapes(): the pipeline is gone
            Await.until(sf::isDisposed, "cancellation to reach scrapes() through groupBy");
        }
    }

    @Test
    void targetsOfTheCustomDiscoverer() {
        try (Scrapeflux sf = paymentsPipeline(server.address(), Duration.ofMillis(250))) {
            sf.scrapes().subscribe();
            sf.start();

            Map<String, JobTargets> jobs = sf.targets()
                    .filter(j -> j.containsKey("payments") && !j.get("payments").active().isEmpty()
                            && j.get("payments").active().get(0).health() == ScrapeTarget.Health.UP)
                    .blockFirst(Duration.ofMinutes(1));

            ScrapeTarget t = jobs.get("payments").active().get(0);
            assertThat(t.labels()).containsEntry("team", "payments").containsEntry("job", "payments");
        }
    }

    // ---- README: the stages on their own ---------------------------------------------------------------------

    static Relabeling prodHosts() {
        return Relabeling.compile("""
                - source_labels: [__meta_env]
                  regex: prod
                  action: keep
                - source_labels: [__address__]
                  regex: '(.+):\\d+'
                  target_label: host
                """);
    }

    @Test
    void relabelingOnItsOwn() {
        Relabeling rules = prodHosts();

        Optional<Map<String, String>> kept = rules.apply(Map.of("__address__", "db1:9100", "__meta_env", "prod"));
        Optional<Map<String, String>> dropped = rules.apply(Map.of("__address__", "db2:9100", "__meta_env", "dev"));

        assertThat(kept).hasValue(Map.of("__address__", "db1:9100", "__meta_env", "prod", "host", "db1"));
        assertThat(dropped).isEmpty();
    }

    @Test
    void expositionOnItsOwn() {
        List<Exposition.Sample> samples = Exposition.parse("""
                # TYPE requests_total counter
                requests_total{path="/"} 7 1700000000000
                """, "text/plain; version=0.0.4").collectList().block();

        assertThat(samples).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("requests_total");
            assertThat(s.labels().get("path")).isEqualTo("/");
            assertThat(s.value()).isEqualTo(7.0);
            assertThat(s.timestampMs()).hasValue(1700000000000L);
        });
    }

    @Test
    void discoveryOnItsOwn() throws Exception {
        Path targets = dir.resolve("targets.json");
        Files.writeString(targets, "[{\"targets\": [\"db1:9100\"], \"labels\": {\"env\": \"prod\"}}]");

        List<TargetGroup> groups = Discovery.of("file_sd_configs: [{files: ['" + targets + "']}]")
                .blockFirst(Duration.ofMinutes(1));

        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.targets()).containsExactly(Map.of("__address__", "db1:9100"));
            assertThat(g.labels()).containsEntry("env", "prod").containsEntry("__meta_filepath", targets.toString());
        });
    }
}
