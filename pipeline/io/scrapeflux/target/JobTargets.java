package io.scrapeflux.target;

import io.scrapeflux.discovery.DiscoveryUpdate;
import io.scrapeflux.discovery.SourceKey;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The targets of one job, kept up to date from discovery updates.
 *
 * <p>Built targets are remembered per source, so an update that changes one source relabels only that
 * source's targets: the cost of a pod event is O(that pod), not O(the job). Assembling the job's
 * {@link TargetSet} from the remembered results is a walk over references, with no relabeling.
 * Not thread-safe: one discovery subscriber drives it.
 */
public final class JobTargets {

    private TargetBuilder builder;
    private final Map<SourceKey, Built> bySource = new LinkedHashMap<>();

    private record Built(TargetGroup group, List<TargetResult> results) {
    }

    public JobTargets(TargetBuilder builder) {
        this.builder = builder;
    }

    public TargetBuilder builder() {
        return builder;
    }

    /** Applies one update of this job and returns the job's whole target set after it. */
    public TargetSet apply(DiscoveryUpdate update) {
        if (update.full()) {
            bySource.clear();
            update.groups().forEach(this::put);
        } else {
            for (SourceKey key : update.changed()) {
                TargetGroup g = update.groups().get(key);
                if (g == null) {
                    bySource.remove(key);
                } else {
                    put(key, g);
                }
            }
        }
        return targetSet();
    }

    /** Rebuilds every remembered group with a new builder (the job's config changed but its discovery did not). */
    public TargetSet rebuild(TargetBuilder next) {
        this.builder = next;
        bySource.replaceAll((key, built) -> new Built(built.group(), next.build(built.group())));
        return targetSet();
    }

    /** Builds {@code group} and remembers it under {@code key}, replacing what was there. */
    void put(SourceKey key, TargetGroup group) {
        bySource.put(key, new Built(group, builder.build(group)));
    }

    /** The job's targets: duplicates (same identity) collapse, dropped ones kept up to keep_dropped_targets. */
    public TargetSet targetSet() {
        long keepDropped = builder.job().limits() == null ? 0 : builder.job().limits().keepDroppedTargets();
        List<Target> active = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Labels> dropped = new ArrayList<>();
        long droppedTotal = 0;
        List<TargetSet.TargetError> errors = new ArrayList<>();
        for (Built built : bySource.values()) {
            List<TargetResult> results = built.results();
            for (int i = 0; i < results.size(); i++) {
                TargetResult r = results.get(i);
                if (r instanceof TargetResult.Active a) {
                    if (seen.add(a.target().identity())) {
                        active.add(a.target());
                    }
                } else if (r instanceof TargetResult.Dropped d) {
                    if (keepDropped == 0 || dropped.size() < keepDropped) {
                        dropped.add(d.discoveredLabels());
                    }
                    droppedTotal++;
                } else if (r instanceof TargetResult.Failed f) {
                    errors.add(new TargetSet.TargetError(built.group().source(), i, f.discoveredLabels(), f.message()));
                }
            }
        }
        return new TargetSet(builder.job().jobName(), active, dropped, droppedTotal, errors);
    }
}
