package io.scrapeflux.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem in a file so one run of {@code check config} shows them all. */
final class Problems {

    private final List<ConfigError> errors = new ArrayList<>();

    void add(SourceLocation location, String message) {
        errors.add(new ConfigError(location, message));
    }

    int count() {
        return errors.size();
    }

    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt((ConfigError e) -> e.location().line())
                    .thenComparingInt(e -> e.location().column()));
            throw new ConfigException(sorted);
        }
    }
}
