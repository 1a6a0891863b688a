package io.scrapeflux.sink;

import io.scrapeflux.scrape.ScrapeBatch;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where scrape batches go. Library users implement this to receive samples.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #write(ScrapeBatch)} returns a {@code Mono} that completes once the sink has taken
 *       responsibility for the batch: for {@link RemoteWriteSink} that means "appended to the disk
 *       queue" (it survives a kill -9), not "acknowledged by the receiver". Backpressure is that
 *       completion: a caller must not have more than one {@code write} of the same producer outstanding,
 *       which {@link #consume(Flux)} guarantees with {@code concatMap}.</li>
 *   <li>{@code write} may be called from any thread, including Netty event loops and Reactor parallel
 *       threads; implementations must not block the caller thread (they hop to their own scheduler).
 *       The completion may be signalled on that scheduler's thread: what the caller does next must
 *       not block either.</li>
 *   <li>The batch is immutable and may be shared with other sinks; implementations must not keep it
 *       past the completion of the returned {@code Mono} unless they copy what they need.</li>
 *   <li>An error signal means the batch was not taken (for example the sink is closed or its disk is
 *       unwritable); the caller decides whether to drop or retry.</li>
 * </ul>
 */
public interface Sink extends AutoCloseable {

    /** A short name for logs and metrics, e.g. the {@code remote_write} name. */
    String name();

    /** Takes responsibility for {@code batch}; completes when it has (see the class contract). */
    Mono<Void> write(ScrapeBatch batch);

    /** Writes every batch of {@code batches} in order, one at a time; completes when the flux does. */
    default Mono<Void> consume(Flux<ScrapeBatch> batches) {
        return batches.concatMap(this::write, 0).then();
    }

    /** Flushes what can be flushed quickly and releases resources; pending data stays on disk where applicable. */
    Mono<Void> shutdown();

    @Override
    default void close() {
        shutdown().block();
    }
}
