package io.scrapeflux.discovery.ec2;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * {@code role_arn}: trades the base credentials for the role's temporary ones with STS {@code AssumeRole}, and reuses
 * them until a minute before they expire. The STS endpoint is {@code AWS_ENDPOINT_URL_STS}, else
 * {@code AWS_ENDPOINT_URL}, else the region's public one, as in the AWS SDKs.
 */
final class AssumeRole {

    static final String API_VERSION = "2011-06-15";
    private static final Duration EARLY_REFRESH = Duration.ofMinutes(1);

    /** Temporary credentials and when they stop working. */
    record Session(AwsCredentials credentials, Instant expiration) {
    }

    private final String roleArn;
    private final Clock clock;
    private final AtomicReference<Session> cached = new AtomicReference<>();

    AssumeRole(String roleArn, Clock clock) {
        this.roleArn = roleArn;
        this.clock = clock;
    }

    /** The STS endpoint for {@code region}, honouring the SDKs' endpoint environment variables. */
    static java.net.URI endpoint(String region, java.util.Map<String, String> env) {
        for (String name : new String[] {"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}) {
            String url = env.get(name);
            if (url != null && !url.isEmpty()) {
                return java.net.URI.create(url.endsWith("/") ? url : url + "/");
            }
        }
        return AwsQueryClient.publicEndpoint("sts", region);
    }

    /** Drops the cached session, so the next refresh assumes the role again. */
    void forget() {
        cached.set(null);
    }

    Mono<AwsCredentials> credentials(AwsQueryClient sts, AwsCredentials base) {
        Session s = cached.get();
        if (s != null && clock.instant().isBefore(s.expiration().minus(EARLY_REFRESH))) {
            return Mono.just(s.credentials());
        }
        String form = "Action=AssumeRole&Version=" + API_VERSION + "&RoleArn=" + SigV4.encode(roleArn)
                + "&RoleSessionName=" + SigV4.encode("scrapeflux-" + clock.millis());
        return sts.call("AssumeRole", base, form, Ec2Xml::assumeRole)
                .doOnNext(cached::set)
                .map(Session::credentials);
    }
}
