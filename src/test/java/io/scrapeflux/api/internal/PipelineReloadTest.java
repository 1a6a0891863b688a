package io.scrapeflux.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.StaticDiscoverer;
import io.scrapeflux.scrape.ScrapeManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A reload that discovery rejects changes nothing: jobs, loops and the config in force stay. */
class PipelineReloadTest {

    /** Static discovery that refuses any block listing {@code rejected:1}, as a factory refusing its config would. */
    private static final class PickyStatic implements DiscovererFactory<StaticConfig> {
        @Override
        public Class<StaticConfig> configType() {
            return StaticConfig.class;
        }

        @Override
        public Discoverer create(StaticConfig config, FailureReporter failures) {
            if (config.targets().contains("rejected:1")) {
                throw new IllegalArgumentException("static_configs: rejected:1 is refused");
            }
            return new StaticDiscoverer(config);
        }
    }

    private static PrometheusConfig config(String interval, String target) throws Exception {
        return ConfigLoader.parse("""
                scrape_configs:
                  - job_name: a
                    scrape_interval: %s
                    static_configs: [{targets: ['127.0.0.1:1']}]
                  - job_name: b
                    static_configs: [{targets: ['%s']}]
                """.formatted(interval, target), "reload.yml");
    }

    @Test
    void rejectedReloadLeavesEverythingAsItWas() throws Exception {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        PrometheusConfig first = config("1m", "127.0.0.1:2");
        try (Pipeline p = Pipeline.builder().config(first)
                .discoverers(new DiscovererRegistry(List.of(new PickyStatic())))
                .discoveryScheduler(time)
                .scrapes(ScrapeManager.builder().scheduler(time))
                .build()) {
            p.scrapes().subscribe();
            p.start();
            time.advanceTimeBy(Duration.ofMillis(50));
            assertThat(p.currentTargets()).containsOnlyKeys("a", "b");

            // job a changes (would restart its loops), job b's discovery is refused
            assertThatThrownBy(() -> p.apply(config("30s", "rejected:1")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused");

            assertThat(p.config()).isSameAs(first);
            assertThat(p.currentTargets().get("a").active()).singleElement()
                    .satisfies(t -> assertThat(t.interval()).isEqualTo(Duration.ofMinutes(1)));
            assertThat(p.scrapeManager().targets("a").keySet()).singleElement()
                    .satisfies(t -> assertThat(t.interval()).isEqualTo(Duration.ofMinutes(1)));

            p.apply(config("30s", "127.0.0.1:3"));
            time.advanceTimeBy(Duration.ofSeconds(5)); // discovery's coalescing, at most 5s
            assertThat(p.currentTargets().get("a").active().get(0).interval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.currentTargets().get("b").active().get(0).labels().get("instance")).isEqualTo("127.0.0.1:3");
        } finally {
            time.dispose();
        }
    }
}
