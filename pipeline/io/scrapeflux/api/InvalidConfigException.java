package io.scrapeflux.api;

import io.scrapeflux.config.ConfigError;
import io.scrapeflux.config.ConfigException;
import java.util.List;

/**
 * A config (file, YAML text, job settings, relabel rules or SD blocks) that Prometheus would reject.
 * Its message lists every problem, each as {@code source:line:column: what}. Delivered as an error
 * signal by the reactive parts of the API, thrown only by the synchronous {@link Relabeling#compile}.
 */
public final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    static InvalidConfigException of(ConfigException e) {
        return new InvalidConfigException(e.errors().stream().map(ConfigError::toString).toList());
    }

    static InvalidConfigException of(String problem) {
        return new InvalidConfigException(List.of(String.valueOf(problem)));
    }

    /** One line per problem, in file order. */
    public List<String> problems() {
        return problems;
    }
}
