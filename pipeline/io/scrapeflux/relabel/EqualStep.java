package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/** keepequal and dropequal: compare the joined source value with the target label's value. */
final class EqualStep extends Step {

    private final String target;
    private final boolean keepOnEqual;

    EqualStep(RelabelConfig rule, boolean keepOnEqual) {
        super(rule);
        this.target = rule.targetLabel();
        this.keepOnEqual = keepOnEqual;
    }

    @Override
    boolean apply(LabelsBuilder b) {
        return b.get(target).equals(sourceValue(b)) == keepOnEqual;
    }
}
