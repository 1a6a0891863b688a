package io.scrapeflux.discovery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import reactor.blockhound.BlockHound;
import reactor.core.scheduler.Schedulers;

/** Test support: waiting for conditions caused by real IO, quiet Netty logs, BlockHound. */
public final class Await {

    // Generous: the build machine is shared and slow; the bound only turns a hang into a failure.
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final AtomicBoolean BLOCKHOUND = new AtomicBoolean();

    private Await() {
    }

    /**
     * Installs BlockHound once per JVM. Reactor's cached schedulers are shut down first: a scheduler thread already
     * parked when BlockHound instruments the JDK would be flagged on its next park and die, so they are recreated
     * after the installation.
     */
    public static void blockHound() {
        if (BLOCKHOUND.compareAndSet(false, true)) {
            Schedulers.shutdownNow();
            BlockHound.install(b -> b.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender",
                    "writeBytes"));
        }
        quietNettyLogs();
    }

    /** Netty and Reactor Netty log every connection at DEBUG; that costs seconds per test on the shared machine. */
    public static void quietNettyLogs() {
        for (String name : new String[] {"io.netty", "reactor.netty", "reactor.util"}) {
            org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(name);
            if (logger instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
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
