package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.KubernetesSdConfig.AttachMetadata;
import io.scrapeflux.config.KubernetesSdConfig.Namespaces;
import io.scrapeflux.config.KubernetesSdConfig.Selector;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointAddress;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointSubset;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Endpoints;
import io.scrapeflux.discovery.kubernetes.K8sObjects.EndpointSlice;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Meta;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Namespace;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Node;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Pod;
import io.scrapeflux.discovery.kubernetes.K8sObjects.Service;
import io.scrapeflux.discovery.kubernetes.K8sObjects.SliceEndpoint;
import io.scrapeflux.discovery.kubernetes.K8sObjects.TargetRef;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * Kubernetes service discovery for one {@code kubernetes_sd_config} of one job.
 *
 * <p>{@link #discover()} acquires the shared watches the role needs from the {@link KubernetesInformerPool},
 * waits until all of them have listed once, emits every target group in one batch (built once, after the
 * lists, not per listed object), then emits the groups whose object (or a related pod, service, node or
 * namespace) changed. Changes are recorded as dirty keys, so a slow subscriber gets the latest state of
 * each object, never a growing queue: memory is bounded by the number of watched objects. A related
 * object's change finds the groups that read it through an index (related object → groups), not by
 * scanning every group. Groups are built on whichever thread drains (fabric8's informer thread or the
 * requesting thread); building is CPU-only and never blocks. Subscribing may read kubeconfig or token
 * files and so runs on {@code boundedElastic}.
 */
public final class KubernetesDiscovery implements Discoverer {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscovery.class);

    private final String job;
    private final KubernetesSdConfig config;
    private final KubernetesRole role;
    private final PushDown pushDown;
    private final KubernetesInformerPool pool;
    private final FailureReporter failures;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    private KubernetesDiscovery(String job, KubernetesSdConfig config, KubernetesRole role, PushDown pushDown,
            KubernetesInformerPool pool, FailureReporter failures) {
        this.job = job;
        this.config = config;
        this.role = role;
        this.pushDown = pushDown;
        this.pool = pool;
        this.failures = failures;
    }

    /**
     * A discoverer for {@code config} of job {@code job}. With {@code pushDown} on, the leading {@code keep}
     * rules of {@code relabelConfigs} narrow the watch (see {@link PushDown}); the rules must still be applied
     * by the relabel stage. Throws {@link IllegalArgumentException} when {@link #validate} reports errors.
     */
    public static KubernetesDiscovery create(String job, KubernetesSdConfig config, List<RelabelConfig> relabelConfigs,
            KubernetesInformerPool pool, boolean pushDown) {
        return create(job, config, relabelConfigs, pool, pushDown, FailureReporter.NONE);
    }

    /** As {@link #create(String, KubernetesSdConfig, List, KubernetesInformerPool, boolean)}, reporting watch
     * failures (retried inside) and successful lists to {@code failures}. */
    public static KubernetesDiscovery create(String job, KubernetesSdConfig config, List<RelabelConfig> relabelConfigs,
            KubernetesInformerPool pool, boolean pushDown, FailureReporter failures) {
        List<String> errors = validate(config);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("job " + job + ": " + String.join("; ", errors));
        }
        KubernetesRole role = KubernetesRole.fromConfig(config.role()).orElseThrow();
        PushDown pd = pushDown ? PushDown.analyze(role, relabelConfigs) : PushDown.NONE;
        if (pushDown) {
            LOG.info("kubernetes filter push-down job={} role={} pushed={}", job, role, pd.describe());
        }
        return new KubernetesDiscovery(job, config, role, pd, pool, failures);
    }

    /** Prometheus's checks of a {@code kubernetes_sd_config}; empty when valid. */
    public static List<String> validate(KubernetesSdConfig c) {
        return KubernetesSdValidation.validate(c);
    }

    public KubernetesRole role() {
        return role;
    }

    /** What push-down applies to this job's watch ({@link PushDown#NONE} when off or nothing qualifies). */
    public PushDown pushDown() {
        return pushDown;
    }

    /** Health of the watches this discoverer's running subscriptions use (empty when not subscribed). */
    public List<WatchHealth> health() {
        return sessions.stream().flatMap(s -> s.all.stream()).map(SharedWatch::health).distinct().toList();
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return Flux.<List<TargetGroup>>create(sink -> {
            Session s = new Session(sink);
            sessions.add(s);
            sink.onDispose(() -> {
                sessions.remove(s);
                Schedulers.boundedElastic().schedule(s::close);
            });
            sink.onRequest(n -> s.drain());
            s.start();
        }, FluxSink.OverflowStrategy.ERROR).subscribeOn(Schedulers.boundedElastic());
    }

    // ---------------------------------------------------------------------------------------------

    private List<String> namespaces() {
        Namespaces ns = config.namespaces() == null ? Namespaces.ALL : config.namespaces();
        Set<String> names = new LinkedHashSet<>(ns.names());
        if (ns.ownNamespace()) {
            names.add(ClientConfigs.ownNamespace());
        }
        if (pushDown.namespaces() != null) {
            if (names.isEmpty()) {
                names.addAll(pushDown.namespaces());
            } else {
                names.retainAll(pushDown.namespaces());
            }
            return List.copyOf(names);
        }
        return names.isEmpty() ? List.of("") : List.copyOf(names);
    }

    private Selector selector(String forRole) {
        if (config.selectors() != null) {
            for (Selector s : config.selectors()) {
                if (forRole.equals(s.role())) {
                    return s;
                }
            }
        }
        return new Selector(forRole, "", "");
    }

    private WatchKey key(ResourceKind kind, String namespace, String selectorRole) {
        Selector s = selector(selectorRole);
        String label = nz(s.label());
        String field = nz(s.field());
        if (kind == ResourceKind.PODS && role == KubernetesRole.POD) {
            label = join(label, pushDown.labelSelector());
            field = join(field, pushDown.fieldSelector());
        }
        return new WatchKey(new ClientKey(config.apiServer(), config.kubeconfigFile(), config.http()), kind,
                kind.namespaced ? namespace : "", label, field);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "," + b;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** A group built before the first full state, and the projection it was built from (null group: none). */
    private record Prebuilt(Object projection, TargetGroup group) {
    }

    /** An object of a related watch, by kind and informer key. */
    private record Related(ResourceKind kind, String key) {
    }

    /** One subscription: its watches, dirty keys and the drain loop. */
    private final class Session implements SharedWatch.Listener, TargetGroups.Lookup {
        private final FluxSink<List<TargetGroup>> sink;
        private final List<SharedWatch> primary = new ArrayList<>();
        private final List<SharedWatch> pods = new ArrayList<>();
        private final List<SharedWatch> services = new ArrayList<>();
        private SharedWatch nodes;
        private SharedWatch namespaceWatch;
        private final List<SharedWatch> all = new CopyOnWriteArrayList<>();
        /** Primary keys whose object changed (or may have: fabric8 replays adds after the first list). */
        private final Set<String> dirty = ConcurrentHashMap.newKeySet();
        /** Related objects (node, namespace, service, pod) that changed since the last drain. */
        private final Set<Related> relatedDirty = ConcurrentHashMap.newKeySet();
        /** Kinds of the related watches; empty for roles whose groups read nothing but their own object. */
        private final Set<ResourceKind> relatedKinds = EnumSet.noneOf(ResourceKind.class);
        /** Related object → primary keys whose last emitted group read it. Only touched while draining. */
        private final Map<Related, Set<String>> readers = new HashMap<>();
        /** The projection each key's last emitted group was built from; an identical one needs no re-emission. */
        private final Map<String, Object> emitted = new ConcurrentHashMap<>();
        /**
         * Groups built while the first lists arrive, on fabric8's notification thread, so that building runs
         * alongside the decoding of the rest of the list instead of after it. Null once the first full state
         * is out; only used when groups read nothing but their own object (no related watch can still be
         * listing). The full state takes a group from here only if it was built from the current projection.
         */
        private volatile Map<String, Prebuilt> prebuilt = new ConcurrentHashMap<>();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean started;
        private volatile boolean closed;
        private boolean initialSent;

        Session(FluxSink<List<TargetGroup>> sink) {
            this.sink = sink;
        }

        void start() {
            try {
                AttachMetadata attach = config.attachMetadata() == null ? AttachMetadata.NONE : config.attachMetadata();
                ResourceKind primaryKind = switch (role) {
                    case POD -> ResourceKind.PODS;
                    case NODE -> ResourceKind.NODES;
                    case SERVICE -> ResourceKind.SERVICES;
                    case ENDPOINTS -> ResourceKind.ENDPOINTS;
                    case ENDPOINTSLICE -> ResourceKind.ENDPOINTSLICES;
                    case INGRESS -> ResourceKind.INGRESSES;
                };
                boolean endpointsLike = role == KubernetesRole.ENDPOINTS || role == KubernetesRole.ENDPOINTSLICE;
                List<String> nss = role == KubernetesRole.NODE ? List.of("") : namespaces();
                for (String ns : nss) {
                    primary.add(acquire(key(primaryKind, ns, role.configName())));
                    if (endpointsLike) {
                        services.add(acquire(key(ResourceKind.SERVICES, ns, "service")));
                        pods.add(acquire(key(ResourceKind.PODS, ns, "pod")));
                    }
                }
                boolean nodeMeta = attach.node() && (role == KubernetesRole.POD || endpointsLike);
                if (nodeMeta) {
                    nodes = acquire(key(ResourceKind.NODES, "", "node"));
                }
                if (attach.namespace() && role != KubernetesRole.NODE) {
                    namespaceWatch = acquire(key(ResourceKind.NAMESPACES, "", "namespace"));
                }
                for (SharedWatch w : all) {
                    if (!primary.contains(w)) {
                        relatedKinds.add(w.key.kind());
                    }
                }
                started = true;
                drain();
            } catch (RuntimeException e) {
                boolean cancelled = closed;
                close();
                if (!cancelled) {
                    sink.error(e);
                }
            }
        }

        /** Synchronized with {@link #close} so a cancel during start never leaks a watch. */
        private synchronized SharedWatch acquire(WatchKey k) {
            if (closed) {
                throw new IllegalStateException("cancelled");
            }
            SharedWatch w = pool.acquire(k);
            all.add(w);
            w.addListener(this);
            return w;
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (SharedWatch w : all) {
                w.removeListener(this);
                pool.release(w);
            }
        }

        @Override
        public void changed(SharedWatch watch, String key) {
            if (primary.contains(watch)) {
                dirty.add(key);
                prebuild(watch, key);
            } else {
                relatedDirty.add(new Related(watch.key.kind(), key));
            }
            drain();
        }

        private void prebuild(SharedWatch watch, String key) {
            Map<String, Prebuilt> early = prebuilt;
            if (early == null || !started || !relatedKinds.isEmpty()) {
                return;
            }
            Object o = watch.projection(key);
            if (o == null) {
                early.remove(key);
            } else {
                early.put(key, new Prebuilt(o, build(o)));
            }
        }

        @Override
        public void synced(SharedWatch watch) {
            drain();
        }

        @Override
        public void failed(SharedWatch watch, Throwable error) {
            failures.failure(error);
        }

        @Override
        public void listed(SharedWatch watch) {
            failures.success();
        }

        private boolean allSynced() {
            for (SharedWatch w : all) {
                if (!w.synced()) {
                    return false;
                }
            }
            return true;
        }

        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (started && !closed && sink.requestedFromDownstream() > 0 && allSynced()) {
                    List<TargetGroup> batch = null;
                    boolean first = !initialSent;
                    if (first) {
                        // The full state reads every object as it is now, so changes seen so far are in it.
                        dirty.clear();
                        relatedDirty.clear();
                        batch = fullState();
                        initialSent = true;
                        prebuilt = null;
                    } else if (!dirty.isEmpty() || !relatedDirty.isEmpty()) {
                        batch = changedGroups();
                    }
                    if (batch != null && (!batch.isEmpty() || first)) {
                        sink.next(batch);
                    }
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private List<TargetGroup> fullState() {
            List<TargetGroup> out = new ArrayList<>();
            Map<String, Prebuilt> early = prebuilt == null ? Map.of() : prebuilt;
            for (SharedWatch w : primary) {
                for (Map.Entry<String, Object> e : w.entries()) {
                    remember(e.getKey(), e.getValue());
                    Prebuilt p = early.get(e.getKey());
                    TargetGroup g = p != null && p.projection() == e.getValue() ? p.group() : build(e.getValue());
                    if (g != null) {
                        out.add(g);
                    }
                }
            }
            return out;
        }

        private List<TargetGroup> changedGroups() {
            List<TargetGroup> out = new ArrayList<>();
            Set<String> forced = new LinkedHashSet<>();
            for (var it = relatedDirty.iterator(); it.hasNext();) {
                Set<String> keys = readers.get(it.next());
                it.remove();
                if (keys != null) {
                    forced.addAll(keys);
                }
            }
            for (String k : forced) {
                dirty.remove(k);
                emit(k, out);
            }
            for (var it = dirty.iterator(); it.hasNext();) {
                String k = it.next();
                it.remove();
                Object o = primaryObject(k);
                if (o == null || emitted.get(k) != o) {
                    emit(k, out);
                }
            }
            return out;
        }

        private void emit(String k, List<TargetGroup> out) {
            Object o = primaryObject(k);
            if (o != null) {
                remember(k, o);
                TargetGroup g = build(o);
                if (g != null) {
                    out.add(g);
                }
            } else if (remember(k, null) != null) {
                out.add(TargetGroup.removed(source(k)));
            }
        }

        /**
         * Records {@code o} (null: gone) as what key {@code k}'s group is built from, and moves the key in the
         * related-object index from what the previous projection read to what {@code o} reads.
         */
        private Object remember(String k, Object o) {
            Object previous = o == null ? emitted.remove(k) : emitted.put(k, o);
            if (relatedKinds.isEmpty() || previous == o) {
                return previous;
            }
            if (previous != null) {
                for (Related r : reads(previous)) {
                    Set<String> keys = readers.get(r);
                    if (keys != null && keys.remove(k) && keys.isEmpty()) {
                        readers.remove(r);
                    }
                }
            }
            if (o != null) {
                for (Related r : reads(o)) {
                    readers.computeIfAbsent(r, x -> new HashSet<>(4)).add(k);
                }
            }
            return previous;
        }

        private Object primaryObject(String key) {
            for (SharedWatch w : primary) {
                Object o = w.projection(key);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }

        private String source(String key) {
            int slash = key.indexOf('/');
            String ns = slash < 0 ? "" : key.substring(0, slash);
            String name = key.substring(slash + 1);
            return switch (role) {
                case POD -> TargetGroups.podSource(ns, name);
                case NODE -> TargetGroups.nodeSource(name);
                case SERVICE -> TargetGroups.serviceSource(ns, name);
                case ENDPOINTS -> TargetGroups.endpointsSource(ns, name);
                case ENDPOINTSLICE -> TargetGroups.endpointSliceSource(ns, name);
                case INGRESS -> TargetGroups.ingressSource(ns, name);
            };
        }

        private TargetGroup build(Object o) {
            return switch (role) {
                case POD -> TargetGroups.pod((Pod) o, this);
                case NODE -> TargetGroups.node((Node) o);
                case SERVICE -> TargetGroups.service((Service) o, this);
                case ENDPOINTS -> TargetGroups.endpoints((Endpoints) o, this);
                case ENDPOINTSLICE -> TargetGroups.endpointSlice((EndpointSlice) o, this);
                case INGRESS -> TargetGroups.ingress((K8sObjects.Ingress) o, this);
            };
        }

        /** The related objects (of the watched related kinds) that the group built from {@code o} reads. */
        private Set<Related> reads(Object o) {
            Set<Related> out = new HashSet<>(4);
            Meta meta = metaOf(o);
            add(out, ResourceKind.NAMESPACES, meta.namespace());
            if (o instanceof Pod p) {
                add(out, ResourceKind.NODES, p.nodeName());
            } else if (o instanceof Endpoints eps) {
                add(out, ResourceKind.SERVICES, meta.key());
                for (EndpointSubset ss : eps.subsets()) {
                    for (List<EndpointAddress> as : List.of(ss.addresses(), ss.notReadyAddresses())) {
                        for (EndpointAddress a : as) {
                            add(out, ResourceKind.NODES, a.nodeName());
                            addPod(out, a.targetRef());
                        }
                    }
                }
            } else if (o instanceof EndpointSlice es) {
                String svc = meta.labels().get("kubernetes.io/service-name");
                if (svc != null) {
                    add(out, ResourceKind.SERVICES, meta.namespace() + "/" + svc);
                }
                for (SliceEndpoint ep : es.endpoints()) {
                    add(out, ResourceKind.NODES, ep.nodeName());
                    TargetRef r = ep.targetRef();
                    if (r != null && "Node".equals(r.kind())) {
                        add(out, ResourceKind.NODES, r.name());
                    }
                    addPod(out, r);
                }
            }
            return out;
        }

        private void add(Set<Related> out, ResourceKind kind, String key) {
            if (key != null && !key.isEmpty() && relatedKinds.contains(kind)) {
                out.add(new Related(kind, key));
            }
        }

        private void addPod(Set<Related> out, TargetRef r) {
            if (r != null && "Pod".equals(r.kind())) {
                add(out, ResourceKind.PODS, r.namespace() + "/" + r.name());
            }
        }

        private Meta metaOf(Object o) {
            if (o instanceof Pod p) {
                return p.meta();
            } else if (o instanceof Node n) {
                return n.meta();
            } else if (o instanceof Service s) {
                return s.meta();
            } else if (o instanceof Endpoints e) {
                return e.meta();
            } else if (o instanceof EndpointSlice e) {
                return e.meta();
            }
            return ((K8sObjects.Ingress) o).meta();
        }

        // ---- Lookup ----

        @Override
        public Pod pod(String namespace, String name) {
            return (Pod) find(pods, namespace + "/" + name);
        }

        @Override
        public Service service(String namespace, String name) {
            return (Service) find(services, namespace + "/" + name);
        }

        @Override
        public Node node(String name) {
            return nodes == null ? null : (Node) nodes.projection(name);
        }

        @Override
        public Namespace namespace(String name) {
            return namespaceWatch == null ? null : (Namespace) namespaceWatch.projection(name);
        }

        private Object find(List<SharedWatch> ws, String key) {
            for (SharedWatch w : ws) {
                Object o = w.projection(key);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "kubernetes discovery job=" + job;
        }
    }
}
