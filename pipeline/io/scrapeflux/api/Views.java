package io.scrapeflux.api;

import io.scrapeflux.discovery.ProviderStatus;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.Target;
import io.scrapeflux.target.TargetSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the stages' internal types and the public ones; nothing here is per sample. */
final class Views {

    private Views() {
    }

    static List<TargetGroup> publicGroups(List<io.scrapeflux.discovery.TargetGroup> groups, String sourcePrefix) {
        List<TargetGroup> out = new ArrayList<>(groups.size());
        for (io.scrapeflux.discovery.TargetGroup g : groups) {
            out.add(new TargetGroup(sourcePrefix + g.source(), g.targets().stream().map(Labels::toMap).toList(),
                    g.labels().toMap()));
        }
        return out;
    }

    static List<io.scrapeflux.discovery.TargetGroup> internalGroups(List<TargetGroup> groups) {
        List<io.scrapeflux.discovery.TargetGroup> out = new ArrayList<>(groups.size());
        for (TargetGroup g : groups) {
            out.add(new io.scrapeflux.discovery.TargetGroup(g.source(),
                    g.targets().stream().map(Labels::fromMap).toList(), Labels.fromMap(g.labels())));
        }
        return out;
    }

    /**
     * One job's public view.
     *
     * @param health    health of the targets the scrape engine runs for the job
     * @param providers discovery statuses of every running provider
     */
    static JobTargets job(TargetSet set, Map<Target, TargetHealth> health, List<ProviderStatus> providers) {
        List<ScrapeTarget> active = new ArrayList<>(set.active().size());
        for (Target t : set.active()) {
            TargetHealth h = health.getOrDefault(t, TargetHealth.UNKNOWN);
            active.add(new ScrapeTarget(t.scrapePool(), t.labels().toMap(), t.discoveredLabels().toMap(),
                    t.scrapeUrl(), t.interval(), t.timeout(), health(h.health()), h.lastError()));
        }
        List<String> discoveryErrors = new ArrayList<>();
        for (ProviderStatus p : providers) {
            if (!p.healthy() && p.lastError() != null && p.jobs().contains(set.jobName())) {
                discoveryErrors.add(p.provider() + ": " + p.lastError());
            }
        }
        return new JobTargets(set.jobName(), active, set.droppedTotal(),
                set.errors().stream().map(TargetSet.TargetError::toString).toList(), discoveryErrors);
    }

    static Map<String, JobTargets> jobs(Map<String, TargetSet> sets, Map<String, Map<Target, TargetHealth>> health,
            List<ProviderStatus> providers) {
        Map<String, JobTargets> out = new LinkedHashMap<>();
        sets.keySet().stream().sorted().forEach(job ->
                out.put(job, job(sets.get(job), health.getOrDefault(job, new HashMap<>()), providers)));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static ScrapeTarget.Health health(TargetHealth.Health h) {
        return switch (h) {
            case UP -> ScrapeTarget.Health.UP;
            case DOWN -> ScrapeTarget.Health.DOWN;
            case UNKNOWN -> ScrapeTarget.Health.UNKNOWN;
        };
    }
}
