package io.scrapeflux.web;

import io.scrapeflux.config.PromDuration;
import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.Target;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JsonGenerator;

/** {@code /api/v1/targets}, {@code /api/v1/scrape_pools} and {@code /api/v1/targets/metadata} in Prometheus 3's shapes. */
final class TargetsApi {

    private final WebState state;
    private final GlobalUrl globalUrl;

    TargetsApi(WebState state, GlobalUrl globalUrl) {
        this.state = state;
        this.globalUrl = globalUrl;
    }

    void register(HttpServerRoutes routes) {
        routes.get("/api/v1/targets", this::targets)
                .get("/api/v1/scrape_pools", this::scrapePools)
                .get("/api/v1/targets/metadata", this::metadata);
    }

    private Publisher<Void> targets(HttpServerRequest req, HttpServerResponse res) {
        String stateParam = ApiResponses.param(req, "state").toLowerCase(Locale.ROOT);
        String pool = ApiResponses.param(req, "scrapePool");
        boolean showActive = stateParam.isEmpty() || stateParam.equals("any") || stateParam.equals("active");
        boolean showDropped = stateParam.isEmpty() || stateParam.equals("any") || stateParam.equals("dropped");
        return ApiResponses.success(res, g -> {
            TargetsSnapshot snap = state.targets();
            g.writeStartObject();
            g.writeName("activeTargets");
            g.writeStartArray();
            if (showActive) {
                snap.active().forEach((name, targets) -> {
                    if (pool.isEmpty() || pool.equals(name)) {
                        targets.forEach(t -> activeTarget(g, name, t));
                    }
                });
            }
            g.writeEndArray();
            g.writeName("droppedTargets");
            g.writeStartArray();
            if (showDropped) {
                snap.dropped().forEach((name, dropped) -> {
                    if (pool.isEmpty() || pool.equals(name)) {
                        dropped.forEach(labels -> droppedTarget(g, name, labels));
                    }
                });
            }
            g.writeEndArray();
            g.writeName("droppedTargetCounts");
            // Prometheus fills the counts only when dropped targets are asked for, null otherwise
            if (showDropped) {
                g.writeStartObject();
                snap.droppedCounts().forEach((name, count) -> {
                    if (pool.isEmpty() || pool.equals(name)) {
                        g.writeNumberProperty(name, count);
                    }
                });
                g.writeEndObject();
            } else {
                g.writeNull();
            }
            g.writeEndObject();
        });
    }

    private void activeTarget(JsonGenerator g, String pool, ActiveTarget at) {
        Target t = at.target();
        TargetHealth h = at.health();
        g.writeStartObject();
        g.writeName("discoveredLabels");
        ApiResponses.labels(g, t.discoveredLabels());
        g.writeName("labels");
        ApiResponses.labels(g, t.labels());
        g.writeStringProperty("scrapePool", pool);
        g.writeStringProperty("scrapeUrl", t.scrapeUrl());
        g.writeStringProperty("globalUrl", globalUrl.of(t.scrapeUrl()));
        g.writeStringProperty("lastError", h.lastError());
        g.writeStringProperty("lastScrape", ApiResponses.goTime(h.lastScrapeMs()));
        g.writeName("lastScrapeDuration");
        g.writeNumber(ApiResponses.goFloat(h.lastScrapeDuration().toNanos() / 1e9));
        g.writeStringProperty("health", h.health().toString());
        g.writeStringProperty("scrapeInterval", PromDuration.format(t.interval()));
        g.writeStringProperty("scrapeTimeout", PromDuration.format(t.timeout()));
        g.writeEndObject();
    }

    private static void droppedTarget(JsonGenerator g, String pool, Labels discovered) {
        g.writeStartObject();
        g.writeName("discoveredLabels");
        ApiResponses.labels(g, discovered);
        g.writeStringProperty("scrapePool", pool);
        g.writeEndObject();
    }

    private Publisher<Void> scrapePools(HttpServerRequest req, HttpServerResponse res) {
        return ApiResponses.success(res, g -> {
            g.writeStartObject();
            g.writeName("scrapePools");
            ApiResponses.stringArray(g, state.targets().scrapePools());
            g.writeEndObject();
        });
    }

    /**
     * Prometheus's parameters: {@code match_target} (a label selector on target labels), {@code metric}
     * and {@code limit}. Only exact {@code label="value"} selectors are understood here.
     */
    private Publisher<Void> metadata(HttpServerRequest req, HttpServerResponse res) {
        String limitText = ApiResponses.param(req, "limit");
        long limit = -1;
        if (!limitText.isEmpty()) {
            try {
                limit = Long.parseLong(limitText);
            } catch (NumberFormatException e) {
                return ApiResponses.badData(res, "limit must be a number");
            }
        }
        Map<String, String> match;
        try {
            match = EqualitySelector.parse(ApiResponses.param(req, "match_target"));
        } catch (IllegalArgumentException e) {
            return ApiResponses.badData(res, e.getMessage());
        }
        String metric = ApiResponses.param(req, "metric");
        long max = limit;
        return ApiResponses.success(res, g -> {
            List<TargetMetadata> all = state.metadata();
            g.writeStartArray();
            long n = 0;
            for (TargetMetadata m : all) {
                if (max >= 0 && n >= max) {
                    break;
                }
                if ((!metric.isEmpty() && !metric.equals(m.metric())) || !EqualitySelector.matches(match, m.target())) {
                    continue;
                }
                n++;
                g.writeStartObject();
                g.writeName("target");
                ApiResponses.labels(g, m.target());
                if (metric.isEmpty()) {
                    g.writeStringProperty("metric", m.metric());
                }
                g.writeStringProperty("type", m.type());
                g.writeStringProperty("help", m.help());
                g.writeStringProperty("unit", m.unit());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }
}
