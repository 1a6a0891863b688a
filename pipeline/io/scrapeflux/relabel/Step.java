package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/** One compiled relabel rule. Steps are immutable and shared by every thread that runs the chain. */
abstract class Step {

    private final String[] sources;
    private final String separator;
    private final RelabelConfig rule;

    Step(RelabelConfig rule) {
        this.rule = rule;
        this.sources = rule.sourceLabels() == null ? new String[0] : rule.sourceLabels().toArray(new String[0]);
        this.separator = rule.separator() == null ? RelabelConfig.DEFAULT_SEPARATOR : rule.separator();
    }

    /** Applies the rule to {@code b} in place; false means the label set is dropped. */
    abstract boolean apply(LabelsBuilder b);

    RelabelConfig rule() {
        return rule;
    }

    /** The source label values joined by the separator; absent labels count as empty values. */
    final String sourceValue(LabelsBuilder b) {
        switch (sources.length) {
            case 0:
                return "";
            case 1:
                return b.get(sources[0]);
            case 2:
                // String concatenation sizes the result exactly: one allocation, no builder
                return b.get(sources[0]) + separator + b.get(sources[1]);
            case 3:
                return b.get(sources[0]) + separator + b.get(sources[1]) + separator + b.get(sources[2]);
            default:
                StringBuilder sb = new StringBuilder(64);
                for (int i = 0; i < sources.length; i++) {
                    if (i > 0) {
                        sb.append(separator);
                    }
                    sb.append(b.get(sources[i]));
                }
                return sb.toString();
        }
    }

    @Override
    public String toString() {
        return rule.action().configName() + " " + rule;
    }
}
