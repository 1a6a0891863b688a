package io.scrapeflux.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.model.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the relabel conformance corpus (1394 jobs, one static target each, with the answers Prometheus
 * gave) through target building and compares every outcome: final labels, dropped, or error.
 */
class RelabelConformanceTest {

    private static final String DIR = "/relabel/conformance/";

    @Test
    void everyCaseMatchesPrometheus() throws IOException, ConfigException {
        // The corpus holds Prometheus 2 answers: legacy label names, as the corpus README prescribes.
        String yaml = read("prometheus.yml").replaceFirst("\\{", "{\"global\": {\"metric_name_validation_scheme\": \"legacy\"},");
        PrometheusConfig config = ConfigLoader.parse(yaml, "relabel/conformance/prometheus.yml");
        assertThat(config.global().metricNameValidationScheme()).isEqualTo(NameValidationScheme.LEGACY);
        List<ScrapeConfig> jobs = config.scrapeConfigs();
        JsonNode expected = JsonMapper.builder().build().readTree(read("expected.json"));
        assertThat(jobs).hasSize(expected.size());

        List<String> mismatches = new ArrayList<>();
        for (ScrapeConfig job : jobs) {
            StaticConfig sc = (StaticConfig) job.sdConfigs().get(0);
            Labels groupLabels = Labels.fromMap(sc.labels());
            Labels target = Labels.of("__address__", sc.targets().get(0));
            String want = render(expected.get(job.jobName()));
            String got = render(new TargetBuilder(job).build(target, groupLabels));
            if (!want.equals(got)) {
                String caseName = sc.labels().getOrDefault("AAA_case", job.jobName());
                mismatches.add(caseName + ": expected " + want + "\n" + " ".repeat(caseName.length()) + "       got "
                        + got);
            }
        }
        assertThat(mismatches).as("%d of %d cases differ from Prometheus:%n%s", mismatches.size(), jobs.size(),
                String.join("\n", mismatches)).isEmpty();
    }

    private static String render(JsonNode outcome) {
        if (outcome.isString()) {
            return outcome.asString();
        }
        Map<String, String> m = new TreeMap<>();
        for (String name : outcome.propertyNames()) {
            m.put(name, outcome.get(name).asString());
        }
        return m.toString();
    }

    private static String render(TargetResult r) {
        if (r instanceof TargetResult.Dropped) {
            return "DROPPED";
        }
        if (r instanceof TargetResult.Failed) {
            return "ERROR";
        }
        return new TreeMap<>(((TargetResult.Active) r).target().labels().toMap()).toString();
    }

    private static String read(String name) throws IOException {
        try (InputStream in = RelabelConformanceTest.class.getResourceAsStream(DIR + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
