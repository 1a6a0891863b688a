package io.scrapeflux.web;

import org.reactivestreams.Publisher;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/** {@code /api/v1/status/config}, {@code /flags} and {@code /buildinfo}. */
final class StatusApi {

    private final WebState state;

    StatusApi(WebState state) {
        this.state = state;
    }

    void register(HttpServerRoutes routes) {
        routes.get("/api/v1/status/config", this::config)
                .get("/api/v1/status/flags", this::flags)
                .get("/api/v1/status/buildinfo", this::buildInfo);
    }

    private Publisher<Void> config(HttpServerRequest req, HttpServerResponse res) {
        String yaml = state.configYaml();
        return ApiResponses.success(res, g -> {
            g.writeStartObject();
            g.writeStringProperty("yaml", yaml);
            g.writeEndObject();
        });
    }

    private Publisher<Void> flags(HttpServerRequest req, HttpServerResponse res) {
        return ApiResponses.success(res, g -> ApiResponses.stringMap(g, state.flags()));
    }

    private Publisher<Void> buildInfo(HttpServerRequest req, HttpServerResponse res) {
        BuildInfo b = state.buildInfo();
        return ApiResponses.success(res, g -> {
            g.writeStartObject();
            g.writeStringProperty("version", b.version());
            g.writeStringProperty("revision", b.revision());
            g.writeStringProperty("branch", b.branch());
            g.writeStringProperty("buildUser", b.buildUser());
            g.writeStringProperty("buildDate", b.buildDate());
            g.writeStringProperty("goVersion", b.goVersion());
            g.writeEndObject();
        });
    }
}
