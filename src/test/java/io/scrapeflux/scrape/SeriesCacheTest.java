package io.scrapeflux.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A toy hash with many collisions, so equal hashes with different keys are exercised too. */
    private static long hash(byte[] k) {
        return k.length % 3;
    }

    private static SeriesCache.Entry lookup(SeriesCache cache, String series) {
        byte[] k = key(series);
        SeriesCache.Entry e = cache.get(k, 0, k.length, hash(k));
        if (e == null) {
            e = cache.put(k, 0, k.length, hash(k), Labels.of("__name__", series));
        }
        e.lastSeen = cache.iteration();
        return e;
    }

    private static void scrape(SeriesCache cache, List<String> series) {
        cache.beginScrape();
        for (String s : series) {
            assertThat(lookup(cache, s).labels).isEqualTo(Labels.of("__name__", s));
        }
        cache.endScrape(true);
    }

    @Test
    void reorderedInsertedAndRemovedSeriesFindTheirOwnEntries() {
        SeriesCache cache = new SeriesCache(1000);
        scrape(cache, List.of("a{x=\"1\"}", "b", "c{y=\"2\"}", "d"));
        scrape(cache, List.of("a{x=\"1\"}", "b", "c{y=\"2\"}", "d"));
        scrape(cache, List.of("d", "new", "c{y=\"2\"}", "a{x=\"1\"}"));
        scrape(cache, List.of("b", "a{x=\"1\"}"));
        assertThat(cache.size()).isEqualTo(5);
    }

    @Test
    void evictionAndCompactionKeepEveryLiveKeyFindable() {
        SeriesCache cache = new SeriesCache(1_000_000);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            all.add("series_with_a_long_name_" + i + (i % 2 == 0 ? "_evicted_soon_so_its_key_is_long" : "")
                    + "{label=\"value " + i + "\"}");
        }
        scrape(cache, all);
        List<String> odd = new ArrayList<>();
        for (int i = 1; i < all.size(); i += 2) {
            odd.add(all.get(i));
        }
        // Unseen for RETAIN_SCRAPES scrapes: the even half is evicted and the arena compacted.
        for (int i = 0; i < 2 * SeriesCache.RETAIN_SCRAPES; i++) {
            scrape(cache, odd);
        }
        assertThat(cache.size()).isEqualTo(odd.size());
        scrape(cache, odd);
        scrape(cache, all);
        assertThat(cache.size()).isEqualTo(all.size());
    }

    @Test
    void aFullCacheRemembersNothingMore() {
        SeriesCache cache = new SeriesCache(2);
        scrape(cache, List.of("a", "b", "c"));
        cache.beginScrape();
        byte[] c = key("c");
        assertThat(cache.get(c, 0, c.length, hash(c))).isNull();
        assertThat(cache.size()).isEqualTo(2);
    }
}
