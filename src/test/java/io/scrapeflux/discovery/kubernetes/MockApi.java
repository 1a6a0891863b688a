package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.KubernetesSdConfig.AttachMetadata;
import io.scrapeflux.config.KubernetesSdConfig.Namespaces;
import io.scrapeflux.config.KubernetesSdConfig.Selector;
import io.scrapeflux.discovery.TargetGroup;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.Disposable;

/** A fabric8 mock API server on loopback plus helpers to run a discoverer against it and follow its state. */
final class MockApi implements AutoCloseable {

    static {
        // fabric8, vert.x and netty log every request at DEBUG; keep test output readable.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    final KubernetesMockServer server;
    final NamespacedKubernetesClient client;

    private MockApi(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    /** CRUD mode: the server stores what the client creates and serves lists and watches from it. */
    static MockApi crud() throws Exception {
        KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        s.init(InetAddress.getByName("127.0.0.1"), 0);
        return new MockApi(s);
    }

    /** Expectations mode: each request is answered from {@code server.expect()} stubs only. */
    static MockApi expectations() throws Exception {
        KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), false);
        s.init(InetAddress.getByName("127.0.0.1"), 0);
        return new MockApi(s);
    }

    /** Creates the pod and then sets its status, as the kubelet would (the API ignores status on create). */
    void createPod(io.fabric8.kubernetes.api.model.Pod p) {
        var created = client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
        created.setStatus(p.getStatus());
        client.pods().inNamespace(p.getMetadata().getNamespace()).resource(created).updateStatus();
    }

    /** Replaces the pod's spec/metadata and status. */
    void updatePod(io.fabric8.kubernetes.api.model.Pod p) {
        var ns = p.getMetadata().getNamespace();
        var current = client.pods().inNamespace(ns).withName(p.getMetadata().getName()).get();
        p.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
        var updated = client.pods().inNamespace(ns).resource(p).update();
        updated.setStatus(p.getStatus());
        client.pods().inNamespace(ns).resource(updated).updateStatus();
    }

    String url() {
        return server.url("/");
    }

    KubernetesSdConfig config(String role) {
        return config(role, Namespaces.ALL, List.of(), AttachMetadata.NONE);
    }

    KubernetesSdConfig config(String role, Namespaces ns, List<Selector> selectors, AttachMetadata attach) {
        return new KubernetesSdConfig(url(), role, null, ns, selectors, attach, HttpClientConfig.DEFAULT);
    }

    /** Every request path the server has seen so far, URL-decoded. */
    List<String> requestPaths() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            out.add(URLDecoder.decode(r.getPath(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // The mock's Vert.x server may take longer than its own 10 s bound to close on a loaded machine;
            // how fast the fake API server shuts down is not what these tests are about.
            System.err.println("kubernetes mock server did not close in time: " + e.getMessage());
        }
    }

    /** Follows a discoverer: applies each emitted batch to a source → group map. */
    static final class Follower implements AutoCloseable {
        final BlockingQueue<List<TargetGroup>> batches = new LinkedBlockingQueue<>();
        final Map<String, TargetGroup> state = new HashMap<>();
        final List<List<TargetGroup>> seen = new ArrayList<>();
        private final Disposable subscription;

        Follower(KubernetesDiscovery d) {
            subscription = d.discover().subscribe(batches::add);
        }

        /** Waits (bounded, as a safety net only) until the state satisfies {@code condition}. */
        Map<String, TargetGroup> await(Predicate<Map<String, TargetGroup>> condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.isEmpty() || !condition.test(state)) {
                long left = deadline - System.nanoTime();
                List<TargetGroup> b = batches.poll(Math.max(1, left), TimeUnit.NANOSECONDS);
                if (b == null) {
                    throw new AssertionError("condition not reached; state=" + state.keySet() + " seen=" + seen);
                }
                apply(b);
            }
            return state;
        }

        void apply(List<TargetGroup> batch) {
            seen.add(batch);
            for (TargetGroup g : batch) {
                if (g.isEmpty()) {
                    state.remove(g.source());
                } else {
                    state.put(g.source(), g);
                }
            }
        }

        @Override
        public void close() {
            subscription.dispose();
        }
    }
}
