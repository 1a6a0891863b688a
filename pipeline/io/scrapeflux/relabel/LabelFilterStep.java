package io.scrapeflux.relabel;

import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/** labeldrop and labelkeep: remove every label whose name matches (drop) or does not match (keep). */
final class LabelFilterStep extends Step {

    private final LabelRegex regex;
    private final boolean dropOnMatch;
    /** For labeldrop of literal names: delete them by lookup instead of testing every label. */
    private final String[] exact;
    /** For labeldrop of {@code prefix.*}-like names: only the sorted run of names with the prefix can match. */
    private final String prefix;

    LabelFilterStep(RelabelConfig rule, LabelRegex regex, boolean dropOnMatch) {
        super(rule);
        this.regex = regex;
        this.dropOnMatch = dropOnMatch;
        this.exact = dropOnMatch ? regex.exactMatches() : null;
        this.prefix = dropOnMatch && exact == null ? regex.requiredPrefix() : null;
    }

    @Override
    boolean apply(LabelsBuilder b) {
        if (exact != null) {
            for (String name : exact) {
                b.del(name);
            }
            return true;
        }
        if (prefix != null) {
            int i = insertionPoint(b, prefix);
            while (i < b.size() && b.name(i).startsWith(prefix)) {
                if (regex.matches(b.name(i))) {
                    b.removeAt(i);
                } else {
                    i++;
                }
            }
            return true;
        }
        for (int i = b.size() - 1; i >= 0; i--) {
            if (regex.matches(b.name(i)) == dropOnMatch) {
                b.removeAt(i);
            }
        }
        return true;
    }

    /** Index of the first label whose name is not below {@code name}. */
    static int insertionPoint(LabelsBuilder b, String name) {
        int i = b.indexOf(name);
        return i >= 0 ? i : -(i + 1);
    }
}
