package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/**
 * labelmap: every label whose name matches is copied to the name the replacement expands to. The names
 * are read as they were before the rule (sorted order, later copies win), as Prometheus does. When the
 * regex has a literal prefix only the sorted run of names with that prefix is examined.
 */
final class LabelMapStep extends Step {

    private final LabelRegex regex;
    private final Template replacement;
    private final String prefix;

    LabelMapStep(RelabelConfig rule, LabelRegex regex) {
        super(rule);
        this.regex = regex;
        this.replacement = Template.parse(
                rule.replacement() == null ? RelabelConfig.DEFAULT_REPLACEMENT : rule.replacement(), regex);
        this.prefix = regex.requiredPrefix();
    }

    @Override
    boolean apply(LabelsBuilder b) {
        int from = prefix == null ? 0 : LabelFilterStep.insertionPoint(b, prefix);
        int to = b.size();
        int first = -1;
        for (int i = from; i < to; i++) {
            String name = b.name(i);
            if (prefix != null && !name.startsWith(prefix)) {
                to = i;
                break;
            }
            if (first < 0 && regex.matches(name)) {
                first = i;
                if (prefix == null) {
                    break;
                }
            }
        }
        if (first < 0) {
            return true;
        }
        // Snapshot the candidates from the first match on: setting labels while walking would shift indexes.
        int count = to - first;
        String[] names = new String[count];
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = b.name(first + i);
            values[i] = b.value(first + i);
        }
        for (int i = 0; i < count; i++) {
            LabelRegex.Groups m = regex.match(names[i]);
            if (m != null) {
                b.set(replacement.expand(names[i], m), values[i]);
            }
        }
        return true;
    }
}
