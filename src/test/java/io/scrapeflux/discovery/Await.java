package io.scrapeflux.discovery;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Waits for a condition caused by real IO (a file event, an HTTP response), failing after a generous bound. */
public final class Await {

    private static final Duration BOUND = Duration.ofSeconds(20);

    private Await() {
    }

    public static void until(BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            return;
        }
        StepVerifier.create(Flux.interval(Duration.ofMillis(10)).takeUntil(i -> condition.getAsBoolean()))
                .thenConsumeWhile(i -> true)
                .expectComplete()
                .verify(BOUND);
    }
}
