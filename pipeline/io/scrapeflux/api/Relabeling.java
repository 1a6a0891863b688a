package io.scrapeflux.api;

import io.scrapeflux.api.internal.ConfigSnippets;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.relabel.RelabelChain;
import java.util.Map;
import java.util.Optional;

/**
 * The relabel engine on its own: a list of Prometheus relabel rules compiled once, applied to label sets
 * with Prometheus 3's semantics. Thread-safe; compile once and share.
 *
 * <pre>{@code
 * Relabeling rules = Relabeling.compile("""
 *         - source_labels: [__meta_env]
 *           regex: prod
 *           action: keep
 *         - source_labels: [__address__]
 *           target_label: host
 *           regex: '(.+):\\d+'
 *         """);
 * Optional<Map<String, String>> out = rules.apply(Map.of("__address__", "db:9100", "__meta_env", "prod"));
 * }</pre>
 */
public final class Relabeling {

    private final RelabelChain chain;

    private Relabeling(RelabelChain chain) {
        this.chain = chain;
    }

    /**
     * Compiles {@code yamlRules}, a YAML list as {@code relabel_configs} holds it, validated as a config file's.
     *
     * @throws InvalidConfigException naming each problem with its line in {@code yamlRules}
     */
    public static Relabeling compile(String yamlRules) {
        ScrapeConfig job;
        try {
            // The rules become line 2 onwards of the job's keys: shift errors back to the caller's lines.
            job = ConfigSnippets.job("relabeling", "relabel_configs:\n" + ConfigSnippets.indent(yamlRules, 2),
                    "relabel_configs");
        } catch (ConfigException e) {
            throw InvalidConfigException.of(e);
        }
        try {
            return new Relabeling(RelabelChain.compile(job.relabelConfigs(), NameValidationScheme.UTF8));
        } catch (IllegalArgumentException e) {
            throw InvalidConfigException.of("relabel_configs: " + e.getMessage());
        }
    }

    /** The relabeled set, or {@code null} when a rule dropped it. Returns {@code labels} itself when nothing changed. */
    public Labels apply(Labels labels) {
        return chain.apply(labels);
    }

    /** The relabeled set, or empty when a rule dropped it. */
    public Optional<Map<String, String>> apply(Map<String, String> labels) {
        Labels out = chain.apply(Labels.fromMap(labels));
        return out == null ? Optional.empty() : Optional.of(out.toMap());
    }

    /** Number of rules. */
    public int size() {
        return chain.size();
    }
}
