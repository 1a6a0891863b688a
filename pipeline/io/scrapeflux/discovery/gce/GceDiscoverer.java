package io.scrapeflux.discovery.gce;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.scrapeflux.config.GceSdConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.PollingDiscovererFactory;
import io.scrapeflux.discovery.RefreshDiscoverer;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gce_sd_configs}: every {@code refresh_interval}, lists the instances of one project and zone through the
 * Compute Engine REST API ({@code instances.list}, all pages) and sends them as one group with source
 * {@code GCE_<project>_<zone>}, labelled as Prometheus does.
 *
 * <p>Throttling (429, 403 with a quota reason), refused tokens (401, which also drop the cached token) and any other
 * failure keep the last good targets and are retried with backoff by {@link RefreshDiscoverer}.
 */
public final class GceDiscoverer implements Discoverer {

    private static final Logger log = LoggerFactory.getLogger(GceDiscoverer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Where the discoverer talks to Google; production uses {@link #fromEnvironment()}, tests a local fake.
     *
     * @param computeUrl      base of the Compute API, up to and including {@code /compute/v1}
     * @param metadataUrl     base of the metadata server, asked for a token when there is no credentials file
     * @param oauthTokenUrl   Google's OAuth token endpoint, for credentials files that name none
     * @param credentialsFile the key file of {@code GOOGLE_APPLICATION_CREDENTIALS} (must exist), or null
     * @param wellKnownFile   gcloud's application-default credentials file, used when it exists, or null
     */
    public record Endpoints(String computeUrl, String metadataUrl, String oauthTokenUrl, Path credentialsFile,
                            Path wellKnownFile) {

        public static final String COMPUTE_URL = "https://compute.googleapis.com/compute/v1";
        public static final String METADATA_URL = "http://metadata.google.internal";
        public static final String OAUTH_TOKEN_URL = "https://oauth2.googleapis.com/token";

        /** Google's endpoints, with only the given credentials file (or the metadata server when null). */
        public static Endpoints google(Path credentialsFile) {
            return new Endpoints(COMPUTE_URL, METADATA_URL, OAUTH_TOKEN_URL, credentialsFile, null);
        }

        /** Google's defaults, honouring {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code CLOUDSDK_CONFIG} and
         * {@code GCE_METADATA_HOST} as Google's client libraries do. */
        public static Endpoints fromEnvironment() {
            return fromEnvironment(System::getenv, System.getProperty("user.home"));
        }

        static Endpoints fromEnvironment(Function<String, String> env, String home) {
            String credentials = env.apply("GOOGLE_APPLICATION_CREDENTIALS");
            String metadataHost = env.apply("GCE_METADATA_HOST");
            String gcloudConfig = env.apply("CLOUDSDK_CONFIG");
            Path gcloudDir = present(gcloudConfig) ? Path.of(gcloudConfig.strip())
                    : home == null ? null : Path.of(home, ".config", "gcloud");
            return new Endpoints(COMPUTE_URL, present(metadataHost) ? "http://" + metadataHost.strip() : METADATA_URL,
                    OAUTH_TOKEN_URL, present(credentials) ? Path.of(credentials.strip()) : null,
                    gcloudDir == null ? null : gcloudDir.resolve("application_default_credentials.json"));
        }

        private static boolean present(String s) {
            return s != null && !s.isBlank();
        }
    }

    private final GceSdConfig config;
    private final Endpoints endpoints;
    private final HttpClient http;
    private final FailureReporter failures;
    private final Backoff failureBackoff;
    private final Scheduler scheduler;

    public GceDiscoverer(GceSdConfig config, Endpoints endpoints, HttpClient http, FailureReporter failures,
                         Backoff failureBackoff, Scheduler scheduler) {
        this.config = config;
        this.endpoints = endpoints;
        this.http = http;
        this.failures = failures;
        this.failureBackoff = failureBackoff;
        this.scheduler = scheduler;
    }

    /** The group source, as Prometheus names it. */
    String source() {
        return "GCE_" + config.project() + "_" + config.zone();
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return GoogleTokens.applicationDefault(endpoints, http, scheduler)
                .doOnNext(tokens -> log.info("Starting GCE discovery project={} zone={} credentials={}",
                        config.project(), config.zone(), tokens.description()))
                .flatMapMany(tokens -> new RefreshDiscoverer("gce", config.refreshInterval(), failureBackoff,
                        scheduler, () -> refresh(tokens), failures).discover());
    }

    private Mono<List<TargetGroup>> refresh(GoogleTokens tokens) {
        return tokens.token().flatMap(token -> page(tokens, token, "")
                .expand(p -> p.nextPageToken().isEmpty() ? Mono.empty() : page(tokens, token, p.nextPageToken()))
                .concatMapIterable(GceInstances.Page::targets)
                .collectList()
                .map(targets -> List.of(new TargetGroup(source(), targets, Labels.EMPTY))));
    }

    private Mono<GceInstances.Page> page(GoogleTokens tokens, String token, String pageToken) {
        String url = listUrl(pageToken);
        return http.headers(h -> {
                    h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
                    h.set(HttpHeaderNames.ACCEPT, "application/json");
                })
                .get()
                .uri(url)
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .map(text -> {
                            int status = response.status().code();
                            if (status != 200) {
                                GceApiException e = GceApiException.fromResponse(status, text, url);
                                if (e.isUnauthorized()) {
                                    tokens.invalidate();
                                }
                                throw e;
                            }
                            GceInstances.Page p = parse(text, url);
                            if (!p.nextPageToken().isEmpty() && p.nextPageToken().equals(pageToken)) {
                                throw new IllegalStateException("GCE API " + url + " returned its own page token");
                            }
                            return p;
                        }));
    }

    private GceInstances.Page parse(String body, String url) {
        try {
            return GceInstances.page(JSON.readTree(body), config.project(), config.port(), config.tagSeparator());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("GCE API " + url + ": invalid instance list: " + e.getMessage(), e);
        }
    }

    String listUrl(String pageToken) {
        StringBuilder url = new StringBuilder(endpoints.computeUrl()).append("/projects/")
                .append(pathSegment(config.project())).append("/zones/").append(pathSegment(config.zone()))
                .append("/instances");
        char sep = '?';
        if (!config.filter().isEmpty()) {
            url.append(sep).append("filter=").append(URLEncoder.encode(config.filter(), StandardCharsets.UTF_8));
            sep = '&';
        }
        if (!pageToken.isEmpty()) {
            url.append(sep).append("pageToken=").append(URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    private static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The factory registered for {@link GceSdConfig}. */
    public static final class Factory extends PollingDiscovererFactory<GceSdConfig> {
        private final Endpoints endpoints;
        private final HttpClient http;

        /** Production: Google's endpoints and credentials from the environment. */
        public Factory() {
            this(Endpoints.fromEnvironment(), HttpClient.create(), Backoff.RETRY, Schedulers.parallel());
        }

        public Factory(Endpoints endpoints, HttpClient http, Backoff failureBackoff, Scheduler scheduler) {
            super(GceSdConfig.class, failureBackoff, scheduler);
            this.endpoints = endpoints;
            this.http = http.headers(h -> h.set(HttpHeaderNames.USER_AGENT, "scrapeflux"));
        }

        @Override
        public Discoverer create(GceSdConfig config, FailureReporter failures) {
            return new GceDiscoverer(config, endpoints, http, failures, failureBackoff, scheduler);
        }
    }
}
