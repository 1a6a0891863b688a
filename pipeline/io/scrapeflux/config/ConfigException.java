package io.scrapeflux.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config could not be loaded; {@link #errors()} lists every problem found, in file order. */
public final class ConfigException extends Exception {

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(render(errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(SourceLocation location, String message) {
        this(List.of(new ConfigError(location, message)));
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String render(List<ConfigError> errors) {
        return errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }
}
