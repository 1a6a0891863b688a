package io.scrapeflux.web;

import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One up target (pool node), one down target (pool api) and one dropped target (pool api). */
final class TargetsFixture {

    static final long LAST_SCRAPE_MS = 1_700_000_000_123L;

    private TargetsFixture() {
    }

    static Target target(String pool, String address, Duration interval, Duration timeout) {
        Labels discovered = Labels.of("__address__", address, "__metrics_path__", "/metrics", "__scheme__", "http",
                "__scrape_interval__", interval.toSeconds() + "s", "__scrape_timeout__", timeout.toSeconds() + "s",
                "job", pool);
        return new Target(pool, Labels.of("instance", address, "job", pool), discovered,
                "http://" + address + "/metrics", interval, timeout);
    }

    static final Target UP = target("node", "localhost:9100", Duration.ofSeconds(15), Duration.ofSeconds(10));
    static final Target DOWN = target("api", "api-1.example:8080", Duration.ofSeconds(30), Duration.ofSeconds(5));
    static final Labels DROPPED = Labels.of("__address__", "api-2.example:8080", "__metrics_path__", "/metrics",
            "__scheme__", "http", "__scrape_interval__", "30s", "__scrape_timeout__", "5s", "job", "api");
    static final String DOWN_ERROR = "Get \"http://api-1.example:8080/metrics\": dial tcp: connection refused";

    static TargetsSnapshot snapshot() {
        return new TargetsSnapshot(List.of("node", "api"),
                Map.of("node", List.of(new ActiveTarget(UP,
                                new TargetHealth(TargetHealth.Health.UP, LAST_SCRAPE_MS, Duration.ofNanos(12_500_000), ""))),
                        "api", List.of(new ActiveTarget(DOWN,
                                new TargetHealth(TargetHealth.Health.DOWN, LAST_SCRAPE_MS, Duration.ofMillis(3), DOWN_ERROR)))),
                Map.of("api", List.of(DROPPED), "node", List.of()),
                Map.of("api", 3L, "node", 0L));
    }
}
