package io.scrapeflux.relabel;

import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.List;

/**
 * A list of relabel rules compiled once into a chain of steps, as Prometheus's {@code relabel.Process}.
 *
 * <p>Thread-safe and meant to be shared: one chain per {@code relabel_configs}, {@code
 * metric_relabel_configs} or {@code write_relabel_configs} list. Rules run in order on one builder; a
 * rule that drops stops the chain. A chain whose rules change nothing returns its input instance and
 * allocates nothing.
 */
public final class RelabelChain {

    private static final RelabelChain EMPTY = new RelabelChain(new Step[0]);

    private final Step[] steps;
    /** One reusable builder per thread that calls {@link #apply}. */
    private final ThreadLocal<LabelsBuilder> builders = ThreadLocal.withInitial(() -> LabelsBuilder.of(Labels.EMPTY));

    private RelabelChain(Step[] steps) {
        this.steps = steps;
    }

    /**
     * Compiles {@code rules} (already validated by the config loader). {@code scheme} decides which
     * expanded target-label names are valid; null means UTF-8, Prometheus 3's default.
     *
     * @throws IllegalArgumentException if a regex does not compile or a rule is unusable (hashmod modulus 0)
     */
    public static RelabelChain compile(List<RelabelConfig> rules, NameValidationScheme scheme) {
        if (rules == null || rules.isEmpty()) {
            return EMPTY;
        }
        NameValidationScheme s = scheme == null ? NameValidationScheme.UTF8 : scheme;
        Step[] steps = new Step[rules.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = compile(rules.get(i), s);
        }
        return new RelabelChain(steps);
    }

    private static Step compile(RelabelConfig rule, NameValidationScheme scheme) {
        String re = rule.regex() == null ? RelabelConfig.DEFAULT_REGEX : rule.regex();
        return switch (rule.action()) {
            case REPLACE -> new ReplaceStep(rule, LabelRegex.compile(re), scheme);
            case KEEP -> new FilterStep(rule, LabelRegex.compile(re), true);
            case DROP -> new FilterStep(rule, LabelRegex.compile(re), false);
            case KEEPEQUAL -> new EqualStep(rule, true);
            case DROPEQUAL -> new EqualStep(rule, false);
            case HASHMOD -> new HashModStep(rule);
            case LABELMAP -> new LabelMapStep(rule, LabelRegex.compile(re));
            case LABELDROP -> new LabelFilterStep(rule, LabelRegex.compile(re), true);
            case LABELKEEP -> new LabelFilterStep(rule, LabelRegex.compile(re), false);
            case LOWERCASE -> new CaseStep(rule, false);
            case UPPERCASE -> new CaseStep(rule, true);
        };
    }

    /** Whether the chain has no rules (then {@link #apply} is the identity). */
    public boolean isEmpty() {
        return steps.length == 0;
    }

    /** Number of rules. */
    public int size() {
        return steps.length;
    }

    /**
     * Relabels {@code in}: the resulting labels, {@code in} itself when no rule changed anything, or
     * {@code null} when a rule dropped it.
     */
    public Labels apply(Labels in) {
        if (steps.length == 0) {
            return in;
        }
        LabelsBuilder b = builders.get().reset(in);
        if (!process(b)) {
            b.reset(Labels.EMPTY); // let go of the input's strings
            return null;
        }
        Labels out = b.build();
        b.reset(Labels.EMPTY);
        return out;
    }

    /** Relabels the builder's labels in place; false when a rule dropped them (the builder is then undefined). */
    public boolean process(LabelsBuilder b) {
        for (Step step : steps) {
            if (!step.apply(b)) {
                return false;
            }
        }
        return true;
    }
}
