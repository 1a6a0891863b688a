package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import java.util.List;

/**
 * Registers Kubernetes discovery with the {@code DiscovererRegistry}:
 * {@code registry.with(new KubernetesDiscovererFactory(pool))}. The factory interface carries neither the
 * job name nor its relabel rules, so discoverers made here never push filters down; to get push-down, build
 * them with {@link KubernetesDiscovery#create(String, KubernetesSdConfig, List, KubernetesInformerPool, boolean,
 * FailureReporter)}.
 */
public final class KubernetesDiscovererFactory implements DiscovererFactory<KubernetesSdConfig> {

    private final KubernetesInformerPool pool;

    public KubernetesDiscovererFactory(KubernetesInformerPool pool) {
        this.pool = pool;
    }

    @Override
    public Class<KubernetesSdConfig> configType() {
        return KubernetesSdConfig.class;
    }

    @Override
    public Discoverer create(KubernetesSdConfig config, FailureReporter failures) {
        return KubernetesDiscovery.create("", config, List.of(), pool, false, failures);
    }
}
