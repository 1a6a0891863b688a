package io.scrapeflux.discovery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Virtual time for poll loops whose polls do real IO: it counts the timers the loop registered, so a test can wait
 * until the loop is parked on its next delay before advancing the clock (no race between IO threads and the test).
 */
public final class PollClock implements Scheduler {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicInteger timers = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();

    public int timers() {
        return timers.get();
    }

    /** Timers registered and neither run nor cancelled: zero means nothing can wake the loop again. */
    public int pending() {
        return pending.get();
    }

    private Disposable track(Runnable task, java.util.function.Function<Runnable, Disposable> schedule) {
        pending.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Disposable d = schedule.apply(() -> {
            if (done.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
            task.run();
        });
        // Counted only once registered at the current virtual time, so advancing after seeing it fires it.
        timers.incrementAndGet();
        return () -> {
            if (done.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
            d.dispose();
        };
    }

    /** Waits until at least {@code n} timers were registered, then advances the clock by {@code by}. */
    public void advanceAfterTimers(int n, Duration by) {
        Await.until(() -> timers.get() >= n);
        time.advanceTimeBy(by);
    }

    @Override
    public Disposable schedule(Runnable task) {
        return time.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return track(task, t -> time.schedule(t, delay, unit));
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        Disposable d = time.schedulePeriodically(task, initialDelay, period, unit);
        timers.incrementAndGet();
        return d;
    }

    @Override
    public long now(TimeUnit unit) {
        return time.now(unit);
    }

    @Override
    public Worker createWorker() {
        return time.createWorker();
    }

    @Override
    public void dispose() {
        time.dispose();
    }
}
