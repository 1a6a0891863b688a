package io.scrapeflux.scrape;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * Where every loop of a manager hands its batches: one bounded, multi-producer path to a single
 * subscriber.
 *
 * <p>A loop reserves a slot <em>before</em> it scrapes ({@link #tryReserve()}); when none is free the
 * scrape is skipped (and counted by the caller), so a slow or absent subscriber costs skipped scrapes,
 * never unbounded memory. A reserved slot is filled with {@link #enqueue} or given back with
 * {@link #release()}. Staleness markers of a removed target are {@linkplain #enqueueForced forced} in
 * over the bound (at most one batch per removed target) because dropping them would leave series
 * looking alive.
 *
 * <p>Enqueueing and delivering are separate ({@link #drain()}) so a loop can enqueue under its own
 * lock, keeping its batches in order, and deliver after releasing it.
 */
final class BatchOutlet implements Subscription {

    private final Queue<ScrapeBatch> queue = Queues.<ScrapeBatch>unboundedMultiproducer().get();
    private final AtomicInteger freeSlots;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile CoreSubscriber<? super ScrapeBatch> actual;
    private volatile boolean cancelled;
    private volatile boolean done;

    BatchOutlet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("outlet capacity must be at least 1, got " + capacity);
        }
        this.freeSlots = new AtomicInteger(capacity);
    }

    Flux<ScrapeBatch> flux() {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super ScrapeBatch> s) {
                if (!subscribed.compareAndSet(false, true)) {
                    Operators.error(s, new IllegalStateException("ScrapeManager.batches() allows only one subscriber"));
                    return;
                }
                actual = s;
                s.onSubscribe(BatchOutlet.this);
                drain();
            }
        };
    }

    /** Takes a slot for one batch; false when the subscriber is behind (or gone) and the scrape should be skipped. */
    boolean tryReserve() {
        if (cancelled || done) {
            return false;
        }
        for (;;) {
            int free = freeSlots.get();
            if (free <= 0) {
                return false;
            }
            if (freeSlots.compareAndSet(free, free - 1)) {
                return true;
            }
        }
    }

    /** Gives back a reserved slot that will not be filled. */
    void release() {
        freeSlots.incrementAndGet();
    }

    /** Fills a reserved slot; call {@link #drain()} afterwards. */
    void enqueue(ScrapeBatch batch) {
        queue.offer(batch);
    }

    /** Enqueues without a reservation (staleness markers of removed targets). */
    void enqueueForced(ScrapeBatch batch) {
        freeSlots.decrementAndGet();
        queue.offer(batch);
    }

    /** Completes the flux once the queued batches are delivered. */
    void complete() {
        done = true;
        drain();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            requested.getAndUpdate(r -> r + n < 0 ? Long.MAX_VALUE : r + n);
            drain();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (wip.getAndIncrement() == 0) {
            queue.clear();
        }
    }

    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        for (;;) {
            CoreSubscriber<? super ScrapeBatch> a = actual;
            if (cancelled) {
                queue.clear();
            } else if (a != null) {
                long r = requested.get();
                long e = 0;
                while (e != r && !cancelled) {
                    ScrapeBatch b = queue.poll();
                    if (b == null) {
                        break;
                    }
                    freeSlots.incrementAndGet();
                    a.onNext(b);
                    e++;
                }
                if (e != 0 && r != Long.MAX_VALUE) {
                    requested.addAndGet(-e);
                }
                if (done && queue.isEmpty() && !cancelled) {
                    cancelled = true;
                    a.onComplete();
                }
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }
}
