package io.scrapeflux.scrape;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Scrape body arrays shared by all loops of a manager, so memory follows the number of scrapes in
 * flight rather than the number of targets (10,000 targets × a 1 MB body would not fit otherwise).
 * Lock-free and bounded: at most {@code slots} arrays and {@code maxPooledBytes} in all are kept, none
 * larger than {@code maxKeptBytes}; when no kept array is big enough a new one is made, and a returned
 * array that does not fit the bounds is left to the GC (or replaces a smaller kept one).
 */
final class BufferPool {

    /** Default bound on the bytes kept: a few large bodies, or many small ones. */
    static final long DEFAULT_MAX_POOLED_BYTES = 32L << 20;

    private final AtomicReferenceArray<byte[]> slots;
    private final int maxKeptBytes;
    private final long maxPooledBytes;
    private final AtomicLong pooledBytes = new AtomicLong();

    BufferPool(int slots, int maxKeptBytes) {
        this(slots, maxKeptBytes, DEFAULT_MAX_POOLED_BYTES);
    }

    BufferPool(int slots, int maxKeptBytes, long maxPooledBytes) {
        this.slots = new AtomicReferenceArray<>(slots);
        this.maxKeptBytes = maxKeptBytes;
        this.maxPooledBytes = maxPooledBytes;
    }

    /**
     * An array of at least {@code minSize} bytes: a kept one that is big enough when there is one. Smaller
     * kept arrays stay for smaller bodies; taking and returning them would only churn the pool.
     */
    byte[] acquire(int minSize) {
        int n = slots.length();
        int start = (int) (Thread.currentThread().getId() % n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            byte[] b = slots.get(i);
            if (b != null && b.length >= minSize && slots.compareAndSet(i, b, null)) {
                pooledBytes.addAndGet(-b.length);
                return b;
            }
        }
        return new byte[Math.max(minSize, 4096)];
    }

    /**
     * Keeps {@code b} for a later scrape when the bounds allow. A full pool gives up its smallest array
     * for a bigger one: bodies grow through a few sizes on a target's first scrapes, and a pool left full
     * of those outgrown arrays would make every later scrape allocate its body afresh.
     */
    void release(byte[] b) {
        if (b == null || b.length > maxKeptBytes) {
            return;
        }
        if (pooledBytes.addAndGet(b.length) > maxPooledBytes) {
            pooledBytes.addAndGet(-b.length);
            return;
        }
        int n = slots.length();
        int start = (int) (Thread.currentThread().getId() % n);
        int victimSlot = -1;
        byte[] victim = null;
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            byte[] kept = slots.get(i);
            if (kept == null) {
                if (slots.compareAndSet(i, null, b)) {
                    return;
                }
            } else if (kept.length < b.length && (victim == null || kept.length < victim.length)) {
                victim = kept;
                victimSlot = i;
            }
        }
        if (victim != null && slots.compareAndSet(victimSlot, victim, b)) {
            pooledBytes.addAndGet(-victim.length);
            return;
        }
        pooledBytes.addAndGet(-b.length);
    }

    /** Bytes currently kept. */
    long pooledBytes() {
        return pooledBytes.get();
    }
}
