package io.scrapeflux.sink;

import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import io.scrapeflux.relabel.RelabelChain;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A per-series rewrite applied before a sample leaves for a remote: external labels, then
 * {@code write_relabel_configs}. Returns {@code null} to drop the series.
 *
 * <p>Implementations must be pure functions of their input (results are cached per series by the
 * encoder), and cheap enough to run once per new series.
 */
@FunctionalInterface
public interface SeriesTransform {

    SeriesTransform IDENTITY = labels -> labels;

    /** The rewritten series, or {@code null} when it must not be sent. */
    Labels apply(Labels labels);

    /** This transform, then {@code next} (skipped when this one dropped the series). */
    default SeriesTransform andThen(SeriesTransform next) {
        Objects.requireNonNull(next, "next");
        return labels -> {
            Labels out = apply(labels);
            return out == null ? null : next.apply(out);
        };
    }

    /**
     * Adds {@code externalLabels} to every series that does not already carry a label of that name,
     * as Prometheus does (the series' own label wins). Empty external values are ignored.
     */
    static SeriesTransform externalLabels(Map<String, String> externalLabels) {
        if (externalLabels == null || externalLabels.isEmpty()) {
            return IDENTITY;
        }
        Labels ext = Labels.fromMap(externalLabels);
        return labels -> {
            LabelsBuilder b = null;
            for (int i = 0; i < ext.size(); i++) {
                if (!labels.has(ext.name(i))) {
                    if (b == null) {
                        b = labels.toBuilder();
                    }
                    b.set(ext.name(i), ext.value(i));
                }
            }
            return b == null ? labels : b.build();
        };
    }

    /** {@code write_relabel_configs} as a transform ({@link #IDENTITY} when there are none). */
    static SeriesTransform writeRelabel(List<RelabelConfig> rules, NameValidationScheme scheme) {
        if (rules == null || rules.isEmpty()) {
            return IDENTITY;
        }
        RelabelChain chain = RelabelChain.compile(rules, scheme);
        return chain.isEmpty() ? IDENTITY : chain::apply;
    }
}
