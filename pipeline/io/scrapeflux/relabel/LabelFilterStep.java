package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/** labeldrop and labelkeep: remove every label whose name matches (drop) or does not match (keep). */
final class LabelFilterStep extends Step {

    private final LabelRegex regex;
    private final boolean dropOnMatch;

    LabelFilterStep(RelabelConfig rule, LabelRegex regex, boolean dropOnMatch) {
        super(rule);
        this.regex = regex;
        this.dropOnMatch = dropOnMatch;
    }

    @Override
    boolean apply(LabelsBuilder b) {
        for (int i = b.size() - 1; i >= 0; i--) {
            if (regex.matches(b.name(i)) == dropOnMatch) {
                b.removeAt(i);
            }
        }
        return true;
    }
}
