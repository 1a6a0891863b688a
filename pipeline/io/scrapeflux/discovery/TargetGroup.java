package io.scrapeflux.discovery;

import io.scrapeflux.model.Labels;
import java.util.List;

/**
 * A group of targets found by one discoverer under one source id, as Prometheus's {@code targetgroup.Group}.
 *
 * <p>{@code labels} apply to every target unless a target sets the same name. A group with no targets
 * means the source is gone: removal is data, not a separate signal.
 *
 * @param source  identity of the group within its discoverer (file path + index, pod uid, URL...)
 * @param targets one label set per target; each holds at least {@code __address__}
 * @param labels  labels common to the group (meta labels, static labels)
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {

    public TargetGroup {
        targets = List.copyOf(targets);
    }

    /** The group that tells subscribers {@code source} has no targets any more. */
    public static TargetGroup removed(String source) {
        return new TargetGroup(source, List.of(), Labels.EMPTY);
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }
}
