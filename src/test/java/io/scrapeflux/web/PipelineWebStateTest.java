package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.TargetSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The adapter over the real stages: active targets from the scrape manager, dropped ones from the target sets. */
class PipelineWebStateTest {

    @Test
    void combinesScrapeManagerTargetSetsAndConfig() throws Exception {
        PrometheusConfig cfg = ConfigLoader.parse("""
                scrape_configs:
                  - job_name: api
                    basic_auth:
                      username: u
                      password: hunter2
                    static_configs:
                      - targets: ['api-1.example:8080']
                  - job_name: idle
                """, "test.yml");
        ScrapeConfig api = cfg.scrapeConfigs().get(0);
        // virtual time that never advances: loops exist but never scrape
        ScrapeManager scrapes = ScrapeManager.builder().scheduler(VirtualTimeScheduler.create()).build();
        try {
            TargetSet set = new TargetSet("api", List.of(TargetsFixture.DOWN), List.of(TargetsFixture.DROPPED), 3, List.of());
            scrapes.reconcile("api", api, set.active());
            PipelineWebState state = new PipelineWebState(scrapes, () -> Map.of("api", set), () -> cfg,
                    Map.of("web.enable-lifecycle", "true"), BuildInfo.current(), () -> true);

            TargetsSnapshot snap = state.targets();
            assertThat(snap.scrapePools()).containsExactly("api", "idle");
            assertThat(snap.active().get("api")).extracting(ActiveTarget::target).containsExactly(TargetsFixture.DOWN);
            assertThat(snap.active().get("api").get(0).health()).isEqualTo(TargetHealth.UNKNOWN);
            assertThat(snap.active().get("idle")).isEmpty();
            assertThat(snap.dropped().get("api")).containsExactly(TargetsFixture.DROPPED);
            assertThat(snap.droppedCounts()).containsEntry("api", 3L).containsEntry("idle", 0L);

            String yaml = state.configYaml();
            assertThat(yaml).contains("job_name: api").contains("<secret>").doesNotContain("hunter2");
            assertThat(state.configYaml()).isSameAs(yaml);
            assertThat(state.flags()).containsEntry("web.enable-lifecycle", "true");
            assertThat(state.isReady()).isTrue();
        } finally {
            scrapes.dispose();
        }
    }
}
