package io.scrapeflux.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Targets found by a discoverer under one source, as Prometheus's {@code targetgroup.Group}: what a
 * custom discoverer emits (see {@link Scrapeflux.Builder#discoverer}) and what {@link Discovery#of}
 * delivers.
 *
 * <p>A discoverer's flux emits lists of groups: the first list is its full current state, later lists
 * hold only the groups that changed; a group with no targets removes its source.
 *
 * @param source  identity of the group within its discoverer (a file and index, a service name...)
 * @param targets one label set per target, each with at least {@code __address__} ({@code host:port})
 * @param labels  labels common to every target of the group (a target's own label of the same name wins)
 */
public record TargetGroup(String source, List<Map<String, String>> targets, Map<String, String> labels) {

    public TargetGroup {
        Objects.requireNonNull(source, "source");
        targets = targets.stream().map(Map::copyOf).toList();
        labels = Map.copyOf(labels);
    }

    /** A group of plain {@code host:port} addresses sharing {@code labels}. */
    public static TargetGroup of(String source, Map<String, String> labels, String... addresses) {
        return new TargetGroup(source, java.util.Arrays.stream(addresses)
                .map(a -> Map.of("__address__", a)).toList(), labels);
    }

    /** The group telling subscribers {@code source} has no targets any more. */
    public static TargetGroup removed(String source) {
        return new TargetGroup(source, List.of(), Map.of());
    }
}
