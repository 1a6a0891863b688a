package io.scrapeflux.sink;

/**
 * How many shards a queue wants, recomputed every shard-update interval (10 s by default).
 *
 * <p>Each shard sends one request at a time, so one shard moves about {@code 1 / timePerSample} samples
 * per second, where {@code timePerSample} is the measured request time divided by the samples it carried.
 * The queue needs enough shards to keep up with what comes in, plus a share of the backlog: the backlog
 * is planned to be drained over ten intervals. Small differences (within 30 % of the current count) are
 * ignored so the queue does not flap, and nothing changes while sends are failing: more shards cannot
 * help a receiver that is down, they only multiply the retries. The result is clamped to
 * {@code [min_shards, max_shards]}.
 */
public final class ShardScaling {

    private static final double TOLERANCE = 0.3;
    private static final int BACKLOG_INTERVALS = 10;

    private ShardScaling() {
    }

    /**
     * @param current          shards in use
     * @param inRate           samples per second coming into the queue over the last interval
     * @param timePerSampleSec request seconds per sample sent over the last interval (0 when nothing was sent)
     * @param backlog          samples pending (on disk and in memory)
     * @param intervalSec      length of the interval in seconds
     * @param failing          whether any send failed during the interval
     */
    public static int desired(int current, int min, int max, double inRate, double timePerSampleSec, long backlog,
            double intervalSec, boolean failing) {
        int clampedCurrent = clamp(current, min, max);
        if (failing || timePerSampleSec <= 0 || intervalSec <= 0) {
            return clampedCurrent;
        }
        double wanted = timePerSampleSec * (inRate + backlog / (BACKLOG_INTERVALS * intervalSec));
        if (wanted > current * (1 - TOLERANCE) && wanted < current * (1 + TOLERANCE)) {
            return clampedCurrent;
        }
        return clamp((int) Math.ceil(wanted), min, max);
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
