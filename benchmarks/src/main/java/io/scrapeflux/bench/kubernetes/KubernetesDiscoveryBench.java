package io.scrapeflux.bench.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.kubernetes.KubernetesDiscovery;
import io.scrapeflux.discovery.kubernetes.KubernetesInformerPool;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;

/**
 * Kubernetes pod discovery at scale, against fabric8's CRUD mock API server on loopback (a main, not JMH:
 * the quantities are one-shot times and retained heap, not throughput).
 *
 * <p>Measures: time from subscribe to the first full target set; heap retained per pod by discovery (after
 * GC, with the mock's own storage subtracted), next to a plain fabric8 informer that caches full pods;
 * latency from a pod update to the changed target group (p50/p99); and a linear projection to 100,000 pods.
 *
 * <p>Run: {@code java -Xmx4g -cp target/benchmarks.jar io.scrapeflux.bench.kubernetes.KubernetesDiscoveryBench [pods] [updates]}
 */
public final class KubernetesDiscoveryBench {

    /** Held so the level sticks: java.util.logging keeps loggers only weakly. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private KubernetesDiscoveryBench() {
    }

    static Pod pod(int i) {
        return new PodBuilder().withNewMetadata().withNamespace("ns" + (i % 20)).withName("pod-" + i)
                .addToLabels("app", "app-" + (i % 50)).addToLabels("app.kubernetes.io/name", "svc-" + (i % 50))
                .addToLabels("pod-template-hash", "5d" + (i % 1000)).addToAnnotations("prometheus.io/scrape", "true")
                .addToAnnotations("prometheus.io/port", "9113")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("rs-" + (i % 50))
                .withUid("u" + (i % 50)).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("worker" + (i % 100))
                .addToContainers(new ContainerBuilder().withName("app").withImage("registry/app:1.2.3")
                        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                        .addNewPort().withName("metrics").withContainerPort(9113).withProtocol("TCP").endPort()
                        .addNewEnv().withName("MODE").withValue("production").endEnv()
                        .withArgs("--config=/etc/app/config.yaml", "--verbose").build())
                .addToContainers(new ContainerBuilder().withName("sidecar").withImage("registry/proxy:2").build())
                .endSpec().withNewStatus().withPodIP("10." + (i / 65536 % 256) + "." + (i / 256 % 256) + "." + (i % 256))
                .withHostIP("192.168.0." + (i % 100)).withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("app").withContainerID("containerd://" + Integer.toHexString(i * 7919))
                .withReady(true).withRestartCount(0).endContainerStatus().endStatus().build();
    }

    /** An informer handler that ignores events: the plain informer only serves as a cache. */
    static final class NoOp implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod obj) {
        }

        @Override
        public void onUpdate(Pod oldObj, Pod newObj) {
        }

        @Override
        public void onDelete(Pod obj, boolean deletedFinalStateUnknown) {
        }
    }

    /**
     * Waits until this process is idle (under 5% of a core for one second). fabric8's CRUD mock answers every
     * new watch by re-sending each stored object as ADDED, and a watch closed before that replay ends stalls
     * the mock's event loop for its 30 s write timeout, failing the next list (the 30 s outliers of the first
     * runs). So each watch here is kept until the replay is through, and no replay overlaps a measurement.
     */
    static void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long cpu = processCpuNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = processCpuNanos();
            if (now - cpu < 50_000_000L) {
                return;
            }
            cpu = now;
        }
    }

    /** CPU nanoseconds per live thread id, to see where a window's CPU went. */
    static Map<Long, Long> threadCpu() {
        var mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            out.put(id, Math.max(0, mx.getThreadCpuTime(id)));
        }
        return out;
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> b.getCollectionTime()).sum();
    }

    /** CPU seconds per thread group (digits folded) of threads alive now, since {@code before}; the rest is
     * GC, JIT and VM threads (process CPU minus Java threads). */
    static String cpuSince(Map<Long, Long> before, long processBefore, long gcBefore) {
        var mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new java.util.TreeMap<>();
        long javaThreads = 0;
        for (var e : threadCpu().entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            var info = mx.getThreadInfo(e.getKey());
            if (info != null && d > 0) {
                javaThreads += d;
                groups.merge(info.getThreadName().replaceAll("[0-9]+", "N"), d, Long::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        groups.forEach((k, v) -> {
            if (v > 20_000_000L) {
                sb.append(String.format(" %s=%.2f", k, v / 1e9));
            }
        });
        return sb.append(String.format(" other(GC/JIT/VM)=%.2f; GC pauses %d ms",
                (processCpuNanos() - processBefore - javaThreads) / 1e9, gcMillis() - gcBefore)).toString();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Subscribes, waits for the first full target set; returns [seconds, process CPU seconds, targets]. */
    static double[] firstFullSet(KubernetesDiscovery d, List<Disposable> keep, Map<String, Long> arrivals)
            throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        double[] out = new double[3];
        // Start from a collected heap, so neither run pays for the previous run's garbage.
        usedHeapAfterGc();
        Map<Long, Long> threads0 = threadCpu();
        long gc0 = gcMillis();
        long cpu0 = processCpuNanos();
        long subscribeAt = System.nanoTime();
        keep.add(d.discover().subscribe(batch -> {
            long now = System.nanoTime();
            if (first.getCount() == 1) {
                out[0] = (now - subscribeAt) / 1e9;
                out[1] = (processCpuNanos() - cpu0) / 1e9;
                out[2] = batch.stream().mapToInt(g -> g.targets().size()).sum();
                first.countDown();
                return;
            }
            for (TargetGroup g : batch) {
                arrivals.put(g.source() + "#" + g.labels().get("__meta_kubernetes_pod_label_pod_template_hash"), now);
            }
        }));
        first.await(10, TimeUnit.MINUTES);
        System.out.println("  discovery CPU by thread (s):" + cpuSince(threads0, cpu0, gc0));
        return out;
    }

    /** A plain fabric8 informer's list+sync of all pods ({@code inform} returns once synced): [seconds, CPU s]. */
    static double[] plainSync(NamespacedKubernetesClient client, List<SharedIndexInformer<Pod>> keep)
            throws InterruptedException {
        // Start from a collected heap, so neither run pays for the previous run's garbage.
        usedHeapAfterGc();
        Map<Long, Long> threads0 = threadCpu();
        long gc0 = gcMillis();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        SharedIndexInformer<Pod> informer = client.pods().inAnyNamespace().inform(new NoOp(), 0);
        double[] out = {(System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu0) / 1e9};
        System.out.println("  plain informer CPU by thread (s):" + cpuSince(threads0, cpu0, gc0));
        settle();
        keep.add(informer);
        return out;
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            best = Math.min(best, mem.getUsed());
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int updates = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        // The mock logs every request at INFO; 10,000 creates would measure the console instead.
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);

        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        NamespacedKubernetesClient client = server.createClient();
        long t0 = System.nanoTime();
        ExecutorService creators = Executors.newFixedThreadPool(8);
        CountDownLatch created = new CountDownLatch(pods);
        for (int i = 0; i < pods; i++) {
            int n = i;
            creators.execute(() -> {
                Pod p = pod(n);
                client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
                created.countDown();
            });
        }
        created.await();
        creators.shutdown();
        System.out.printf("created %d pods in the mock in %.1f s%n", pods, (System.nanoTime() - t0) / 1e9);

        long base = usedHeapAfterGc();
        // Each path runs once at full size before it is measured (cold: first run in this JVM), so the
        // measured runs are JIT-compiled, as in a long-running process. Garbage is collected before heap is
        // measured.
        List<SharedIndexInformer<Pod>> plainInformers = new ArrayList<>();
        double[] plainCold = plainSync(client, plainInformers);
        plainInformers.forEach(SharedIndexInformer::close);
        plainInformers.clear();
        List<Disposable> subs = new ArrayList<>();
        KubernetesSdConfig cfg = new KubernetesSdConfig(server.url("/"), "pod", null, null, List.of(), null,
                HttpClientConfig.DEFAULT);
        double[] cold;
        try (KubernetesInformerPool warmPool = new KubernetesInformerPool()) {
            cold = firstFullSet(KubernetesDiscovery.create("warm-up", cfg, List.of(), warmPool, false), subs,
                    new ConcurrentHashMap<>());
            settle();
            subs.forEach(Disposable::dispose);
            subs.clear();
        }
        System.out.printf("cold (first run of each in this JVM): plain informer %.2f s (CPU %.2f s), discovery first "
                + "full set %.2f s (CPU %.2f s) = %.1fx%n", plainCold[0], plainCold[1], cold[0], cold[1],
                cold[0] / plainCold[0]);

        // The floor: a plain informer's list+sync of the same pods, measured just before discovery and, as
        // discovery's pool does, on a new client (whose JSON mapper builds its deserializers on first use).
        double[] floor;
        try (NamespacedKubernetesClient fresh = server.createClient()) {
            floor = plainSync(fresh, plainInformers);
            plainInformers.forEach(SharedIndexInformer::close);
            plainInformers.clear();
        }
        System.out.printf("plain fabric8 informer list+sync of the same pods on a new client (the mock/fabric8 "
                + "floor): %.2f s (process CPU %.2f s, incl. the mock)%n", floor[0], floor[1]);

        KubernetesInformerPool pool = new KubernetesInformerPool();
        KubernetesDiscovery d = KubernetesDiscovery.create("bench", cfg, List.of(), pool, false);
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        double[] firstSet = firstFullSet(d, subs, arrivals);
        double firstSeconds = firstSet[0];
        System.out.printf("first full target set: %.0f targets from %d pods in %.2f s (process CPU %.2f s, incl. "
                + "the mock) = %.1fx the plain informer%n", firstSet[2], pods, firstSeconds, firstSet[1],
                firstSeconds / floor[0]);
        settle();
        long withDiscovery = usedHeapAfterGc();
        double perPod = (withDiscovery - base) / (double) pods;
        System.out.printf("heap retained by discovery: %.1f MiB = %.0f bytes/pod%n", (withDiscovery - base) / 1048576.0,
                perPod);

        long[] latencies = new long[updates];
        for (int u = 0; u < updates; u++) {
            int i = (u * 7919) % pods;
            Pod p = client.pods().inNamespace("ns" + (i % 20)).withName("pod-" + i).get();
            String hash = "upd" + u;
            p.getMetadata().getLabels().put("pod-template-hash", hash);
            String key = "pod/ns" + (i % 20) + "/pod-" + i + "#" + hash;
            long start = System.nanoTime();
            client.pods().inNamespace("ns" + (i % 20)).resource(p).update();
            while (!arrivals.containsKey(key)) {
                Thread.onSpinWait();
            }
            latencies[u] = arrivals.get(key) - start;
        }
        Arrays.sort(latencies);
        System.out.printf("pod update -> changed target group (incl. API PUT + watch): p50 %.2f ms, p99 %.2f ms (%d updates)%n",
                latencies[updates / 2] / 1e6, latencies[(int) (updates * 0.99)] / 1e6, updates);
        subs.forEach(Disposable::dispose);
        pool.close();

        // The same pods in a plain fabric8 informer that caches whole objects, for the memory comparison.
        long base2 = usedHeapAfterGc();
        double[] again = plainSync(client, plainInformers);
        SharedIndexInformer<Pod> plain = plainInformers.get(0);
        long plainHeap = usedHeapAfterGc() - base2;
        System.out.printf("plain fabric8 informer list+sync again, after discovery, on the warm client: %.2f s "
                + "(process CPU %.2f s)%n",
                again[0], again[1]);
        System.out.printf("plain fabric8 informer caching full pods: %.0f bytes/pod (%d cached)%n",
                plainHeap / (double) pods, plain.getStore().list().size());
        plain.close();

        System.out.printf("projection to 100,000 pods (linear): first target set ~%.1f s, heap ~%.0f MiB "
                        + "(plain informer ~%.0f MiB)%n", firstSeconds * 100_000 / pods, perPod * 100_000 / 1048576,
                plainHeap / (double) pods * 100_000 / 1048576);
        client.close();
        server.destroy();
        System.exit(0);
    }
}
