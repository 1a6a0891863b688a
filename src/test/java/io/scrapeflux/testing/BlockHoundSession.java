package io.scrapeflux.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once, before any test class runs, so the whole suite runs under one set of rules
 * whatever order the classes run in. Installing later is unsafe: a Reactor thread already parked when
 * the JDK is instrumented is flagged on its next park and dies, hanging later tests.
 */
public final class BlockHoundSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    /**
     * Installs BlockHound if the session listener has not (a class run on its own in an IDE). Never shuts
     * Reactor's schedulers down: other components of the same JVM hold references to them.
     */
    public static void install() {
        BlockHound.install(b -> b
                // Logback's console appender writes synchronously; log lines from event loops are not the code under test.
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
                // Virtual time (a test tool standing in for Reactor's schedulers) keeps its tasks in a
                // PriorityBlockingQueue: an event loop scheduling or cancelling a timeout on it while the test
                // thread advances the clock waits on that queue's lock. Seen once: a dropped
                // BlockingOperationError, after which ScrapefluxPublicApiTest waited in vain for a scrape.
                .allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker", "doScheduleAtTime")
                .allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker", "dispose")
                .allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$TimedRunnable", "dispose")
                .allowBlockingCallsInside("reactor.test.scheduler.VirtualTimeScheduler$VirtualTimeWorker$PeriodicTask", "dispose")
                // Vert.x event loops belong to fabric8's HTTP client and the Kubernetes mock server, not to
                // scrapeflux; they read class files on first use of a class, which is not our code blocking.
                .nonBlockingThreadPredicate(p -> p.and(t -> !t.getName().startsWith("vert.x-"))));
    }

    /** Netty and Reactor Netty log every connection at DEBUG; that costs seconds per test on a loaded machine. */
    public static void quietNettyLogs() {
        for (String name : new String[] {"io.netty", "reactor.netty", "reactor.util"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        }
    }
}
