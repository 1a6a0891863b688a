package io.scrapeflux.discovery.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.HttpSdConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.PollingDiscovererFactory;
import io.scrapeflux.discovery.RefreshDiscoverer;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.TargetGroups;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code http_sd_configs}: polls a URL every {@code refresh_interval} for Prometheus's HTTP SD document.
 *
 * <p>A response counts only with status 200, a {@code Content-Type} of {@code application/json} (optionally with a
 * UTF-8 charset) and a body that is an array of target groups with valid label names. Group {@code i} has source
 * {@code <url>:<i>} and the label {@code __meta_url}. Anything else is a failure: the last good state stays.
 */
public final class HttpDiscoverer implements Discoverer {

    static final String URL_LABEL = "__meta_url";

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern JSON_CONTENT_TYPE =
            Pattern.compile("(?i)application/json(;\\s*charset=(\"utf-8\"|utf-8))?");

    private final HttpSdConfig config;
    private final FailureReporter failures;
    private final Backoff failureBackoff;
    private final Scheduler scheduler;

    public HttpDiscoverer(HttpSdConfig config, FailureReporter failures, Backoff failureBackoff, Scheduler scheduler) {
        this.config = config;
        this.failures = failures;
        this.failureBackoff = failureBackoff;
        this.scheduler = scheduler;
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        HttpClientConfig http = config.http() == null ? HttpClientConfig.DEFAULT : config.http();
        return Mono.fromCallable(() -> HttpClients.create(http, config.url()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(client -> new RefreshDiscoverer("http", config.refreshInterval(), failureBackoff,
                        scheduler, () -> fetch(client, http), failures).discover());
    }

    private Mono<List<TargetGroup>> fetch(HttpClient client, HttpClientConfig http) {
        String url = config.url();
        String refreshSeconds = formatSeconds(config.refreshInterval().toMillis());
        return HttpClients.headers(http).flatMap(headers -> client
                .headers(h -> {
                    h.set(HttpHeaderNames.ACCEPT, "application/json");
                    h.set(HttpHeaderNames.USER_AGENT, "scrapeflux");
                    h.set("X-Prometheus-Refresh-Interval-Seconds", refreshSeconds);
                    headers.forEach(h::set);
                })
                .get()
                .uri(url)
                .responseSingle((response, body) -> {
                    if (response.status().code() != 200) {
                        return Mono.error(new IOException("server returned HTTP status " + response.status()));
                    }
                    String type = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE, "").trim();
                    if (!JSON_CONTENT_TYPE.matcher(type).matches()) {
                        return Mono.error(new IOException("unsupported content type \"" + type + "\""));
                    }
                    return body.asByteArray().defaultIfEmpty(new byte[0]).map(this::parse);
                }));
    }

    private List<TargetGroup> parse(byte[] body) {
        try {
            return TargetGroups.parse(body.length == 0 ? null : JSON.readTree(body), false, config.url(), URL_LABEL,
                    config.url());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("http_sd " + config.url() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("http_sd " + config.url() + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    private static String formatSeconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    /** The factory registered for {@link HttpSdConfig}. */
    public static final class Factory extends PollingDiscovererFactory<HttpSdConfig> {
        public Factory() {
            this(Backoff.RETRY, Schedulers.parallel());
        }

        public Factory(Backoff failureBackoff, Scheduler scheduler) {
            super(HttpSdConfig.class, failureBackoff, scheduler);
        }

        @Override
        public Discoverer create(HttpSdConfig config, FailureReporter failures) {
            return new HttpDiscoverer(config, failures, failureBackoff, scheduler);
        }
    }
}
