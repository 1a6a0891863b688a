package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric8 informer (resync off) and the projections of everything it has seen, shared by every job
 * that watches the same resource, namespace and selectors on the same API server.
 *
 * <p>Handlers run on fabric8's informer thread, one event at a time per informer. They project the
 * object, store the projection and tell listeners the key changed; an update that changes nothing the
 * labels read (a node heartbeat, a pod's status timestamps) is not passed on. Listeners must not block.
 */
final class SharedWatch implements ResourceEventHandler<HasMetadata> {

    private static final Logger LOG = LoggerFactory.getLogger(SharedWatch.class);

    /** Told about changed keys and about the first full list. Called on fabric8's thread. */
    interface Listener {
        void changed(SharedWatch watch, String key);

        void synced(SharedWatch watch);
    }

    /** What the watch knows about its own health, for status pages and logs. */
    public record Health(boolean synced, String lastError, Instant lastErrorAt, long events) {
    }

    final WatchKey key;
    private final Map<String, Object> objects = new ConcurrentHashMap<>();
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

    Health health() {
        return new Health(synced, lastError, lastErrorAt, events);
    }

    /** The projection under {@code key} ({@code namespace/name} or {@code name}), or null. */
    Object get(String key) {
        return objects.get(key);
    }

    Iterable<Map.Entry<String, Object>> entries() {
        return objects.entrySet();
    }

    int size() {
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
        return true;
    }

    @Override
    public void onList(String resourceVersion, boolean synced) {
        lastError = null;
    }

    @Override
    public void onAdd(HasMetadata obj) {
        store(obj);
    }

    @Override
    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        store(newObj);
    }

    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        events++;
        String k = Cache.metaNamespaceKeyFunc(obj);
        if (objects.remove(k) != null) {
            notifyChanged(k);
        }
    }

    private void store(HasMetadata obj) {
        events++;
        Object projected;
        try {
            projected = Projector.project(obj);
        } catch (RuntimeException e) {
            LOG.warn("cannot read kubernetes object, skipped watch={} object={} err={}", key,
                    Cache.metaNamespaceKeyFunc(obj), e.toString());
            return;
        }
        String k = Cache.metaNamespaceKeyFunc(obj);
        Object old = objects.put(k, projected);
        if (!Objects.equals(old, projected)) {
            notifyChanged(k);
        }
    }

    private void notifyChanged(String k) {
        for (Listener l : listeners) {
            l.changed(this, k);
        }
    }

    /** For tests and the pool: replaces the informer's events with a projection stored directly. */
    void put(String k, Object projected) {
        Object old = objects.put(k, projected);
        if (!Objects.equals(old, projected)) {
            notifyChanged(k);
        }
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
