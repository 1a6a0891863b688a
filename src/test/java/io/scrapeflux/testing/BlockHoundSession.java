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
        BlockHound.install(b -> b
                // Logback's console appender writes synchronously; log lines from event loops are not the code under test.
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
                // Vert.x event loops belong to fabric8's HTTP client and the Kubernetes mock server, not to
                // scrapeflux; they read class files on first use of a class, which is not our code blocking.
                .nonBlockingThreadPredicate(p -> p.and(t -> !t.getName().startsWith("vert.x-"))));
    }
}
