package io.scrapeflux.discovery.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class NicCacheTest {

    private static final Duration INTERVAL = Duration.ofMinutes(5);

    @Test
    void entriesLiveTenIntervalsPlusJitterOfAtMostThree() {
        AtomicLong now = new AtomicLong(1_000);
        NicCache cache = new NicCache(INTERVAL, now::get);
        var nic = JsonNodeFactory.instance.objectNode().put("name", "nic1");
        cache.put("nic1", nic);
        assertThat(cache.get("nic1")).isSameAs(nic);
        assertThat(cache.get("other")).isNull();
        now.addAndGet(INTERVAL.multipliedBy(10).toMillis() - 1);
        assertThat(cache.get("nic1")).isSameAs(nic);
        now.addAndGet(INTERVAL.multipliedBy(3).toMillis() + 1);
        assertThat(cache.get("nic1")).isNull();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        AtomicLong now = new AtomicLong();
        NicCache cache = new NicCache(INTERVAL, now::get);
        for (int i = 0; i <= NicCache.CAPACITY; i++) {
            cache.put("nic" + i, JsonNodeFactory.instance.objectNode());
        }
        int present = 0;
        for (int i = 0; i <= NicCache.CAPACITY; i++) {
            present += cache.get("nic" + i) == null ? 0 : 1;
        }
        assertThat(present).isEqualTo(NicCache.CAPACITY);
        assertThat(cache.get("nic" + NicCache.CAPACITY)).isNotNull();
    }
}
