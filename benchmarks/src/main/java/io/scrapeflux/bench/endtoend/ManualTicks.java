package io.scrapeflux.bench.endtoend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A scheduler whose periodic tasks (the scrape loops' interval ticks) run only when {@link #tick()} is
 * called, on the caller's thread; everything else (scrape timeouts) goes to the parallel scheduler on
 * the real clock. Lets a benchmark start exactly one scrape per operation through the unmodified
 * {@code ScrapeManager} → loop → HTTP client path.
 */
final class ManualTicks implements Scheduler {

    private final Scheduler timers = Schedulers.parallel();
    private final List<Runnable> periodic = new CopyOnWriteArrayList<>();

    /** Fires every registered periodic task once, in registration order. */
    void tick() {
        for (Runnable r : periodic) {
            r.run();
        }
    }

    int periodicTasks() {
        return periodic.size();
    }

    @Override
    public Disposable schedule(Runnable task) {
        return timers.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return timers.schedule(task, delay, unit);
    }

    @Override
    public Worker createWorker() {
        Worker timerWorker = timers.createWorker();
        List<Runnable> mine = new CopyOnWriteArrayList<>();
        return new Worker() {
            @Override
            public Disposable schedule(Runnable task) {
                return timerWorker.schedule(task);
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                return timerWorker.schedule(task, delay, unit);
            }

            @Override
            public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
                periodic.add(task);
                mine.add(task);
                return () -> periodic.remove(task);
            }

            @Override
            public void dispose() {
                // a cancelled interval disposes its worker, not the periodic task's handle
                periodic.removeAll(mine);
                timerWorker.dispose();
            }

            @Override
            public boolean isDisposed() {
                return timerWorker.isDisposed();
            }
        };
    }
}
