package io.scrapeflux.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** Reloads the configuration on SIGHUP, as Prometheus does. */
public final class SighupReload {

    private static final Logger log = LoggerFactory.getLogger(SighupReload.class);

    private SighupReload() {
    }

    /**
     * Installs the handler; returns false (and logs why) where SIGHUP cannot reach it: the platform has
     * no SIGHUP, or the process was started with SIGHUP ignored ({@code nohup}), which the JVM keeps, unlike
     * Prometheus's Go runtime. The reload runs asynchronously; its outcome is logged and reflected in the
     * reload metrics by the reloader.
     */
    public static boolean install(Reloader reloader) {
        SignalHandler previous;
        try {
            previous = Signal.handle(new Signal("HUP"), sig -> {
                log.info("Received SIGHUP, reloading configuration");
                reloader.reload().subscribe(null, e -> { });
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.atWarn().addKeyValue("err", e.getMessage()).log("SIGHUP reload not available on this platform");
            return false;
        }
        if (previous == SignalHandler.SIG_IGN) {
            // The JVM refuses to replace an inherited "ignore" of SIGHUP and returns it instead.
            log.warn("SIGHUP is ignored by this process (started with nohup?), so it cannot reload the "
                    + "configuration; use POST /-/reload with --web.enable-lifecycle, or start without nohup");
            return false;
        }
        return true;
    }
}
