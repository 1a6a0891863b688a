package io.scrapeflux.scrape;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Scrape body arrays shared by all loops of a manager, so memory follows the number of scrapes in
 * flight rather than the number of targets (10,000 targets × a 1 MB body would not fit otherwise).
 * Lock-free and bounded: at most {@code slots} arrays are kept, none larger than {@code maxKeptBytes};
 * when the pool is empty a new array is made, when it is full a returned array is left to the GC.
 */
final class BufferPool {

    private final AtomicReferenceArray<byte[]> slots;
    private final int maxKeptBytes;

    BufferPool(int slots, int maxKeptBytes) {
        this.slots = new AtomicReferenceArray<>(slots);
        this.maxKeptBytes = maxKeptBytes;
    }

    /** An array of at least {@code minSize} bytes, pooled when one is free. */
    byte[] acquire(int minSize) {
        int n = slots.length();
        int start = (int) (Thread.currentThread().getId() % n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            byte[] b = slots.get(i);
            if (b != null && slots.compareAndSet(i, b, null)) {
                if (b.length >= minSize) {
                    return b;
                }
                release(b);
                break;
            }
        }
        return new byte[Math.max(minSize, 4096)];
    }

    void release(byte[] b) {
        if (b == null || b.length > maxKeptBytes) {
            return;
        }
        int n = slots.length();
        int start = (int) (Thread.currentThread().getId() % n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            if (slots.get(i) == null && slots.compareAndSet(i, null, b)) {
                return;
            }
        }
    }
}
