package io.scrapeflux.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The HTML UI, served from the jar (no CDN): one page shell filled per page, plus one stylesheet and
 * one script that render the pages from the JSON API. Everything is read once at start.
 */
final class UiPages {

    private static final String BASE = "/io/scrapeflux/web/ui/";
    /** path, page id, title; the page id tells app.js which view to render. */
    private static final Map<String, String[]> PAGES = Map.of(
            "/targets", new String[] {"targets", "Targets"},
            "/service-discovery", new String[] {"service-discovery", "Service Discovery"},
            "/config", new String[] {"config", "Configuration"});

    private final String shell = resource("page.html");
    private final byte[] css = resource("app.css").getBytes(StandardCharsets.UTF_8);
    private final byte[] js = resource("app.js").getBytes(StandardCharsets.UTF_8);

    void register(HttpServerRoutes routes) {
        routes.get("/", (req, res) -> res.sendRedirect("/targets"));
        PAGES.forEach((path, page) -> {
            byte[] html = shell.replace("{{page}}", page[0]).replace("{{title}}", page[1])
                    .getBytes(StandardCharsets.UTF_8);
            routes.get(path, (req, res) -> send(res, "text/html; charset=utf-8", html));
        });
        routes.get("/ui/app.css", (req, res) -> send(res, "text/css; charset=utf-8", css));
        routes.get("/ui/app.js", (req, res) -> send(res, "text/javascript; charset=utf-8", js));
    }

    private static Publisher<Void> send(HttpServerResponse res, String contentType, byte[] body) {
        return res.status(HttpResponseStatus.OK)
                .header("Content-Type", contentType)
                .header("Cache-Control", "no-cache")
                .sendByteArray(Mono.just(body));
    }

    private static String resource(String name) {
        try (InputStream in = UiPages.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("UI resource " + BASE + name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
