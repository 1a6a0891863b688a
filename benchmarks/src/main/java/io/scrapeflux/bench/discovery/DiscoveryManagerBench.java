package io.scrapeflux.bench.discovery;

import io.scrapeflux.config.SdConfig;
import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.DiscoveryManager;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Not JMH: a steady-state load run. 10 providers with 1,000 sources each (10,000 sources), 11 jobs (one per provider
 * plus one sharing all ten), and a driver sending 1,000 single-source updates per second. Reports emissions per second,
 * changed sources per emission, process CPU and heap after GC at the start and the end (memory must stay flat).
 *
 * <p>Usage: {@code java -cp target/benchmarks.jar io.scrapeflux.bench.discovery.DiscoveryManagerBench [seconds]
 * [coalescingMaxMillis]}.
 */
public final class DiscoveryManagerBench {

    private static final int PROVIDERS = 10;
    private static final int SOURCES_PER_PROVIDER = 1_000;
    private static final int TARGETS_PER_SOURCE = 3;
    private static final int UPDATES_PER_SECOND = 1_000;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long maxMillis = args.length > 1 ? Long.parseLong(args[1]) : Backoff.COALESCING.max().toMillis();
        Backoff coalescing = new Backoff(Backoff.COALESCING.initial(),
                Duration.ofMillis(Math.max(maxMillis, Backoff.COALESCING.initial().toMillis())));

        Map<String, Sinks.Many<List<TargetGroup>>> sinks = new HashMap<>();
        DiscovererFactory<StaticConfig> factory = new DiscovererFactory<>() {
            @Override
            public Class<StaticConfig> configType() {
                return StaticConfig.class;
            }

            @Override
            public Discoverer create(StaticConfig config, FailureReporter failures) {
                Sinks.Many<List<TargetGroup>> sink = Sinks.many().unicast().onBackpressureBuffer();
                sinks.put(config.targets().get(0), sink);
                return sink::asFlux;
            }
        };
        DiscoveryManager manager = new DiscoveryManager(new DiscovererRegistry(List.of(factory)), coalescing,
                Backoff.RETRY, Schedulers.parallel());

        Map<String, List<SdConfig>> jobs = new LinkedHashMap<>();
        List<SdConfig> all = new ArrayList<>();
        for (int p = 0; p < PROVIDERS; p++) {
            StaticConfig c = new StaticConfig(List.of("provider-" + p), Map.of());
            jobs.put("job-" + p, List.of(c));
            all.add(c);
        }
        jobs.put("job-all", all);

        AtomicLong emissions = new AtomicLong();
        AtomicLong changedSources = new AtomicLong();
        AtomicLong touchedTargets = new AtomicLong();
        Disposable consumer = manager.updates().subscribe(u -> {
            emissions.incrementAndGet();
            changedSources.addAndGet(u.changed().size());
            // An O(changed) consumer, as relabeling is: look only at the changed groups.
            for (TargetGroup g : u.changedGroups()) {
                touchedTargets.addAndGet(g.targets().size());
            }
        });
        manager.apply(jobs);

        for (int p = 0; p < PROVIDERS; p++) {
            List<TargetGroup> full = new ArrayList<>(SOURCES_PER_PROVIDER);
            for (int s = 0; s < SOURCES_PER_PROVIDER; s++) {
                full.add(group(p, s, 0));
            }
            sinks.get("provider-" + p).tryEmitNext(full).orThrow();
        }
        manager.ready().block(Duration.ofSeconds(10));

        Scheduler driverThread = Schedulers.newSingle("bench-driver");
        SplittableRandom random = new SplittableRandom(42);
        AtomicLong sent = new AtomicLong();
        // 1,000 updates/s as one update per millisecond; a tenth of them delete a source, later re-added.
        Disposable driver = Flux.interval(Duration.ofMillis(1), driverThread).onBackpressureDrop().subscribe(tick -> {
            int p = random.nextInt(PROVIDERS);
            int s = random.nextInt(SOURCES_PER_PROVIDER);
            TargetGroup g = random.nextInt(10) == 0 ? TargetGroup.removed(source(s)) : group(p, s, tick);
            sinks.get("provider-" + p).emitNext(List.of(g), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
            sent.incrementAndGet();
        });

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(5_000); // warm-up, and let the coalescing interval reach its steady state
        System.gc();
        long heapStart = memory.getHeapMemoryUsage().getUsed();
        long cpuStart = os.getProcessCpuTime();
        long wallStart = System.nanoTime();
        long emissionsStart = emissions.get();
        long changedStart = changedSources.get();
        long sentStart = sent.get();

        Thread.sleep(seconds * 1_000L);

        long wall = System.nanoTime() - wallStart;
        long cpu = os.getProcessCpuTime() - cpuStart;
        long em = emissions.get() - emissionsStart;
        long ch = changedSources.get() - changedStart;
        long updates = sent.get() - sentStart;
        System.gc();
        long heapEnd = memory.getHeapMemoryUsage().getUsed();
        driver.dispose();
        consumer.dispose();
        manager.dispose();
        driverThread.dispose();

        double secs = wall / 1e9;
        System.out.printf("sources=%d jobs=%d coalescingMax=%dms duration=%.1fs%n",
                PROVIDERS * SOURCES_PER_PROVIDER, jobs.size(), coalescing.max().toMillis(), secs);
        System.out.printf("updates in: %.0f/s%n", updates / secs);
        System.out.printf("emissions out: %.2f/s (all jobs), changed sources per emission: %.1f%n",
                em / secs, em == 0 ? 0.0 : (double) ch / em);
        System.out.printf("process CPU: %.1f%% of one core (includes the driver and the consumer)%n",
                100.0 * cpu / wall);
        System.out.printf("heap used after GC: start=%.1f MiB end=%.1f MiB%n", heapStart / 1048576.0,
                heapEnd / 1048576.0);
    }

    private static String source(int s) {
        return "pod-" + s;
    }

    private static TargetGroup group(int provider, int s, long version) {
        List<Labels> targets = new ArrayList<>(TARGETS_PER_SOURCE);
        for (int t = 0; t < TARGETS_PER_SOURCE; t++) {
            targets.add(Labels.of("__address__", "10." + provider + "." + (s % 250) + "." + t + ":" + (8000 + t),
                    "__meta_version", Long.toString(version), "__meta_pod", source(s)));
        }
        return new TargetGroup(source(s), targets, Labels.of("__meta_namespace", "ns-" + provider));
    }
}
