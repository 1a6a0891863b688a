package io.scrapeflux.relabel;

import io.scrapeflux.config.LabelNames;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.LabelsBuilder;

/**
 * replace: when the joined source value matches, expand the target-label and replacement templates
 * against the match; an expanded target that is not a valid label name makes the rule do nothing, an
 * empty replacement deletes the target label.
 */
final class ReplaceStep extends Step {

    private final LabelRegex regex;
    private final Template target;
    private final Template replacement;
    private final NameValidationScheme scheme;
    /** The target label when it has no references and is valid: no per-call check needed. */
    private final String fixedTarget;

    ReplaceStep(RelabelConfig rule, LabelRegex regex, NameValidationScheme scheme) {
        super(rule);
        this.regex = regex;
        this.scheme = scheme;
        String t = rule.targetLabel() == null ? "" : rule.targetLabel();
        this.target = Template.parse(t, regex);
        this.replacement = Template.parse(
                rule.replacement() == null ? RelabelConfig.DEFAULT_REPLACEMENT : rule.replacement(), regex);
        this.fixedTarget = target.isLiteral() && LabelNames.isValid(target.literal(), scheme) ? target.literal() : null;
    }

    @Override
    boolean apply(LabelsBuilder b) {
        String val = sourceValue(b);
        LabelRegex.Groups m = regex.match(val);
        if (m == null) {
            return true;
        }
        String name = fixedTarget;
        if (name == null) {
            name = target.expand(val, m);
            if (!LabelNames.isValid(name, scheme)) {
                return true;
            }
        }
        String value = replacement.expand(val, m);
        if (value.isEmpty()) {
            b.del(name);
        } else {
            b.set(name, value);
        }
        return true;
    }
}
