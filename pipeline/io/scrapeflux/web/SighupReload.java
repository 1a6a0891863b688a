package io.scrapeflux.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Reloads the configuration on SIGHUP, as Prometheus does. */
public final class SighupReload {

    private static final Logger log = LoggerFactory.getLogger(SighupReload.class);

    private SighupReload() {
    }

    /**
     * Installs the handler; returns false (and logs why) where the platform has no SIGHUP. The reload
     * runs asynchronously; its outcome is logged and reflected in the reload metrics by the reloader.
     */
    public static boolean install(Reloader reloader) {
        try {
            Signal.handle(new Signal("HUP"), sig -> {
                log.info("Received SIGHUP, reloading configuration");
                reloader.reload().subscribe(null, e -> { });
            });
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.atWarn().addKeyValue("err", e.getMessage()).log("SIGHUP reload not available on this platform");
            return false;
        }
    }
}
