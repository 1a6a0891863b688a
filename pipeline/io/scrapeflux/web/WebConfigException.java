package io.scrapeflux.web;

/** A web config file that cannot be used; the message says what and where. */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message);
    }
}
