package io.scrapeflux.exposition;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;

/** A reusable holder for one OpenMetrics exemplar, filled by {@link ExpositionParser#exemplar(Exemplar)}. */
public final class Exemplar {

    private final LabelsBuilder labels = Labels.builder();
    private double value;
    private boolean hasTimestamp;
    private long timestampMs;

    public LabelsBuilder labelsBuilder() {
        return labels;
    }

    public Labels labels() {
        return labels.build();
    }

    public double value() {
        return value;
    }

    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public void set(double value, boolean hasTimestamp, long timestampMs) {
        this.value = value;
        this.hasTimestamp = hasTimestamp;
        this.timestampMs = timestampMs;
    }
}
