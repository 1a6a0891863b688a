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
 * <p>A loop asks {@link #hasRoom()} <em>before</em> it scrapes; when {@code capacity} batches already
 * wait for the subscriber, the scrape is skipped (and counted by the caller), so a slow or absent
 * subscriber costs skipped scrapes, never unbounded memory. Scrapes already in flight when the outlet
 * fills still deliver their batch, so the queue holds at most {@code capacity} plus one batch per
 * target (and the staleness markers of removed targets, which must never be dropped).
 *
 * <p>Enqueueing and delivering are separate ({@link #drain()}) so a loop can enqueue under its own
 * lock, keeping its batches in order, and deliver after releasing it.
 */
final class BatchOutlet implements Subscription {

    private final Queue<ScrapeBatch> queue = Queues.<ScrapeBatch>unboundedMultiproducer().get();
    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
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
        this.capacity = capacity;
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

    /** Whether a scrape may start: the subscriber is there (or not yet subscribed) and not {@code capacity} batches behind. */
    boolean hasRoom() {
        return !cancelled && !done && queued.get() < capacity;
    }

    /** Batches waiting for the subscriber; 0 when the outlet is idle. */
    int queued() {
        return queued.get();
    }

    /** Queues a batch; call {@link #drain()} afterwards (outside any lock). */
    void enqueue(ScrapeBatch batch) {
        queued.incrementAndGet();
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
        drain();
    }

    private void clear() {
        while (queue.poll() != null) {
            queued.decrementAndGet();
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
                clear();
            } else if (a != null) {
                long r = requested.get();
                long e = 0;
                while (e != r && !cancelled) {
                    ScrapeBatch b = queue.poll();
                    if (b == null) {
                        break;
                    }
                    queued.decrementAndGet();
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
