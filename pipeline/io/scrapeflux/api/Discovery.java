package io.scrapeflux.api;

import io.scrapeflux.api.internal.ConfigSnippets;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.config.SdConfig;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.StandardDiscoverers;
import io.scrapeflux.discovery.kubernetes.KubernetesDiscovererFactory;
import io.scrapeflux.discovery.kubernetes.KubernetesInformerPool;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * The service-discovery mechanisms on their own (static, file, http, dns, kubernetes, ec2, gce, azure),
 * without relabeling or scraping.
 *
 * <pre>{@code
 * Discovery.of("file_sd_configs: [{files: [targets/*.json]}]")
 *         .subscribe(groups -> groups.forEach(g -> System.out.println(g.source() + " " + g.targets())));
 * }</pre>
 */
public final class Discovery {

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private Discovery() {
    }

    /**
     * The target groups of the SD blocks in {@code yaml}, written as inside a {@code scrape_configs} entry
     * ({@code file_sd_configs: ...}, {@code kubernetes_sd_configs: ...}, {@code static_configs: ...}).
     *
     * <p>Cold: each subscription starts the discoverers, cancelling stops them and releases their files,
     * watches and connections. The first list is a discoverer's full state, later lists hold the groups
     * that changed, an empty group removes its source. With several blocks, each source is prefixed
     * with its block ({@code file/0:}). An invalid block is an {@link InvalidConfigException} signal; a
     * failing source is retried inside with backoff (logged), keeping its last good groups.
     */
    public static Flux<List<TargetGroup>> of(String yaml) {
        return Flux.defer(() -> {
            List<SdConfig> configs;
            try {
                ScrapeConfig job = ConfigSnippets.job("discovery", yaml, "discovery");
                configs = job.sdConfigs();
            } catch (ConfigException e) {
                return Flux.error(InvalidConfigException.of(e));
            }
            if (configs.isEmpty()) {
                return Flux.error(InvalidConfigException.of("discovery: no service discovery block given"));
            }
            return Flux.using(KubernetesInformerPool::new, pool -> discover(configs, pool), KubernetesInformerPool::close);
        });
    }

    private static Flux<List<TargetGroup>> discover(List<SdConfig> configs, KubernetesInformerPool pool) {
        DiscovererRegistry registry = StandardDiscoverers.registry().with(new KubernetesDiscovererFactory(pool));
        List<Flux<List<TargetGroup>>> sources = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            SdConfig c = configs.get(i);
            String prefix = configs.size() == 1 ? "" : c.mechanism() + "/" + i + ":";
            sources.add(registry.create(c, failures(c.mechanism() + "/" + i)).discover()
                    .map(groups -> Views.publicGroups(groups, prefix)));
        }
        return Flux.merge(sources);
    }

    private static FailureReporter failures(String provider) {
        return new FailureReporter() {
            @Override
            public void failure(Throwable error) {
                log.atWarn().addKeyValue("provider", provider).addKeyValue("err", String.valueOf(error.getMessage()))
                        .log("Service discovery failed, keeping last good targets");
            }

            @Override
            public void success() {
                // nothing to clear: failures are only logged
            }
        };
    }
}
