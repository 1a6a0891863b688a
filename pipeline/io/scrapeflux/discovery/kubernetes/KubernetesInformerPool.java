package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * The informers of all Kubernetes discoverers of one process, reference-counted: jobs that watch the same
 * resource with the same namespace and selectors on the same API server share one list/watch, and the
 * last job to stop closes it (and the client once no watch uses it). One instance per process, passed
 * to every {@link KubernetesDiscovery}; no static state.
 */
public final class KubernetesInformerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesInformerPool.class);

    private final Function<ClientKey, KubernetesClient> clientFactory;
    private final Map<ClientKey, ClientEntry> clients = new HashMap<>();
    private final Map<WatchKey, WatchEntry> watches = new HashMap<>();

    private static final class ClientEntry {
        final KubernetesClient client;
        int users;

        ClientEntry(KubernetesClient client) {
            this.client = client;
        }
    }

    private static final class WatchEntry {
        final SharedWatch watch;
        int users;

        WatchEntry(SharedWatch watch) {
            this.watch = watch;
        }
    }

    public KubernetesInformerPool() {
        this(key -> new KubernetesClientBuilder().withConfig(ClientConfigs.build(key)).build());
    }

    KubernetesInformerPool(Function<ClientKey, KubernetesClient> clientFactory) {
        this.clientFactory = clientFactory;
    }

    /** Number of distinct list/watches running, for tests and status. */
    public synchronized int activeWatches() {
        return watches.size();
    }

    /** Health of every running watch, keyed by a readable description. */
    public synchronized List<WatchHealth> health() {
        return watches.values().stream().map(e -> e.watch.health()).toList();
    }

    /**
     * The shared watch for {@code key}, started on first use. May create a client (reading kubeconfig or
     * token files): call off Reactor threads. Pair every acquire with {@link #release}.
     */
    synchronized SharedWatch acquire(WatchKey key) {
        WatchEntry e = watches.get(key);
        if (e != null) {
            e.users++;
            return e.watch;
        }
        ClientEntry c = clients.get(key.client());
        if (c == null) {
            c = new ClientEntry(clientFactory.apply(key.client()));
            clients.put(key.client(), c);
        }
        SharedWatch watch = new SharedWatch(key);
        SharedIndexInformer<? extends HasMetadata> informer = start(c.client, key, watch);
        watch.attach(informer);
        c.users++;
        e = new WatchEntry(watch);
        e.users = 1;
        watches.put(key, e);
        LOG.info("kubernetes watch started watch={}", key);
        return watch;
    }

    synchronized void release(SharedWatch watch) {
        WatchEntry e = watches.get(watch.key);
        if (e == null || e.watch != watch || --e.users > 0) {
            return;
        }
        watches.remove(watch.key);
        watch.informer().stop();
        LOG.info("kubernetes watch stopped watch={}", watch.key);
        ClientEntry c = clients.get(watch.key.client());
        if (c != null && --c.users == 0) {
            clients.remove(watch.key.client());
            c.client.close();
        }
    }

    @Override
    public synchronized void close() {
        for (WatchEntry e : new ArrayList<>(watches.values())) {
            e.watch.informer().stop();
        }
        watches.clear();
        clients.values().forEach(c -> c.client.close());
        clients.clear();
    }

    private static SharedIndexInformer<? extends HasMetadata> start(KubernetesClient client, WatchKey key,
            SharedWatch watch) {
        FilterWatchListDeletable<? extends HasMetadata, ?, ?> op = key.kind().operation(client, key.namespace());
        op = filter(op, key.labelSelector(), key.fieldSelector());
        SharedIndexInformer<? extends HasMetadata> informer = op.runnableInformer(0);
        startInformer(informer, key, watch);
        return informer;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void startInformer(SharedIndexInformer informer, WatchKey key, SharedWatch watch) {
        informer.itemStore(watch);
        informer.exceptionHandler(watch::onError);
        informer.addEventHandler(watch);
        // Completion may arrive on a vert.x event loop; the first full state is built by the listeners, so
        // hand it to a Reactor worker (CPU only, never blocking) instead of holding up network I/O.
        informer.start().whenCompleteAsync((ok, err) -> {
            if (err == null) {
                watch.markSynced();
            } else {
                watch.onError(false, (Throwable) err);
            }
        }, task -> Schedulers.parallel().schedule(task));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static FilterWatchListDeletable<? extends HasMetadata, ?, ?> filter(
            FilterWatchListDeletable op, String label, String field) {
        FilterWatchListDeletable out = op;
        if (label != null && !label.isEmpty()) {
            out = (FilterWatchListDeletable) out.withLabelSelector(label);
        }
        for (Selectors.FieldRequirement r : Selectors.parseFieldSelector(field)) {
            out = (FilterWatchListDeletable) (r.equal() ? out.withField(r.field(), r.value())
                    : out.withoutField(r.field(), r.value()));
        }
        return out;
    }
}
