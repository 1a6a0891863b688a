package io.scrapeflux.config;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Binds {@code relabel_configs}-shaped lists and validates each rule as Prometheus 3's relabel package does. */
final class RelabelBinder {

    private static final Set<RelabelAction> NEEDS_TARGET = EnumSet.of(RelabelAction.REPLACE, RelabelAction.HASHMOD,
            RelabelAction.LOWERCASE, RelabelAction.UPPERCASE, RelabelAction.KEEPEQUAL, RelabelAction.DROPEQUAL);
    private static final Set<RelabelAction> CASE_OR_EQUAL = EnumSet.of(RelabelAction.LOWERCASE, RelabelAction.UPPERCASE,
            RelabelAction.KEEPEQUAL, RelabelAction.DROPEQUAL);

    private RelabelBinder() {
    }

    /** Binds the list under {@code key}; {@code what} names it in errors ("relabel_configs"). */
    static List<RelabelConfig> bindList(Fields parent, String key, NameValidationScheme scheme) {
        List<RelabelConfig> out = new ArrayList<>();
        for (YamlNode item : parent.items(key, key + ": empty or null relabeling rule")) {
            RelabelConfig rc = bind(Fields.of(item, item.location(), key + " rule", parent.problems()), scheme);
            if (rc != null) {
                out.add(rc);
            }
        }
        return List.copyOf(out);
    }

    /** One rule; null when its action is unusable (the error is recorded). */
    static RelabelConfig bind(Fields f, NameValidationScheme scheme) {
        Problems p = f.problems();
        int before = p.count();
        List<String> sourceLabels = f.stringList("source_labels");
        if (sourceLabels != null) {
            for (String l : sourceLabels) {
                if (!LabelNames.isValid(l, NameValidationScheme.UTF8)) {
                    f.error("source_labels", "\"" + l + "\" is not a valid label name");
                }
            }
        }
        boolean hasSeparator = f.present("separator");
        String separator = f.stringOrZero("separator", RelabelConfig.DEFAULT_SEPARATOR);
        boolean hasRegex = f.present("regex");
        String regex = f.stringOrZero("regex", RelabelConfig.DEFAULT_REGEX);
        long modulus = f.uint("modulus");
        String targetLabel = f.stringOrZero("target_label", "");
        String replacement = f.stringOrZero("replacement", RelabelConfig.DEFAULT_REPLACEMENT);
        String actionName = f.string("action", RelabelAction.REPLACE.configName());
        f.finish();

        if (hasRegex) {
            try {
                Pattern.compile("^(?s:" + regex + ")$");
            } catch (PatternSyntaxException e) {
                f.error("regex", "invalid regex \"" + regex + "\": " + e.getDescription());
            }
        }
        RelabelAction action = parseAction(actionName);
        if (action == null) {
            f.error("action", "unknown relabel action \"" + actionName + "\"");
            return null;
        }
        String a = action.configName();
        if (modulus == 0 && action == RelabelAction.HASHMOD) {
            p.add(f.keyLocation("action"), "relabel configuration for hashmod requires non-zero modulus");
        }
        if (NEEDS_TARGET.contains(action) && targetLabel.isEmpty()) {
            p.add(f.location(), "relabel configuration for " + a + " action requires 'target_label' value");
        } else if (action == RelabelAction.REPLACE && !targetLabel.contains("$")
                && !LabelNames.isValid(targetLabel, scheme)
                || action == RelabelAction.REPLACE && targetLabel.contains("$")
                && !LabelNames.isValidTemplate(targetLabel, scheme)
                || (CASE_OR_EQUAL.contains(action) || action == RelabelAction.HASHMOD)
                && !LabelNames.isValid(targetLabel, scheme)) {
            f.error("target_label", "\"" + targetLabel + "\" is invalid 'target_label' for " + a + " action");
        }
        boolean replacementSet = !replacement.equals(RelabelConfig.DEFAULT_REPLACEMENT);
        if (CASE_OR_EQUAL.contains(action) && replacementSet) {
            f.error("replacement", "'replacement' can not be set for " + a + " action");
        }
        if (action == RelabelAction.LABELMAP && !LabelNames.isValidTemplate(replacement, scheme)) {
            f.error("replacement", "\"" + replacement + "\" is invalid 'replacement' for " + a + " action");
        }
        boolean separatorSet = hasSeparator && !separator.equals(RelabelConfig.DEFAULT_SEPARATOR);
        if ((action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL)
                && (hasRegex && !regex.equals(RelabelConfig.DEFAULT_REGEX) || modulus != 0 || separatorSet || replacementSet)) {
            p.add(f.keyLocation("action"), a + " action requires only 'source_labels' and `target_label`, and no other fields");
        }
        if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
                && (sourceLabels != null || !targetLabel.isEmpty() || modulus != 0 || separatorSet || replacementSet)) {
            p.add(f.keyLocation("action"), a + " action requires only 'regex', and no other fields");
        }
        if (p.count() != before) {
            return null;
        }
        return new RelabelConfig(sourceLabels == null ? List.of() : List.copyOf(sourceLabels), separator, regex,
                modulus, targetLabel, replacement, action, f.location());
    }

    static RelabelAction parseAction(String name) {
        for (RelabelAction a : RelabelAction.values()) {
            if (a.configName().equals(Fields.lower(name))) {
                return a;
            }
        }
        return null;
    }
}
