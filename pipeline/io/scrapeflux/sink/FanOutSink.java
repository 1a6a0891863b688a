package io.scrapeflux.sink;

import io.scrapeflux.scrape.ScrapeBatch;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Writes every batch to several sinks (one per {@code remote_write} entry, plus stdout). Completes when
 * all have taken the batch; if some fail, the others still get it and the first error is signalled.
 */
public final class FanOutSink implements Sink {

    private final List<Sink> sinks;

    public FanOutSink(List<? extends Sink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    public List<Sink> sinks() {
        return sinks;
    }

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public Mono<Void> write(ScrapeBatch batch) {
        if (sinks.size() == 1) {
            return sinks.get(0).write(batch);
        }
        return Mono.whenDelayError(sinks.stream().map(s -> s.write(batch)).toList());
    }

    @Override
    public Mono<Void> shutdown() {
        return Mono.whenDelayError(sinks.stream().map(Sink::shutdown).toList());
    }
}
