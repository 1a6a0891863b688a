package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/** keep and drop: the joined source value decides, through the regex, whether the label set survives. */
final class FilterStep extends Step {

    private final LabelRegex regex;
    private final boolean keepOnMatch;

    FilterStep(RelabelConfig rule, LabelRegex regex, boolean keepOnMatch) {
        super(rule);
        this.regex = regex;
        this.keepOnMatch = keepOnMatch;
    }

    @Override
    boolean apply(LabelsBuilder b) {
        return regex.matches(sourceValue(b)) == keepOnMatch;
    }
}
