package io.scrapeflux.scrape;

import io.scrapeflux.exposition.ExpositionParsers;
import io.scrapeflux.model.Labels;
import java.util.Arrays;

/**
 * One target's memory of the series it exposes: raw series bytes (metric name and label block, exactly
 * as written) → the final label set after target labels and metric relabeling, or "dropped". A
 * steady-state scrape looks each sample up by the parser's hash and a byte comparison, so it neither
 * decodes nor relabels labels and allocates nothing.
 *
 * <p>Entries also carry the scrape iterations in which they were last seen and last emitted; the loop
 * uses them to find vanished series (staleness) and duplicates. Bounded: entries unseen for
 * {@link #RETAIN_SCRAPES} scrapes are evicted, failed scrapes that keep adding entries force a flush
 * (as Prometheus does), and the table never holds more than {@code maxEntries}; beyond that, new series
 * are still processed but not remembered. Confined to one loop; not thread-safe.
 */
final class SeriesCache {

    /** Scrapes an entry may go unseen before it is evicted. */
    static final int RETAIN_SCRAPES = 3;

    static final class Entry {
        final long hash;
        final byte[] key;
        /** Final labels; null when metric relabeling dropped the series. */
        final Labels labels;
        long lastSeen;
        long lastEmitted = -1;
        /**
         * The format whose parser checked the key: the parser defers checks to cache misses, and a key
         * valid in the laxer text format need not be valid OpenMetrics.
         */
        ExpositionParsers.Format checkedFormat;
        Entry next;

        Entry(long hash, byte[] key, Labels labels) {
            this.hash = hash;
            this.key = key;
            this.labels = labels;
        }

        boolean dropped() {
            return labels == null;
        }
    }

    private final int maxEntries;
    private Entry[] table = new Entry[64];
    private int size;
    private long iter;
    private int successfulSize;

    SeriesCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    int size() {
        return size;
    }

    /** The current scrape iteration; starts a new one. */
    long beginScrape() {
        return ++iter;
    }

    long iteration() {
        return iter;
    }

    /** The entry for these series bytes, or null. Does not touch the entry's iterations. */
    Entry get(byte[] buf, int off, int len, long hash) {
        for (Entry e = table[slot(hash, table.length)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, buf, off, off + len)) {
                return e;
            }
        }
        return null;
    }

    /** Remembers a new series (copying its bytes) unless the cache is full; returns the entry either way. */
    Entry put(byte[] buf, int off, int len, long hash, Labels labels) {
        Entry e = new Entry(hash, Arrays.copyOfRange(buf, off, off + len), labels);
        e.lastSeen = iter;
        if (size >= maxEntries) {
            return e;
        }
        if (size >= table.length - (table.length >> 2)) {
            grow();
        }
        int s = slot(hash, table.length);
        e.next = table[s];
        table[s] = e;
        size++;
        return e;
    }

    /**
     * Housekeeping after a scrape: periodically evicts entries unseen for {@link #RETAIN_SCRAPES} scrapes,
     * and when failed scrapes doubled the cache since the last success, keeps only this scrape's entries.
     *
     * @return whether a flush was forced
     */
    boolean endScrape(boolean success) {
        if (success) {
            if (iter % RETAIN_SCRAPES == 0) {
                evictOlderThan(iter - RETAIN_SCRAPES + 1);
            }
            successfulSize = size;
            return false;
        }
        if (size > successfulSize * 2 + 1000) {
            evictOlderThan(iter);
            return true;
        }
        return false;
    }

    private void evictOlderThan(long minLastSeen) {
        for (int i = 0; i < table.length; i++) {
            Entry prev = null;
            for (Entry e = table[i]; e != null; e = e.next) {
                if (e.lastSeen < minLastSeen) {
                    if (prev == null) {
                        table[i] = e.next;
                    } else {
                        prev.next = e.next;
                    }
                    size--;
                } else {
                    prev = e;
                }
            }
        }
    }

    private void grow() {
        Entry[] old = table;
        Entry[] bigger = new Entry[old.length << 1];
        for (Entry head : old) {
            Entry e = head;
            while (e != null) {
                Entry next = e.next;
                int s = slot(e.hash, bigger.length);
                e.next = bigger[s];
                bigger[s] = e;
                e = next;
            }
        }
        table = bigger;
    }

    private static int slot(long hash, int length) {
        return (int) (hash ^ (hash >>> 32)) & (length - 1);
    }
}
