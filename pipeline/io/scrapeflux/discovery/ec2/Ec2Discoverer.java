package io.scrapeflux.discovery.ec2;

import io.scrapeflux.config.Ec2SdConfig;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.PollingDiscovererFactory;
import io.scrapeflux.discovery.RefreshDiscoverer;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.http.HttpClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * {@code ec2_sd_configs}: every {@code refresh_interval}, lists the region's instances with {@code DescribeInstances}
 * (all pages, the config's filters) and sends them as one target group whose source is the region.
 *
 * <p>Credentials are resolved for every refresh (see {@link AwsCredentials}), so rotated keys and fixed permissions
 * are picked up without a reload; with {@code role_arn} they are traded for the role's with STS (see
 * {@link AssumeRole}). The availability-zone id map is fetched once with
 * {@code DescribeAvailabilityZones}; until that succeeds {@code __meta_ec2_availability_zone_id} stays unset, as in
 * Prometheus. Throttling, auth and network errors fail the refresh: the last good targets stay, the failure goes to
 * the {@link FailureReporter} and the next attempt follows the backoff.
 */
public final class Ec2Discoverer implements Discoverer {

    private static final Logger log = LoggerFactory.getLogger(Ec2Discoverer.class);

    private final Ec2SdConfig config;
    private final FailureReporter failures;
    private final Backoff failureBackoff;
    private final Scheduler scheduler;
    private final Map<String, String> env;
    private final Path home;
    private final Clock clock;

    /**
     * @param env   the process environment, for {@code AWS_*} credential variables
     * @param home  the user's home directory, for {@code ~/.aws/credentials}
     * @param clock the signing time of requests
     */
    public Ec2Discoverer(Ec2SdConfig config, FailureReporter failures, Backoff failureBackoff, Scheduler scheduler,
                         Map<String, String> env, Path home, Clock clock) {
        this.config = config;
        this.failures = failures;
        this.failureBackoff = failureBackoff;
        this.scheduler = scheduler;
        this.env = env;
        this.home = home;
        this.clock = clock;
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        HttpClientConfig http = config.http() == null ? HttpClientConfig.DEFAULT : config.http();
        URI endpoint = Ec2Client.endpoint(config);
        URI stsEndpoint = AssumeRole.endpoint(config.region(), env);
        return Mono.fromCallable(() -> new Clients(HttpClients.create(http, endpoint.toString()),
                        config.roleArn() == null ? null : HttpClients.create(http, stsEndpoint.toString())))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(clients -> {
                    // State of one subscription: the zone map once fetched, the assumed role's session.
                    AtomicReference<Map<String, String>> zoneIds = new AtomicReference<>();
                    AssumeRole role = config.roleArn() == null ? null : new AssumeRole(config.roleArn(), clock);
                    return new RefreshDiscoverer("ec2", config.refreshInterval(), failureBackoff, scheduler,
                            () -> HttpClients.headers(http).flatMap(headers -> refresh(
                                    new AwsQueryClient(clients.ec2(), endpoint, config.region(), "ec2", headers, clock),
                                    role == null ? null : new AwsQueryClient(clients.sts(), stsEndpoint,
                                            config.region(), "sts", headers, clock),
                                    role, zoneIds)),
                            failures).discover();
                });
    }

    /** Reactor Netty clients with the config's TLS and proxy settings; {@code sts} only with {@code role_arn}. */
    private record Clients(HttpClient ec2, HttpClient sts) {
    }

    private Mono<List<TargetGroup>> refresh(AwsQueryClient ec2Api, AwsQueryClient stsApi, AssumeRole role,
                                            AtomicReference<Map<String, String>> zoneIds) {
        Ec2Client ec2 = new Ec2Client(ec2Api);
        Mono<AwsCredentials> credentials = role == null ? baseCredentials()
                : baseCredentials().flatMap(base -> role.credentials(stsApi, base));
        return credentials
                .flatMap(c -> zones(ec2, c, zoneIds)
                        .flatMap(zones -> ec2.describeInstances(c, config.filters())
                                .map(instances -> List.of(
                                        Ec2Targets.group(config.region(), config.port(), instances, zones)))))
                .doOnError(Ec2ApiException.class, e -> {
                    // As Prometheus drops its client on auth errors: assume the role anew next time.
                    if (role != null && e.authFailure()) {
                        role.forget();
                    }
                });
    }

    private Mono<AwsCredentials> baseCredentials() {
        return Mono.fromCallable(() -> AwsCredentials.resolve(config, env, home))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The cached zone map; fetched until it succeeds once. Failing to fetch it does not fail the refresh. */
    private Mono<Map<String, String>> zones(Ec2Client api, AwsCredentials credentials,
                                            AtomicReference<Map<String, String>> cache) {
        Map<String, String> known = cache.get();
        if (known != null) {
            return Mono.just(known);
        }
        return api.describeAvailabilityZones(credentials)
                .doOnNext(cache::set)
                .onErrorResume(e -> {
                    log.debug("Unable to describe availability zones region={} err={}", config.region(), e.getMessage());
                    return Mono.just(Map.of());
                });
    }

    /** The factory registered for {@link Ec2SdConfig}. */
    public static final class Factory extends PollingDiscovererFactory<Ec2SdConfig> {
        public Factory() {
            this(Backoff.RETRY, Schedulers.parallel());
        }

        public Factory(Backoff failureBackoff, Scheduler scheduler) {
            super(Ec2SdConfig.class, failureBackoff, scheduler);
        }

        @Override
        public Discoverer create(Ec2SdConfig config, FailureReporter failures) {
            return new Ec2Discoverer(config, failures, failureBackoff, scheduler, System.getenv(),
                    Path.of(System.getProperty("user.home", ".")), Clock.systemUTC());
        }
    }
}
