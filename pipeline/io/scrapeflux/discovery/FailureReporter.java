package io.scrapeflux.discovery;

/**
 * Where a discoverer reports failures it retries internally (a poll that failed, a file that did not parse), so the
 * manager can expose them (status page, metrics) while the discoverer keeps its last good state.
 */
public interface FailureReporter {

    FailureReporter NONE = new FailureReporter() {
        @Override
        public void failure(Throwable error) {
        }

        @Override
        public void success() {
        }
    };

    /** One attempt failed; the discoverer keeps its last good state and retries. */
    void failure(Throwable error);

    /** One attempt succeeded after zero or more failures. */
    void success();
}
