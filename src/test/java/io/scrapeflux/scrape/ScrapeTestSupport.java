package io.scrapeflux.scrape;

import io.netty.buffer.Unpooled;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Limits;
import io.scrapeflux.config.NameValidationScheme;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.config.SourceLocation;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.StaleNaN;
import io.scrapeflux.target.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/** Builders and fakes shared by the scrape tests. */
final class ScrapeTestSupport {

    private ScrapeTestSupport() {
    }

    /** BlockHound for the scrape tests (installed once per JVM) and quiet Netty logs. */
    static void blockHound() {
        io.scrapeflux.testing.BlockHoundSession.install();
        io.scrapeflux.testing.BlockHoundSession.quietNettyLogs();
    }

    /** A mutable stand-in for the config loader: Prometheus's defaults, change what a test needs. */
    static final class Cfg {
        String job = "job";
        Duration interval = Duration.ofSeconds(10);
        Duration timeout = Duration.ofSeconds(5);
        List<ScrapeProtocol> protocols = ScrapeProtocol.DEFAULTS;
        ScrapeProtocol fallback = ScrapeProtocol.PrometheusText0_0_4;
        String scheme = "http";
        boolean honorLabels;
        boolean honorTimestamps = true;
        boolean trackTimestampsStaleness;
        boolean enableCompression = true;
        HttpClientConfig http = HttpClientConfig.DEFAULT;
        Limits limits = Limits.NONE;
        boolean extraMetrics;
        List<RelabelConfig> metricRelabel = List.of();

        ScrapeConfig build() {
            return new ScrapeConfig(job, interval, timeout, protocols, fallback, "/metrics", scheme, honorLabels,
                    honorTimestamps, trackTimestampsStaleness, enableCompression, Map.of(), http, limits,
                    NameValidationScheme.UTF8, "underscores", extraMetrics, List.of(), metricRelabel, List.of(),
                    SourceLocation.NONE);
        }
    }

    static Limits limits(long bodySize, long samples, long labels, long nameLength, long valueLength, long targets) {
        return new Limits(bodySize, samples, labels, nameLength, valueLength, targets, 0);
    }

    static Target target(String job, String hostPort, Duration interval, Duration timeout) {
        return new Target(job, Labels.of("job", job, "instance", hostPort), Labels.of("__address__", hostPort),
                "http://" + hostPort + "/metrics", interval, timeout);
    }

    static Target target(String hostPort) {
        return target("job", hostPort, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** Serves a body per URL from memory, synchronously; counts fetches. */
    static final class FakeFetcher implements ScrapeFetcher {
        final Map<String, String> bodies = new ConcurrentHashMap<>();
        final Map<String, RuntimeException> errors = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
        volatile Duration delay = Duration.ZERO;
        volatile reactor.core.scheduler.Scheduler delayScheduler;

        @Override
        public Mono<String> fetch(Target target, BodyBuffer into) {
            String url = target.scrapeUrl();
            fetches.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
            Mono<String> result = Mono.fromCallable(() -> {
                RuntimeException e = errors.get(url);
                if (e != null) {
                    throw e;
                }
                String body = bodies.getOrDefault(url, "");
                into.append(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
                into.finish();
                return "text/plain; version=0.0.4";
            });
            return delay.isZero() ? result : Mono.delay(delay, delayScheduler).then(result);
        }

        int fetches(Target t) {
            AtomicInteger n = fetches.get(t.scrapeUrl());
            return n == null ? 0 : n.get();
        }
    }

    /** A flattened sample for assertions. */
    record Sample(String series, double value, long timestampMs) {
        boolean stale() {
            return StaleNaN.isStale(value);
        }
    }

    static List<Sample> samples(ScrapeBatch b) {
        List<Sample> out = new ArrayList<>(b.size());
        for (int i = 0; i < b.size(); i++) {
            out.add(new Sample(b.labels(i).toString(), b.value(i), b.timestampMs(i)));
        }
        return out;
    }

    static Sample find(ScrapeBatch b, String metricName) {
        for (int i = 0; i < b.size(); i++) {
            if (b.labels(i).get(Labels.METRIC_NAME).equals(metricName)) {
                return new Sample(b.labels(i).toString(), b.value(i), b.timestampMs(i));
            }
        }
        return null;
    }

    static double value(ScrapeBatch b, String metricName) {
        Sample s = find(b, metricName);
        if (s == null) {
            throw new AssertionError("no " + metricName + " in " + samples(b));
        }
        return s.value();
    }
}
