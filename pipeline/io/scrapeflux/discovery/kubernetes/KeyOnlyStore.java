package io.scrapeflux.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The informer's item store, reduced to key → resourceVersion. fabric8 needs a store to tell adds from
 * updates and to find deletions after a relist; it does not need the objects themselves, which discovery
 * projects in its event handler. Instead of a full {@code Pod} per key (tens of KB with managed fields),
 * this keeps two strings; the objects it hands back are blank stand-ins with name, namespace and version.
 */
final class KeyOnlyStore<T extends HasMetadata> implements ItemStore<T> {

    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final Supplier<? extends HasMetadata> blank;

    KeyOnlyStore(Supplier<? extends HasMetadata> blank) {
        this.blank = blank;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        String rv = obj.getMetadata().getResourceVersion();
        return standIn(key, versions.put(key, rv == null ? "" : rv));
    }

    @Override
    public T remove(String key) {
        return standIn(key, versions.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return versions.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return versions.entrySet().stream().map(e -> standIn(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return versions.size();
    }

    @Override
    public T get(String key) {
        return standIn(key, versions.get(key));
    }

    @SuppressWarnings("unchecked")
    private T standIn(String key, String version) {
        if (version == null) {
            return null;
        }
        int slash = key.indexOf('/');
        ObjectMeta meta = new ObjectMeta();
        if (slash >= 0) {
            meta.setNamespace(key.substring(0, slash));
            meta.setName(key.substring(slash + 1));
        } else {
            meta.setName(key);
        }
        meta.setResourceVersion(version);
        HasMetadata o = blank.get();
        o.setMetadata(meta);
        return (T) o;
    }
}
