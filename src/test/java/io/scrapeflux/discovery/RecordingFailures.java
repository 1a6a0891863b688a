package io.scrapeflux.discovery;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link FailureReporter} that remembers what it was told, for assertions. */
public final class RecordingFailures implements FailureReporter {

    public final List<Throwable> failures = new CopyOnWriteArrayList<>();
    public final AtomicInteger successes = new AtomicInteger();

    @Override
    public void failure(Throwable error) {
        failures.add(error);
    }

    @Override
    public void success() {
        successes.incrementAndGet();
    }
}
