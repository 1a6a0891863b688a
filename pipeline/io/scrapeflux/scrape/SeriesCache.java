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
 *
 * <p>Targets expose their series in the same order every scrape, so keys live in one arena in the order
 * they were first seen, and each lookup first tries the entry found at the same position in the last
 * scrape. In steady state the lookups walk the arena and the entries sequentially, which the CPU
 * prefetches, instead of visiting a hash bucket and a separate key array per sample.
 */
final class SeriesCache {

    /** Scrapes an entry may go unseen before it is evicted. */
    static final int RETAIN_SCRAPES = 3;

    static final class Entry {
        final long hash;
        /** Where the key bytes start in the arena (moves when the arena is compacted). */
        int keyOff;
        final int keyLen;
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

        Entry(long hash, int keyOff, int keyLen, Labels labels) {
            this.hash = hash;
            this.keyOff = keyOff;
            this.keyLen = keyLen;
            this.labels = labels;
        }

        boolean dropped() {
            return labels == null;
        }
    }

    private final int maxEntries;
    private Entry[] table = new Entry[64];
    private int size;
    private byte[] arena = new byte[4096];
    private int arenaUsed;
    private int deadBytes;
    /** Entries in the order the previous scrape looked them up, and this scrape's so far. */
    private Entry[] lastOrder = new Entry[0];
    private int lastCount;
    private Entry[] order = new Entry[16];
    private int count;
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
        Entry[] t = lastOrder;
        lastOrder = order;
        lastCount = count;
        order = t.length >= count ? t : new Entry[count];
        Arrays.fill(order, null);
        count = 0;
        return ++iter;
    }

    long iteration() {
        return iter;
    }

    /** The entry for these series bytes, or null. Does not touch the entry's iterations. */
    Entry get(byte[] buf, int off, int len, long hash) {
        if (count < lastCount) {
            Entry e = lastOrder[count];
            if (e != null && e.hash == hash && keyEquals(e, buf, off, len)) {
                return record(e);
            }
        }
        for (Entry e = table[slot(hash, table.length)]; e != null; e = e.next) {
            if (e.hash == hash && keyEquals(e, buf, off, len)) {
                return record(e);
            }
        }
        return null;
    }

    /** Remembers a new series (copying its bytes) unless the cache is full; returns the entry either way. */
    Entry put(byte[] buf, int off, int len, long hash, Labels labels) {
        if (size >= maxEntries) {
            // Not remembered: a throwaway entry with no key, never found again.
            Entry e = new Entry(hash, -1, len, labels);
            e.lastSeen = iter;
            record(null);
            return e;
        }
        if (arenaUsed + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
        }
        System.arraycopy(buf, off, arena, arenaUsed, len);
        Entry e = new Entry(hash, arenaUsed, len, labels);
        arenaUsed += len;
        e.lastSeen = iter;
        if (size >= table.length - (table.length >> 2)) {
            grow();
        }
        int s = slot(hash, table.length);
        e.next = table[s];
        table[s] = e;
        size++;
        return record(e);
    }

    private boolean keyEquals(Entry e, byte[] buf, int off, int len) {
        return e.keyLen == len && Arrays.equals(arena, e.keyOff, e.keyOff + len, buf, off, off + len);
    }

    private Entry record(Entry e) {
        if (count == order.length) {
            order = Arrays.copyOf(order, Math.max(16, count * 2));
        }
        order[count++] = e;
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
                    deadBytes += e.keyLen;
                } else {
                    prev = e;
                }
            }
        }
        // Evicted entries may still sit in the positional orders; a later compaction would move other
        // keys under their offsets, so they must never be tried again.
        dropEvicted(lastOrder, lastCount, minLastSeen);
        dropEvicted(order, count, minLastSeen);
        if (deadBytes > 64 * 1024 && deadBytes > arenaUsed / 2) {
            compact();
        }
    }

    private static void dropEvicted(Entry[] entries, int n, long minLastSeen) {
        for (int i = 0; i < n; i++) {
            if (entries[i] != null && entries[i].lastSeen < minLastSeen) {
                entries[i] = null;
            }
        }
    }

    /** Rewrites the arena with only the live keys, keeping their first-seen order. */
    private void compact() {
        Entry[] live = new Entry[size];
        int n = 0;
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                live[n++] = e;
            }
        }
        Arrays.sort(live, 0, n, (a, b) -> Integer.compare(a.keyOff, b.keyOff));
        byte[] fresh = new byte[Math.max(4096, (arenaUsed - deadBytes) + (arenaUsed - deadBytes) / 2)];
        int used = 0;
        for (int i = 0; i < n; i++) {
            Entry e = live[i];
            System.arraycopy(arena, e.keyOff, fresh, used, e.keyLen);
            e.keyOff = used;
            used += e.keyLen;
        }
        arena = fresh;
        arenaUsed = used;
        deadBytes = 0;
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
