package io.scrapeflux.discovery.azure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Network interfaces already read, kept as Prometheus keeps them: for ten refresh intervals plus a random share of
 * three more (so entries do not all expire in the same refresh), at most {@value #CAPACITY} entries. Interface reads
 * are one request per machine; without the cache a large subscription runs into Resource Manager's read limits.
 */
final class NicCache {

    static final int CAPACITY = 5000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Duration interval;
    private final LongSupplier nowMillis;

    NicCache(Duration interval, LongSupplier nowMillis) {
        this.interval = interval;
        this.nowMillis = nowMillis;
    }

    /** The cached interface, or null when absent or expired. */
    JsonNode get(String nicId) {
        Entry e = entries.get(nicId);
        if (e == null) {
            return null;
        }
        if (nowMillis.getAsLong() >= e.expiresAtMillis) {
            entries.remove(nicId, e);
            return null;
        }
        return e.nic;
    }

    void put(String nicId, JsonNode nic) {
        long now = nowMillis.getAsLong();
        if (entries.size() >= CAPACITY) {
            entries.values().removeIf(e -> now >= e.expiresAtMillis);
            if (entries.size() >= CAPACITY) {
                // Full of live entries: drop an arbitrary one rather than grow without bound.
                entries.keySet().stream().findFirst().ifPresent(entries::remove);
            }
        }
        long jitterSeconds = ThreadLocalRandom.current().nextLong(Math.max(1, interval.multipliedBy(3).toSeconds()));
        entries.put(nicId, new Entry(nic, now + interval.multipliedBy(10).toMillis() + jitterSeconds * 1000));
    }

    private record Entry(JsonNode nic, long expiresAtMillis) {
    }
}
