package io.scrapeflux.sink;

import io.scrapeflux.config.GlobalConfig;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.QueueConfig;
import io.scrapeflux.config.RemoteWriteConfig;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One {@code remote_write} entry: a disk-backed queue and the shards that drain it.
 *
 * <pre>
 * write(batch) ─▶ [queue thread] external labels + write relabel + encode + snappy (per target: patch its
 *                 template, see WriteRequestEncoder) ─▶ chunks ─▶ DiskQueue.append
 * DiskQueue ─▶ read while shards have room ─▶ chunk → shard by target (order kept per series)
 * shard: whole chunks up to max_samples_per_send, or older than batch_send_deadline ─▶ snappy preamble
 *        ─▶ HTTP POST
 *        ─▶ 2xx: ack │ 5xx/429(retry_on_http_429)/network: retry, exponential backoff or Retry-After
 *                    │ other 4xx: drop + count
 * acks ─▶ DiskQueue.commit(end of the newest record whose samples are all acknowledged or dropped)
 * </pre>
 *
 * A request carries whole chunks, so it may hold fewer than {@code max_samples_per_send} samples where
 * Prometheus would fill it up (never more, unless the setting was lowered while chunks were on disk).
 * Chunks are sharded by target rather than by series: every series of a target shares its shard.
 *
 * Everything except the HTTP exchange runs on one dedicated thread per queue (file IO never touches an
 * event loop or a parallel thread, and the queue state needs no locks). Memory is bounded by
 * {@code max_shards × (capacity + max_samples_per_send)} samples plus one scrape batch, however long
 * the receiver is away: the rest waits on disk, within the disk budget (oldest dropped and counted
 * beyond it). Resharding waits until every shard is empty, so no series is ever split across two shards
 * with samples in flight (order is kept across resharding too).
 */
public final class RemoteWriteSink implements Sink {

    private static final Logger log = LoggerFactory.getLogger(RemoteWriteSink.class);
    /** How long a write from another thread waits for company before the queue thread takes it. */
    static final Duration WRITE_COALESCING = Duration.ofMillis(50);

    /** Knobs that are not part of {@code remote_write} config. */
    public record Options(
            Path storagePath,
            DiskQueue.Options disk,
            Duration syncInterval,
            Duration shardUpdateInterval,
            Duration shutdownGrace,
            int seriesCacheGeneration,
            Scheduler retryTimer,
            Clock clock) {

        public Options {
            Objects.requireNonNull(storagePath, "storagePath");
            disk = disk == null ? DiskQueue.Options.DEFAULT : disk;
            syncInterval = syncInterval == null ? Duration.ofSeconds(1) : syncInterval;
            shardUpdateInterval = shardUpdateInterval == null ? Duration.ofSeconds(10) : shardUpdateInterval;
            shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(5) : shutdownGrace;
            seriesCacheGeneration = seriesCacheGeneration <= 0 ? 200_000 : seriesCacheGeneration;
            clock = clock == null ? Clock.systemUTC() : clock;
        }

        /** Defaults: 1 GiB disk budget, fsync every second, reshard every 10 s, 5 s to drain on shutdown. */
        public static Options defaults(Path storagePath) {
            return new Options(storagePath, null, null, null, null, 0, null, null);
        }

        public Options withDisk(DiskQueue.Options d) {
            return new Options(storagePath, d, syncInterval, shardUpdateInterval, shutdownGrace, seriesCacheGeneration,
                    retryTimer, clock);
        }

        /** Scheduler for retry delays (tests pass a virtual-time one); null = the queue's own thread. */
        public Options withRetryTimer(Scheduler s) {
            return new Options(storagePath, disk, syncInterval, shardUpdateInterval, shutdownGrace,
                    seriesCacheGeneration, s, clock);
        }

        public Options withShardUpdateInterval(Duration d) {
            return new Options(storagePath, disk, syncInterval, d, shutdownGrace, seriesCacheGeneration, retryTimer,
                    clock);
        }

        public Options withShutdownGrace(Duration d) {
            return new Options(storagePath, disk, syncInterval, shardUpdateInterval, d, seriesCacheGeneration,
                    retryTimer, clock);
        }
    }

    /**
     * Samples of one shard on their way: whole chunks of spooled snappy elements behind room for the
     * request's snappy preamble, under construction or in flight.
     */
    private static final class Batch {
        /** Room in front of the chunks for the preamble (a varint of at most five bytes). */
        static final int PREAMBLE_ROOM = 5;

        byte[] data = new byte[16 * 1024];
        int len = PREAMBLE_ROOM;
        int rawLength;
        int samples;
        long minSeq = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        int bodyStart = -1;
        Duration backoff;
        int failures;

        void add(byte[] src, int off, int n, int chunkRawLength, int chunkSamples, long seq, long ts) {
            if (len + n > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, len + n));
            }
            System.arraycopy(src, off, data, len, n);
            len += n;
            rawLength += chunkRawLength;
            samples += chunkSamples;
            if (seq < minSeq) {
                minSeq = seq;
            }
            if (ts > maxTs) {
                maxTs = ts;
            }
        }

        /** Writes the preamble; the request body is then {@code data[bodyStart .. len)}. */
        void seal() {
            bodyStart = SnappyTemplate.preambleBefore(data, PREAMBLE_ROOM, rawLength);
        }

        int bodyLength() {
            return len - bodyStart;
        }

        void clear() {
            len = PREAMBLE_ROOM;
            rawLength = 0;
            samples = 0;
            minSeq = Long.MAX_VALUE;
            maxTs = Long.MIN_VALUE;
            bodyStart = -1;
            backoff = null;
            failures = 0;
        }
    }

    private static final class Shard {
        Batch building;
        final ArrayDeque<Batch> ready = new ArrayDeque<>();
        Batch inFlight;
        int queuedSamples;

        long lowestSeq() {
            if (inFlight != null) {
                return inFlight.minSeq;
            }
            if (!ready.isEmpty()) {
                return ready.peekFirst().minSeq;
            }
            return building != null && building.samples > 0 ? building.minSeq : Long.MAX_VALUE;
        }

        boolean isEmpty() {
            return queuedSamples == 0 && inFlight == null;
        }
    }

    private record Mark(long seq, long end) {
    }

    private final RemoteWriteConfig config;
    private final QueueConfig qc;
    private final String name;
    private final Options options;
    private final QueueMetrics metrics;
    private final WriteRequestEncoder encoder;
    private final DiskQueue disk;
    private final RemoteWriteClient client;
    private final Backoff backoffPolicy;
    /** Compresses the slow paths only (age-filtered chunks, older spools); steady state copies chunks. */
    private final SnappyTemplate snappy = new SnappyTemplate();
    private byte[] scratch = new byte[0];
    private final ScheduledExecutorService exec;
    private volatile Thread execThread;
    /**
     * Writes handed over from other threads, waiting for {@link #takeArrivedWrites()}. Each producer has at
     * most one write outstanding (the {@link Sink} contract), so this holds at most one entry per producer.
     */
    private final ConcurrentLinkedQueue<PendingWrite> arrivedWrites = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean takeScheduled = new AtomicBoolean();
    private final Scheduler queueThread;
    private final Scheduler retryTimer;
    private final DiskQueue.Cursor cursor = new DiskQueue.Cursor();
    /**
     * End of what was on disk when this queue opened. Records before it may have reached the receiver
     * already (a crash between its acknowledgement and our commit); they are never sent in the same
     * request as newer records, so a receiver refusing a re-sent, out-of-order sample with a 400 cannot
     * take fresh samples down with it.
     */
    private long recoveredEnd;
    /** Records starting before this position are in the per-sample spool format of older versions. */
    private final long chunkedFrom;
    private boolean dispatchingRecovered = true;
    private final ArrayDeque<Mark> dispatched = new ArrayDeque<>();
    private final ArrayDeque<Batch> freeBatches = new ArrayDeque<>();
    private final Sinks.Empty<Void> terminated = Sinks.empty();

    private Shard[] shards;
    private int reshardTo;
    private long nextSeq;
    private boolean draining;
    private boolean closed;
    private boolean oldFormatInFlight;

    // scaling window
    private long windowStartNanos;
    private long windowIn;
    private long windowSent;
    private long windowSendNanos;
    private boolean windowFailed;

    private RemoteWriteSink(RemoteWriteConfig config, SeriesTransform transform, Options options) throws IOException {
        this.config = config;
        this.qc = config.queueConfig() == null ? QueueConfig.DEFAULT : config.queueConfig();
        this.name = queueName(config);
        this.options = options;
        this.metrics = new QueueMetrics(name, config.url());
        this.backoffPolicy = new Backoff(qc.minBackoff(), qc.maxBackoff());
        if (qc.minShards() < 1 || qc.maxShards() < qc.minShards() || qc.maxSamplesPerSend() < 1 || qc.capacity() < 1) {
            throw new IllegalArgumentException("remote_write " + name + ": queue_config needs 1 <= min_shards <= "
                    + "max_shards and positive capacity and max_samples_per_send, got " + qc);
        }
        this.encoder = new WriteRequestEncoder(transform, options.seriesCacheGeneration(), qc.maxSamplesPerSend());
        this.client = new RemoteWriteClient(config, qc.maxShards(), options.clock());
        try {
            this.disk = DiskQueue.open(options.storagePath().resolve("remote_write").resolve(name), options.disk());
            this.recoveredEnd = disk.writePosition();
            this.chunkedFrom = SpoolFormat.chunkedFrom(disk.directory(), disk.writePosition());
        } catch (IOException | RuntimeException e) {
            client.close().subscribe(null, err -> { }, () -> { });
            throw e;
        }
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "remote-write-" + name);
            t.setDaemon(true);
            execThread = t;
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ex.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        ex.setRemoveOnCancelPolicy(true);
        this.exec = ex;
        this.queueThread = Schedulers.fromExecutorService(exec, "remote-write-" + name);
        this.retryTimer = options.retryTimer() == null ? queueThread : options.retryTimer();
        this.shards = newShards(qc.minShards());
        this.reshardTo = shards.length;
        metrics.shards.set(shards.length);
        metrics.desiredShards.set(shards.length);
        metrics.samplesDroppedBudget.set(disk.droppedWeight());
    }

    /**
     * Opens the queue of {@code config} under {@code <storagePath>/remote_write/<name>/} and starts sending
     * what a previous run left unacknowledged.
     *
     * @param externalLabels  {@code global.external_labels}; added where the series lacks the label
     * @param writeRelabel    {@code write_relabel_configs} compiled (null = none), applied after external labels
     */
    public static RemoteWriteSink start(RemoteWriteConfig config, Map<String, String> externalLabels,
            SeriesTransform writeRelabel, Options options) throws IOException {
        SeriesTransform t = SeriesTransform.externalLabels(externalLabels);
        if (writeRelabel != null) {
            t = t.andThen(writeRelabel);
        }
        RemoteWriteSink s = new RemoteWriteSink(config, t, options);
        s.startTimers();
        return s;
    }

    /**
     * Starts a queue for every {@code remote_write} entry of {@code config}, with its external labels and
     * each entry's {@code write_relabel_configs}.
     */
    public static List<RemoteWriteSink> startAll(PrometheusConfig config,
            Options options) throws IOException {
        GlobalConfig g = config.global() == null
                ? GlobalConfig.DEFAULT : config.global();
        return startAll(config.remoteWrite() == null ? List.of() : config.remoteWrite(), g.externalLabels(),
                c -> SeriesTransform.writeRelabel(c.writeRelabelConfigs(), g.metricNameValidationScheme()), options);
    }

    /**
     * Starts one queue per {@code remote_write} entry, each independent (own spool, shards, thread).
     * {@code writeRelabel} compiles an entry's {@code write_relabel_configs} (null or returning null = none).
     * If one entry fails to start, those already started are shut down and the error is thrown.
     */
    public static List<RemoteWriteSink> startAll(List<RemoteWriteConfig> configs,
            Map<String, String> externalLabels, Function<RemoteWriteConfig, SeriesTransform> writeRelabel,
            Options options) throws IOException {
        List<RemoteWriteSink> started = new ArrayList<>();
        Set<String> names = new HashSet<>();
        try {
            for (RemoteWriteConfig c : configs) {
                String n = queueName(c);
                if (!names.add(n)) {
                    throw new IllegalArgumentException("two remote_write entries share the queue name \"" + n
                            + "\" (same name, or same url and headers when unnamed); give them distinct names");
                }
                started.add(start(c, externalLabels, writeRelabel == null ? null : writeRelabel.apply(c), options));
            }
            return started;
        } catch (IOException | RuntimeException e) {
            for (RemoteWriteSink s : started) {
                s.shutdown().block();
            }
            throw e;
        }
    }

    /**
     * The queue's name: {@code remote_write.name}, or a hash of the URL and headers when unnamed. It names
     * the spool directory, so give queues a name to keep their spool across URL changes.
     */
    public static String queueName(RemoteWriteConfig config) {
        if (config.name() != null && !config.name().isEmpty()) {
            return config.name();
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(config.url().getBytes(StandardCharsets.UTF_8));
            if (config.headers() != null) {
                new TreeMap<>(config.headers()).forEach((k, v) ->
                        md.update(("\n" + k + ":" + v).getBytes(StandardCharsets.UTF_8)));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startTimers() {
        windowStartNanos = System.nanoTime();
        long deadline = Math.max(1, qc.batchSendDeadline().toMillis());
        exec.scheduleWithFixedDelay(guarded(this::flushDeadline), deadline, deadline, TimeUnit.MILLISECONDS);
        long sync = Math.max(1, options.syncInterval().toMillis());
        exec.scheduleWithFixedDelay(guarded(this::syncTick), sync, sync, TimeUnit.MILLISECONDS);
        long scale = Math.max(1, options.shardUpdateInterval().toMillis());
        exec.scheduleWithFixedDelay(guarded(this::scaleTick), scale, scale, TimeUnit.MILLISECONDS);
        exec.execute(guarded(this::pump));
    }

    private Runnable guarded(ThrowingRunnable r) {
        return () -> {
            if (closed) {
                return;
            }
            try {
                r.run();
            } catch (Exception e) {
                log.error("remote write queue task failed remote_name={}", name, e);
            }
        };
    }

    /** Runs {@code r} on the queue thread; after shutdown late callbacks (HTTP outcomes, retry timers) are dropped. */
    private void onQueue(ThrowingRunnable r) {
        if (closed) {
            return;
        }
        try {
            queueThread.schedule(guarded(r));
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public String name() {
        return name;
    }

    public QueueMetrics metrics() {
        return metrics;
    }

    /**
     * Completes when the samples of {@code batch} are on disk (kill -9 safe); sending happens later.
     * Completion is signalled on the queue's thread, so the subscriber's next request (typically the next
     * batch's write) continues there without waking another thread; what follows a write must not block.
     */
    @Override
    public Mono<Void> write(ScrapeBatch batch) {
        // Cancelling must not interrupt the queue thread (subscribeOn on an executor scheduler would): an
        // interrupt during file I/O closes the spool's channel for good.
        return Mono.create(sink -> {
            PendingWrite w = new PendingWrite(batch, sink);
            if (Thread.currentThread() == execThread) {
                exec.execute(() -> take(w)); // the completion chain of the previous write: no thread to wake
            } else {
                handOver(w);
            }
        });
    }

    private record PendingWrite(ScrapeBatch batch, MonoSink<Void> sink) { }

    private void take(PendingWrite w) {
        try {
            append(w.batch());
            w.sink().success();
        } catch (Throwable e) {
            w.sink().error(e);
        }
    }

    /**
     * Queues a write from another thread and takes it, with whatever else arrives meanwhile, after
     * {@link #WRITE_COALESCING}. Waking this thread once per scrape cost it 260 wake-ups/s and 0.020 cores at
     * 200 targets, against 104 and 0.014 now (benchmarks/RESULTS.md); spooled data is fsynced only every {@code syncInterval} anyway, so the wait
     * does not weaken what a completed write promises.
     */
    private void handOver(PendingWrite w) {
        arrivedWrites.offer(w);
        if (takeScheduled.compareAndSet(false, true)) {
            try {
                exec.schedule(this::takeArrivedWrites, WRITE_COALESCING.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                takeScheduled.set(false);
            }
        }
        if (exec.isShutdown()) {
            refuseArrivedWrites(); // finish() may have emptied the queue before this offer
        }
    }

    private void takeArrivedWrites() {
        takeScheduled.set(false);
        PendingWrite w;
        while ((w = arrivedWrites.poll()) != null) {
            take(w);
        }
    }

    private void refuseArrivedWrites() {
        PendingWrite w;
        while ((w = arrivedWrites.poll()) != null) {
            w.sink().error(new IllegalStateException("remote write queue " + name + " is shut down"));
        }
    }

    private void append(ScrapeBatch batch) throws IOException {
        if (closed || draining) {
            throw new IllegalStateException("remote write queue " + name + " is shut down");
        }
        long noNameBefore = encoder.droppedNoName();
        encoder.reset();
        int kept = encoder.append(batch);
        metrics.samplesDroppedRelabel.addAndGet(batch.size() - kept);
        if (encoder.droppedNoName() > noNameBefore) {
            log.warn("series left without __name__ by write relabeling are not sent remote_name={} seriesSoFar={}",
                    name, encoder.droppedNoName());
        }
        if (kept == 0) {
            return;
        }
        disk.append(encoder.buffer(), 0, encoder.length(), kept);
        metrics.samplesIn.addAndGet(kept);
        windowIn += kept;
        for (int i = 0; i < batch.size(); i++) {
            QueueMetrics.max(metrics.highestInTimestampMs, batch.timestampMs(i));
        }
        metrics.samplesDroppedBudget.set(disk.droppedWeight());
        pump();
    }

    // ---- reading the disk queue into shards (queue thread) ----

    private void pump() throws IOException {
        if (closed) {
            return;
        }
        if (reshardTo != shards.length) {
            flushBuilding();
            if (allEmpty()) {
                log.info("remote write resharding remote_name={} from={} to={}", name, shards.length, reshardTo);
                shards = newShards(reshardTo);
                metrics.shards.set(shards.length);
            }
        }
        while (!draining && reshardTo == shards.length && !anyShardFull() && !waitingForOldFormat()
                && disk.next(cursor)) {
            dispatch(cursor, nextSeq++);
        }
        for (Shard s : shards) {
            trySend(s);
        }
        commitAcknowledged();
        updateGauges();
    }

    private void dispatch(DiskQueue.Cursor c, long seq) {
        boolean recovered = c.end() <= recoveredEnd;
        if (dispatchingRecovered && !recovered) {
            flushBuilding();
            dispatchingRecovered = false;
        }
        long ageLimitMs = qc.sampleAgeLimit() == null ? 0 : qc.sampleAgeLimit().toMillis();
        long oldestAllowed = ageLimitMs > 0 ? options.clock().millis() - ageLimitMs : Long.MIN_VALUE;
        if (c.start() < chunkedFrom) {
            dispatchOldFormat(c, seq, oldestAllowed);
        } else {
            byte[] b = c.buffer();
            for (int p = 0; p < c.length(); p = WriteRequestEncoder.nextChunk(b, p)) {
                if (WriteRequestEncoder.chunkMinTimestamp(b, p) >= oldestAllowed) {
                    addChunk(b, p, seq);
                } else {
                    // queue_config.sample_age_limit: after a long outage, samples this old are not worth sending.
                    addYoungerThan(WriteRequestEncoder.rawChunk(b, p), WriteRequestEncoder.chunkRawLength(b, p),
                            WriteRequestEncoder.chunkShardKey(b, p), oldestAllowed, seq);
                }
            }
        }
        dispatched.addLast(new Mark(seq, c.end()));
    }

    private void addChunk(byte[] b, int chunk, long seq) {
        int samples = WriteRequestEncoder.chunkSamples(b, chunk);
        Shard s = shards[Math.floorMod(WriteRequestEncoder.chunkShardKey(b, chunk), shards.length)];
        if (s.building != null && s.building.samples > 0 && s.building.samples + samples > qc.maxSamplesPerSend()) {
            s.ready.addLast(s.building);
            s.building = null;
        }
        if (s.building == null) {
            s.building = takeBatch();
        }
        s.building.add(b, chunk + WriteRequestEncoder.CHUNK_HEADER, WriteRequestEncoder.chunkCompressedLength(b, chunk),
                WriteRequestEncoder.chunkRawLength(b, chunk), samples, seq,
                WriteRequestEncoder.chunkMaxTimestamp(b, chunk));
        s.queuedSamples += samples;
        if (s.building.samples >= qc.maxSamplesPerSend()) {
            s.ready.addLast(s.building);
            s.building = null;
        }
    }

    /**
     * Re-chunks the entries of {@code raw[0 .. rawLength)} that are not older than {@code oldestAllowed}
     * (counting the others as too old) and adds them under {@code shardKey}. The slow path: chunks that
     * straddle the age limit, and spools of older versions.
     */
    private void addYoungerThan(byte[] raw, int rawLength, int shardKey, long oldestAllowed, long seq) {
        byte[] kept = new byte[rawLength];
        int keptLength = 0;
        int samples = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int p = 0; p < rawLength; ) {
            int e = WriteRequestEncoder.entryLength(raw, p);
            long ts = WriteRequestEncoder.entryTimestamp(raw, p, e);
            if (ts < oldestAllowed) {
                metrics.samplesTooOld.incrementAndGet();
            } else {
                System.arraycopy(raw, p, kept, keptLength, e);
                keptLength += e;
                samples++;
                min = Math.min(min, ts);
                max = Math.max(max, ts);
            }
            p += e;
            boolean full = samples == qc.maxSamplesPerSend();
            if (samples > 0 && (full || p >= rawLength)) {
                int need = WriteRequestEncoder.CHUNK_HEADER + SnappyTemplate.maxCompressedLength(keptLength);
                if (scratch.length < need) {
                    scratch = new byte[need];
                }
                WriteRequestEncoder.writeChunk(snappy, kept, keptLength, samples, min, max, shardKey, scratch, 0);
                addChunk(scratch, 0, seq);
                keptLength = 0;
                samples = 0;
                min = Long.MAX_VALUE;
                max = Long.MIN_VALUE;
            }
        }
    }

    /**
     * A record of the per-sample spool format of versions before chunks: entries of {@code [u32 series
     * hash][TimeSeries field]}. They keep the shards they had (by series hash), and {@link #pump} lets
     * them all be acknowledged before the first chunked record is read, so no series overtakes itself.
     */
    private void dispatchOldFormat(DiskQueue.Cursor c, long seq, long oldestAllowed) {
        byte[] b = c.buffer();
        int n = shards.length;
        byte[] raw = new byte[c.length()];
        for (int shard = 0; shard < n; shard++) {
            int rawLength = 0;
            for (int p = 0; p < c.length(); ) {
                int e = WriteRequestEncoder.entryLength(b, p + 4) + 4;
                int hash = ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8)
                        | (b[p + 3] & 0xff);
                if (Math.floorMod(hash, n) == shard) {
                    System.arraycopy(b, p + 4, raw, rawLength, e - 4);
                    rawLength += e - 4;
                }
                p += e;
            }
            if (rawLength > 0) {
                addYoungerThan(raw, rawLength, shard, oldestAllowed, seq);
            }
        }
        oldFormatInFlight = true;
    }

    /** True while records of the old format are unacknowledged and the next record would be chunked. */
    private boolean waitingForOldFormat() {
        if (!oldFormatInFlight || disk.readPosition() < chunkedFrom) {
            return false;
        }
        flushBuilding();
        if (!allEmpty()) {
            return true;
        }
        oldFormatInFlight = false;
        return false;
    }

    private boolean anyShardFull() {
        for (Shard s : shards) {
            if (s.queuedSamples >= qc.capacity()) {
                return true;
            }
        }
        return false;
    }

    private boolean allEmpty() {
        for (Shard s : shards) {
            if (!s.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void flushBuilding() {
        for (Shard s : shards) {
            if (s.building != null && s.building.samples > 0) {
                s.ready.addLast(s.building);
                s.building = null;
            }
        }
    }

    private void flushDeadline() throws IOException {
        flushBuilding();
        pump();
    }

    // ---- sending (request on Netty, outcome back on the queue thread) ----

    private void trySend(Shard s) {
        if (s.inFlight != null || s.ready.isEmpty()) {
            return;
        }
        Batch b = s.ready.pollFirst();
        s.inFlight = b;
        b.backoff = qc.minBackoff();
        b.seal();
        send(s, b);
    }

    private void send(Shard s, Batch b) {
        if (closed) {
            return;
        }
        metrics.requests.incrementAndGet();
        long t0 = System.nanoTime();
        client.send(b.data, b.bodyStart, b.bodyLength())
                .subscribe(outcome -> onQueue(() -> onOutcome(s, b, outcome, System.nanoTime() - t0)));
    }

    private void onOutcome(Shard s, Batch b, RemoteWriteClient.Outcome o, long elapsedNanos) throws IOException {
        if (o.ok()) {
            metrics.samplesSent.addAndGet(b.samples);
            metrics.bytesSent.addAndGet(b.bodyLength());
            QueueMetrics.max(metrics.highestSentTimestampMs, b.maxTs);
            windowSent += b.samples;
            windowSendNanos += elapsedNanos;
            release(s, b);
            return;
        }
        windowFailed = true;
        if (o.retryable(qc.retryOnHttp429())) {
            metrics.samplesRetried.addAndGet(b.samples);
            Duration delay = Backoff.delay(b.backoff, o.retryAfter());
            b.backoff = backoffPolicy.next(b.backoff);
            b.failures++;
            // One warning per batch, not per attempt: an outage would otherwise flood the log.
            if (b.failures == 1) {
                log.warn("remote write failed, retrying until accepted remote_name={} samples={} delay={} error={}",
                        name, b.samples, delay, o.describe());
            } else {
                log.debug("remote write retry failed remote_name={} samples={} attempt={} delay={} error={}", name,
                        b.samples, b.failures, delay, o.describe());
            }
            retryTimer.schedule(() -> onQueue(() -> send(s, b)), delay.toNanos(), TimeUnit.NANOSECONDS);
            metrics.requestsFailed.incrementAndGet(); // after scheduling: tests step virtual time on this signal
            return;
        }
        metrics.requestsFailed.incrementAndGet();
        metrics.samplesFailed.addAndGet(b.samples);
        log.error("remote write refused, dropping samples remote_name={} samples={} error={}", name, b.samples,
                o.describe());
        release(s, b);
    }

    private void release(Shard s, Batch b) throws IOException {
        s.inFlight = null;
        s.queuedSamples -= b.samples;
        b.clear();
        if (freeBatches.size() < 4 * shards.length) {
            freeBatches.addLast(b);
        }
        pump();
    }

    private Batch takeBatch() {
        Batch b = freeBatches.pollFirst();
        return b != null ? b : new Batch();
    }

    private void commitAcknowledged() throws IOException {
        long lowest = Long.MAX_VALUE;
        for (Shard s : shards) {
            lowest = Math.min(lowest, s.lowestSeq());
        }
        long end = -1;
        while (!dispatched.isEmpty() && dispatched.peekFirst().seq() < lowest) {
            end = dispatched.pollFirst().end();
        }
        if (end >= 0) {
            disk.commit(end);
        }
    }

    private void updateGauges() {
        long inMemory = 0;
        for (Shard s : shards) {
            inMemory += s.queuedSamples;
        }
        metrics.samplesPending.set(disk.unreadWeight() + inMemory);
        metrics.diskBytes.set(disk.bytesOnDisk());
    }

    private void syncTick() throws IOException {
        disk.sync();
        updateGauges();
    }

    private void scaleTick() {
        long now = System.nanoTime();
        double secs = (now - windowStartNanos) / 1e9;
        double tps = windowSent == 0 ? 0 : windowSendNanos / 1e9 / windowSent;
        int desired = ShardScaling.desired(shards.length, qc.minShards(), qc.maxShards(), windowIn / secs, tps,
                metrics.samplesPending.get(), secs, windowFailed);
        metrics.desiredShards.set(desired);
        if (desired != shards.length) {
            reshardTo = desired;
        }
        windowStartNanos = now;
        windowIn = 0;
        windowSent = 0;
        windowSendNanos = 0;
        windowFailed = false;
    }

    private static Shard[] newShards(int n) {
        Shard[] s = new Shard[n];
        for (int i = 0; i < n; i++) {
            s[i] = new Shard();
        }
        return s;
    }

    // ---- shutdown ----

    /**
     * Stops taking writes, gives in-memory batches up to {@code shutdownGrace} to be acknowledged, then
     * closes the disk queue. Whatever is not acknowledged stays on disk for the next start.
     */
    @Override
    public Mono<Void> shutdown() {
        return Mono.defer(() -> {
            if (exec.isShutdown()) {
                return terminated.asMono(); // shut down already (or shutting down): same outcome
            }
            queueThread.schedule(guarded(() -> {
                takeArrivedWrites(); // handed over before shutdown: spooled, as a write queued earlier would be
                draining = true;
                flushBuilding();
                pump();
                long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
                awaitDrained(deadline);
            }));
            return terminated.asMono();
        });
    }

    private void awaitDrained(long deadlineNanos) {
        if (closed) {
            return;
        }
        if (allEmpty() || System.nanoTime() >= deadlineNanos) {
            finish();
            return;
        }
        queueThread.schedule(guarded(() -> awaitDrained(deadlineNanos)), 20, TimeUnit.MILLISECONDS);
    }

    private void finish() {
        closed = true;
        try {
            commitAcknowledged();
            disk.close();
        } catch (IOException e) {
            log.error("remote write queue close failed remote_name={}", name, e);
        }
        client.close().subscribe(null, e -> { }, () -> { });
        exec.shutdown();
        refuseArrivedWrites();
        terminated.tryEmitEmpty();
    }

    /** Queue name, URL and the directory of its spool, for logs. */
    @Override
    public String toString() {
        return "RemoteWriteSink{" + name + " " + config.url() + " " + disk.directory() + "}";
    }
}
