package io.scrapeflux.discovery;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test support: waiting for conditions caused by real IO, quiet Netty logs, BlockHound. */
public final class Await {

    // Generous: the build machine is shared and slow; the bound only turns a hang into a failure.
    private static final Duration BOUND = Duration.ofSeconds(60);

    private Await() {
    }

    /** BlockHound for the discovery tests (installed once per JVM) and quiet Netty logs. */
    public static void blockHound() {
        io.scrapeflux.testing.BlockHoundSession.install();
        quietNettyLogs();
    }

    public static void quietNettyLogs() {
        io.scrapeflux.testing.BlockHoundSession.quietNettyLogs();
    }

    /** Polls {@code condition} from the test thread (never a Reactor thread) until it holds. */
    public static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + BOUND);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }
}
