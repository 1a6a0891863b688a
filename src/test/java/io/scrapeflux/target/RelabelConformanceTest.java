package io.scrapeflux.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Limits;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.config.SourceLocation;
import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.model.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    void everyCaseMatchesPrometheus() throws IOException {
        List<ScrapeConfig> jobs = loadJobs(read("prometheus.yml"));
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

    // Temporary stand-in for ConfigLoader until the config stage lands: reads just what the corpus uses.
    private static List<ScrapeConfig> loadJobs(String yaml) {
        JsonNode root = JsonMapper.builder().build().readTree(yaml);
        List<ScrapeConfig> jobs = new ArrayList<>();
        for (JsonNode j : root.get("scrape_configs")) {
            List<RelabelConfig> rules = new ArrayList<>();
            for (JsonNode r : j.get("relabel_configs")) {
                rules.add(rule(r));
            }
            JsonNode sc = j.get("static_configs").get(0);
            List<String> targets = new ArrayList<>();
            sc.get("targets").forEach(t -> targets.add(t.asString()));
            Map<String, String> labels = new TreeMap<>();
            for (String n : sc.get("labels").propertyNames()) {
                labels.put(n, sc.get("labels").get(n).asString());
            }
            jobs.add(new ScrapeConfig(j.get("job_name").asString(),
                    PromDuration.parse(j.get("scrape_interval").asString()),
                    PromDuration.parse(j.get("scrape_timeout").asString()), ScrapeProtocol.DEFAULTS, null, "/metrics",
                    "http", false, true, true, true, Map.of(), HttpClientConfig.DEFAULT, Limits.NONE,
                    NameValidationScheme.LEGACY, "underscores", false, rules, List.of(),
                    List.of(new StaticConfig(targets, labels)), SourceLocation.NONE));
        }
        return jobs;
    }

    private static RelabelConfig rule(JsonNode r) {
        List<String> sources = new ArrayList<>();
        if (r.has("source_labels")) {
            r.get("source_labels").forEach(s -> sources.add(s.asString()));
        }
        String regex = !r.has("regex") ? RelabelConfig.DEFAULT_REGEX
                : r.get("regex").isNull() ? "" : r.get("regex").asString();
        return new RelabelConfig(sources, text(r, "separator", ";"), regex,
                r.has("modulus") ? r.get("modulus").asLong() : 0, text(r, "target_label", null),
                text(r, "replacement", "$1"),
                RelabelAction.valueOf(text(r, "action", "replace").toUpperCase(Locale.ROOT)), SourceLocation.NONE);
    }

    private static String text(JsonNode r, String field, String dflt) {
        return r.has(field) && !r.get(field).isNull() ? r.get(field).asString() : dflt;
    }

}
