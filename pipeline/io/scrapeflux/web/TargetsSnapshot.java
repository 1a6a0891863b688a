package io.scrapeflux.web;

import io.scrapeflux.model.Labels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The targets of all scrape pools at one moment.
 *
 * @param scrapePools   configured pool (job) names
 * @param active        active targets with health, per pool, in discovery order
 * @param dropped       discovered labels of dropped targets kept for display, per pool
 * @param droppedCounts how many targets each pool dropped, counting those not kept
 */
public record TargetsSnapshot(List<String> scrapePools, Map<String, List<ActiveTarget>> active,
        Map<String, List<Labels>> dropped, Map<String, Long> droppedCounts) {

    public static final TargetsSnapshot EMPTY = new TargetsSnapshot(List.of(), Map.of(), Map.of(), Map.of());

    /** Copies into sorted, unmodifiable collections so the API lists pools in name order as Prometheus does. */
    public TargetsSnapshot {
        scrapePools = scrapePools.stream().sorted().distinct().toList();
        active = sortedCopy(active);
        dropped = sortedCopy(dropped);
        droppedCounts = java.util.Collections.unmodifiableMap(new TreeMap<>(droppedCounts));
    }

    private static <T> Map<String, List<T>> sortedCopy(Map<String, List<T>> in) {
        TreeMap<String, List<T>> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }
}
