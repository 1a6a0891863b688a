package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric8 informer (resync off) shared by every job that watches the same resource, namespace and
 * selectors on the same API server; it is also the informer's item store.
 *
 * <p>As the store, it keeps per key only the resource version and the projection of the object
 * ({@link K8sObjects}): fabric8 hands every listed or watched object to {@link #put}, which projects it
 * and drops it, so no full {@code Pod} (tens of KB with managed fields) stays in memory. The objects the
 * store hands back to fabric8 are blank stand-ins carrying name, namespace and version, which is all it
 * needs to tell adds from updates and to find deletions after a relist.
 *
 * <p>As the event handler (fabric8's informer thread, one event at a time), it tells listeners which
 * keys changed. An update whose projection equals the previous one (a node heartbeat, a pod's status
 * timestamps) is not passed on. Listeners must not block.
 */
final class SharedWatch implements ResourceEventHandler<HasMetadata>, ItemStore<HasMetadata> {

    private static final Logger LOG = LoggerFactory.getLogger(SharedWatch.class);

    /** Told about changed keys and about the first full list. Called on fabric8's thread. */
    interface Listener {
        void changed(SharedWatch watch, String key);

        void synced(SharedWatch watch);

        /** A list or watch failed; fabric8 retries it with backoff. */
        default void failed(SharedWatch watch, Throwable error) {
        }

        /** A full list succeeded (first sync or relist after a failure or 410 Gone). */
        default void listed(SharedWatch watch) {
        }
    }

    /** What the store keeps per key. */
    private record Entry(String version, Object projection) {
    }

    final WatchKey key;
    private final Map<String, Entry> objects = new ConcurrentHashMap<>();
    /** Keys whose last put did not change the projection; their next update event is not passed on. */
    private final Set<String> unchanged = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile SharedIndexInformer<? extends HasMetadata> informer;
    private volatile boolean synced;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long events;

    SharedWatch(WatchKey key) {
        this.key = key;
    }

    void attach(SharedIndexInformer<? extends HasMetadata> informer) {
        this.informer = informer;
    }

    SharedIndexInformer<? extends HasMetadata> informer() {
        return informer;
    }

    void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }

    boolean synced() {
        return synced;
    }

    WatchHealth health() {
        return new WatchHealth(key.toString(), synced, lastError, lastErrorAt, events, objects.size());
    }

    /** The projection under {@code key} ({@code namespace/name} or {@code name}), or null. */
    Object projection(String key) {
        Entry e = objects.get(key);
        return e == null ? null : e.projection();
    }

    /** Key → projection of every object, a live view. */
    Iterable<Map.Entry<String, Object>> entries() {
        return () -> objects.entrySet().stream()
                .map(e -> (Map.Entry<String, Object>) new AbstractMap.SimpleImmutableEntry<String, Object>(e.getKey(),
                        e.getValue().projection()))
                .iterator();
    }

    @Override
    public int size() {
        return objects.size();
    }

    void markSynced() {
        synced = true;
        for (Listener l : listeners) {
            l.synced(this);
        }
    }

    /** Called by fabric8 before it retries a failed list or watch; the last good state stays. */
    boolean onError(boolean started, Throwable t) {
        lastError = String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        lastErrorAt = Instant.now();
        LOG.warn("kubernetes watch failed, retrying with backoff watch={} started={} err={}", key, started, lastError);
        for (Listener l : listeners) {
            l.failed(this, t);
        }
        return true;
    }

    @Override
    public void onList(String resourceVersion, boolean synced) {
        lastError = null;
        for (Listener l : listeners) {
            l.listed(this);
        }
    }

    @Override
    public void onAdd(HasMetadata obj) {
        events++;
        notifyChanged(Cache.metaNamespaceKeyFunc(obj));
    }

    @Override
    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        events++;
        String k = Cache.metaNamespaceKeyFunc(newObj);
        if (!unchanged.remove(k)) {
            notifyChanged(k);
        }
    }

    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        events++;
        notifyChanged(Cache.metaNamespaceKeyFunc(obj));
    }

    private void notifyChanged(String k) {
        for (Listener l : listeners) {
            l.changed(this, k);
        }
    }

    // ---- ItemStore: called by fabric8's reflector with the full objects ----

    @Override
    public String getKey(HasMetadata obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public HasMetadata put(String k, HasMetadata obj) {
        Object projected;
        try {
            projected = Projector.project(obj);
        } catch (RuntimeException e) {
            LOG.warn("cannot read kubernetes object, skipped watch={} object={} err={}", key, k, e.toString());
            return get(k);
        }
        String rv = obj.getMetadata().getResourceVersion();
        Entry prev = objects.get(k);
        boolean same = prev != null && Objects.equals(prev.projection(), projected);
        // An equal projection keeps the previous instance, so readers can tell "unchanged" by identity.
        Entry old = objects.put(k, new Entry(rv == null ? "" : rv, same ? prev.projection() : projected));
        if (same) {
            unchanged.add(k);
        } else {
            unchanged.remove(k);
        }
        return standIn(k, old);
    }

    @Override
    public HasMetadata remove(String k) {
        unchanged.remove(k);
        return standIn(k, objects.remove(k));
    }

    @Override
    public Stream<String> keySet() {
        return objects.keySet().stream();
    }

    @Override
    public Stream<HasMetadata> values() {
        return objects.entrySet().stream().map(e -> standIn(e.getKey(), e.getValue()));
    }

    @Override
    public HasMetadata get(String k) {
        return standIn(k, objects.get(k));
    }

    private HasMetadata standIn(String k, Entry e) {
        if (e == null) {
            return null;
        }
        int slash = k.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        if (slash >= 0) {
            meta.setNamespace(k.substring(0, slash));
            meta.setName(k.substring(slash + 1));
        } else {
            meta.setName(k);
        }
        meta.setResourceVersion(e.version());
        HasMetadata o = key.kind().blank.get();
        o.setMetadata(meta);
        return o;
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
