package io.scrapeflux.config;

import java.util.List;

/** One relabel rule as configured, defaults applied (separator {@code ;}, regex {@code (.*)},
 * replacement {@code $1}, action replace). {@code regex} is the pattern as written; the relabel stage
 * anchors and compiles it. {@code location} says where the rule was written, for errors. */
public record RelabelConfig(
        List<String> sourceLabels,
        String separator,
        String regex,
        long modulus,
        String targetLabel,
        String replacement,
        RelabelAction action,
        SourceLocation location) {

    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";

    /** A rule with every default, for building rules in code. */
    public static RelabelConfig of(RelabelAction action, List<String> sourceLabels, String regex, String targetLabel,
            String replacement) {
        return new RelabelConfig(sourceLabels, DEFAULT_SEPARATOR, regex == null ? DEFAULT_REGEX : regex, 0,
                targetLabel, replacement == null ? DEFAULT_REPLACEMENT : replacement, action, SourceLocation.NONE);
    }
}
