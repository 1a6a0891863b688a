package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.scrapeflux.config.FileSdConfig;
import io.scrapeflux.discovery.ProviderStatus;
import io.scrapeflux.scrape.ScrapeManager;
import io.scrapeflux.sink.QueueMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The self-metrics registry: one collector per stage, read through suppliers at scrape time. */
class SelfMetricsTest {

    private static String text(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exposesDiscoveryScrapeRemoteWriteJvmAndReloadMetrics() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        ProviderStatus file = new ProviderStatus("file/0", new FileSdConfig(List.of("a.yml"), Duration.ofMinutes(5)),
                Set.of("node"), 2, 7, Instant.ofEpochSecond(1_700_000_000), "open a.yml: no such file",
                Instant.ofEpochSecond(1_699_999_000), 3, false);
        SelfMetrics.registerDiscovery(registry, () -> List.of(file));
        ScrapeManager scrapes = ScrapeManager.builder().build();
        try {
            SelfMetrics.registerScrape(registry, () -> scrapes);
            QueueMetrics queue = new QueueMetrics("rw-1", "http://127.0.0.1:9/write");
            queue.samplesSent.set(42);
            SelfMetrics.registerRemoteWrite(registry, () -> List.of(queue));
            JvmMetrics.builder().register(registry);
            new ReloadTracker(reactor.core.publisher.Mono::empty, registry, java.time.Clock.systemUTC());

            String text = text(registry);
            assertThat(text)
                    .contains("scrapeflux_sd_discovered_targets{mechanism=\"file\",provider=\"file/0\"} 7.0")
                    .contains("scrapeflux_sd_discovered_groups{provider=\"file/0\"} 2.0")
                    .contains("scrapeflux_sd_provider_healthy{provider=\"file/0\"} 0.0")
                    .contains("scrapeflux_sd_provider_failures_total{provider=\"file/0\"} 3.0")
                    .contains("scrapeflux_sd_last_update_timestamp_seconds{provider=\"file/0\"} 1.7E9")
                    .contains("scrapeflux_scrapes_total 0.0")
                    .contains("scrapeflux_scrapes_skipped_total 0.0")
                    .contains("scrapeflux_scrape_missed_ticks_total 0.0")
                    .contains("scrapeflux_remote_storage_samples_total{remote_name=\"rw-1\",url=\"http://127.0.0.1:9/write\"} 42.0")
                    .contains("jvm_memory_used_bytes")
                    .contains("scrapeflux_config_last_reload_successful 1.0")
                    .contains("scrapeflux_config_last_reload_success_timestamp_seconds");
        } finally {
            scrapes.dispose();
        }
    }
}
