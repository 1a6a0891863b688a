package io.scrapeflux.cli;

import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.RemoteWriteConfig;
import io.scrapeflux.sink.FanOutSink;
import io.scrapeflux.sink.QueueMetrics;
import io.scrapeflux.sink.RemoteWriteSink;
import io.scrapeflux.sink.Sink;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The agent's end of the pipeline: every scrape batch goes to the remote_write queues in force.
 *
 * <p>One long-lived subscription to the scrapes writes each batch to the current set of sinks, one
 * batch at a time (a sink's write completes once the batch is on its disk queue), so a slow disk
 * slows the subscription and the scrape engine skips scrapes rather than buffering. A reload that
 * changes {@code remote_write} or the external labels replaces the queues; data already on disk stays
 * there and is sent by the successor queue of the same name. Batches scraped while the old queues
 * drain are discarded and counted.
 * Without any {@code remote_write} entry, batches are counted and discarded, as a Prometheus agent
 * without remote storage would.
 */
final class Outputs implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(Outputs.class);

    private final Path storagePath;
    private volatile Current current = new Current(List.of(), Map.of(), List.of());
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private Disposable subscription;

    private record Current(List<RemoteWriteConfig> configs, Map<String, String> externalLabels,
            List<RemoteWriteSink> sinks) {
    }

    Outputs(Path storagePath) {
        this.storagePath = storagePath;
    }

    /** Starts, keeps or replaces the remote_write queues so they match {@code cfg}. */
    synchronized void apply(PrometheusConfig cfg) throws IOException {
        List<RemoteWriteConfig> configs = cfg.remoteWrite() == null ? List.of() : cfg.remoteWrite();
        Map<String, String> external = cfg.global().externalLabels();
        Current old = current;
        if (old.configs().equals(configs) && Objects.equals(old.externalLabels(), external)) {
            return;
        }
        // The old queues release their disk directories before successors of the same name open them;
        // a batch arriving in between is refused and counted (see write).
        current = new Current(List.of(), Map.of(), List.of());
        shutdown(old.sinks());
        List<RemoteWriteSink> sinks = RemoteWriteSink.startAll(cfg, RemoteWriteSink.Options.defaults(storagePath));
        current = new Current(configs, external, sinks);
        log.atInfo().addKeyValue("queues", sinks.size()).log("Remote write configured");
    }

    /** Subscribes to the scrape batches; call once. */
    synchronized void consume(Flux<ScrapeBatch> batches) {
        subscription = batches.concatMap(this::write, 0)
                .subscribe(null, e -> log.atError().addKeyValue("err", e.toString()).log("Scrape output stopped"));
    }

    private Mono<Void> write(ScrapeBatch batch) {
        List<RemoteWriteSink> sinks = current.sinks();
        if (sinks.isEmpty()) {
            discarded.incrementAndGet();
            return Mono.empty();
        }
        Sink sink = sinks.size() == 1 ? sinks.get(0) : new FanOutSink(sinks);
        // A batch a queue refuses (closed during a swap, disk unwritable) is counted and logged, never fatal.
        return sink.write(batch).onErrorResume(e -> {
            writeFailures.incrementAndGet();
            log.atWarn().addKeyValue("err", e.toString()).log("Remote write queue refused a batch");
            return Mono.empty();
        });
    }

    Collection<QueueMetrics> queueMetrics() {
        List<QueueMetrics> out = new ArrayList<>();
        for (RemoteWriteSink s : current.sinks()) {
            out.add(s.metrics());
        }
        return out;
    }

    long discardedBatches() {
        return discarded.get();
    }

    long refusedBatches() {
        return writeFailures.get();
    }

    private static void shutdown(List<RemoteWriteSink> sinks) {
        for (RemoteWriteSink s : sinks) {
            s.shutdown().timeout(Duration.ofSeconds(30)).onErrorResume(e -> {
                log.atWarn().addKeyValue("queue", s.name()).addKeyValue("err", e.toString())
                        .log("Remote write queue did not shut down cleanly");
                return Mono.empty();
            }).block();
        }
    }

    @Override
    public synchronized void dispose() {
        if (subscription != null) {
            subscription.dispose();
        }
        shutdown(current.sinks());
        current = new Current(List.of(), Map.of(), List.of());
    }

    @Override
    public boolean isDisposed() {
        return subscription != null && subscription.isDisposed();
    }
}
