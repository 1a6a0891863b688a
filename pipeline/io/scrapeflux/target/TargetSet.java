package io.scrapeflux.target;

import io.scrapeflux.model.Labels;
import java.util.List;

/**
 * The targets of one scrape job after building all its target groups: what the scrape manager runs
 * and what the targets API shows.
 *
 * @param jobName      the scrape pool
 * @param active       targets to scrape, one per distinct {@link Target#identity()}, in discovery order
 * @param dropped      discovered labels of dropped targets, at most {@code keep_dropped_targets} (0: all)
 * @param droppedTotal how many targets were dropped, counting those not kept
 * @param errors       targets that could not be built
 */
public record TargetSet(String jobName, List<Target> active, List<Labels> dropped, long droppedTotal,
        List<TargetError> errors) {

    public TargetSet {
        active = List.copyOf(active);
        dropped = List.copyOf(dropped);
        errors = List.copyOf(errors);
    }

    /**
     * A target that could not be built.
     *
     * @param group            source of its target group
     * @param index            position of the target in its group
     * @param discoveredLabels its labels before relabeling
     * @param message          the reason, as Prometheus words it
     */
    public record TargetError(String group, int index, Labels discoveredLabels, String message) {

        /** The full message Prometheus logs: {@code instance 0 in group file.yml:0: no address}. */
        @Override
        public String toString() {
            return "instance " + index + " in group " + group + ": " + message;
        }
    }
}
