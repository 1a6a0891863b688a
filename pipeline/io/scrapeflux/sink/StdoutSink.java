package io.scrapeflux.sink;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Prints every sample as one text line, for debugging: {@code name{a="1", b="2"} value timestamp_ms}, the
 * Prometheus text format with the timestamp in milliseconds. A staleness marker prints as
 * {@code NaN} followed by {@code # stale}. Printing happens on the sink's own thread (a console can block).
 */
public final class StdoutSink implements Sink {

    private final PrintStream out;
    private final ExecutorService exec;
    private final Scheduler scheduler;
    private final StringBuilder line = new StringBuilder(256);

    public StdoutSink(PrintStream out) {
        this.out = out;
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stdout-sink");
            t.setDaemon(true);
            return t;
        });
        this.scheduler = Schedulers.fromExecutorService(exec, "stdout-sink");
    }

    public StdoutSink() {
        this(System.out);
    }

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public Mono<Void> write(ScrapeBatch batch) {
        return Mono.fromRunnable(() -> print(batch)).subscribeOn(scheduler).then();
    }

    private void print(ScrapeBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            line.setLength(0);
            format(line, batch.labels(i), batch.value(i), batch.timestampMs(i));
            out.println(line);
        }
        out.flush();
    }

    /** Appends the text line of one sample (without newline). Debug output: allocates per sample. */
    public static void format(StringBuilder sb, Labels labels, double value, long timestampMs) {
        sb.append(labels.get(Labels.METRIC_NAME));
        Labels rest = labels.has(Labels.METRIC_NAME) ? labels.toBuilder().del(Labels.METRIC_NAME).build() : labels;
        if (!rest.isEmpty()) {
            sb.append(rest); // {a="1", b="2"}, values quoted and escaped as the text format wants
        }
        sb.append(' ');
        if (Double.isNaN(value)) {
            sb.append("NaN");
        } else if (Double.isInfinite(value)) {
            sb.append(value > 0 ? "+Inf" : "-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            sb.append((long) value);
        } else {
            sb.append(value);
        }
        sb.append(' ').append(timestampMs);
        if (StaleNaN.isStale(value)) {
            sb.append(" # stale");
        }
    }

    @Override
    public Mono<Void> shutdown() {
        return Mono.fromRunnable(() -> {
            out.flush();
            exec.shutdown();
        });
    }
}
