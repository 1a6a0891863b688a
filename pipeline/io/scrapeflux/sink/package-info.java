/**
 * Where scrape batches go.
 *
 * <ul>
 *   <li>{@link io.scrapeflux.sink.Sink}: the small contract library users implement
 *       ({@code Mono<Void> write(ScrapeBatch)}, completion = responsibility taken).</li>
 *   <li>{@link io.scrapeflux.sink.RemoteWriteSink}: one {@code remote_write} entry, Prometheus remote-write
 *       1.0 (protobuf + snappy) with a disk spool ({@link io.scrapeflux.sink.DiskQueue}), shards, retries
 *       and self-metrics ({@link io.scrapeflux.sink.QueueMetrics}).</li>
 *   <li>{@link io.scrapeflux.sink.StdoutSink}: text lines for debugging; {@link io.scrapeflux.sink.FanOutSink}:
 *       several sinks as one.</li>
 *   <li>{@link io.scrapeflux.sink.RemoteWriteHeaders#validate}: the check of configured headers, for the
 *       config loader.</li>
 * </ul>
 */
package io.scrapeflux.sink;
