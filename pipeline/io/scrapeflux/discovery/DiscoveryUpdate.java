package io.scrapeflux.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link DiscoveryManager} tells its subscribers about one job.
 *
 * <p>{@code groups} is always the job's complete current state (only non-empty groups). {@code changed} names the
 * sources that differ from what this subscriber saw before: a key in {@code changed} but not in {@code groups} was
 * removed. When {@code full} is true the subscriber must treat {@code groups} as a replacement of everything it knew
 * about the job (first update to a subscriber, the job's providers changed on reload, or the job was removed — then
 * {@code groups} is empty); {@code changed} then equals {@code groups.keySet()}.
 *
 * @param job     the scrape job name
 * @param groups  every current group of the job, by source key (unmodifiable)
 * @param changed sources added, changed or removed since this subscriber's previous update for the job
 * @param full    whether {@code groups} replaces all earlier state of the job
 */
public record DiscoveryUpdate(String job, Map<SourceKey, TargetGroup> groups, Set<SourceKey> changed, boolean full) {

    public DiscoveryUpdate {
        groups = Map.copyOf(groups);
        changed = Set.copyOf(changed);
    }

    /** Whether {@code key} was reported as changed and is gone now. */
    public boolean isRemoved(SourceKey key) {
        return changed.contains(key) && !groups.containsKey(key);
    }

    /** The current groups of the changed sources (removed sources have none). */
    public List<TargetGroup> changedGroups() {
        List<TargetGroup> out = new ArrayList<>(changed.size());
        for (SourceKey key : changed) {
            TargetGroup g = groups.get(key);
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    /** Number of targets over all groups. */
    public int targetCount() {
        int n = 0;
        for (TargetGroup g : groups.values()) {
            n += g.targets().size();
        }
        return n;
    }
}
