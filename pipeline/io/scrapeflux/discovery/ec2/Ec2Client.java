package io.scrapeflux.discovery.ec2;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.scrapeflux.config.Ec2SdConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * The two EC2 Query API calls discovery needs, as signed form POSTs over Reactor Netty. Signing and XML parsing run
 * on {@link Schedulers#boundedElastic()}; the event loop only moves bytes.
 */
final class Ec2Client {

    static final String API_VERSION = "2016-11-15";
    private static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    private final HttpClient http;
    private final URI endpoint;
    private final String region;
    private final Map<String, String> extraHeaders;
    private final Clock clock;

    Ec2Client(HttpClient http, URI endpoint, String region, Map<String, String> extraHeaders, Clock clock) {
        this.http = http;
        this.endpoint = endpoint;
        this.region = region;
        this.extraHeaders = extraHeaders;
        this.clock = clock;
    }

    /** AWS's public endpoint of {@code region} unless the config overrides it. */
    static URI endpoint(Ec2SdConfig config) {
        if (config.endpoint() != null) {
            return URI.create(config.endpoint());
        }
        String suffix = config.region().startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
        return URI.create("https://ec2." + config.region() + suffix + "/");
    }

    /** Every instance matching {@code filters}, following {@code NextToken} until the last page. */
    Mono<List<Ec2Xml.Instance>> describeInstances(AwsCredentials credentials, List<Ec2SdConfig.Filter> filters) {
        return instancesPage(credentials, filters, null)
                .expand(page -> page.nextToken() == null ? Mono.empty()
                        : instancesPage(credentials, filters, page.nextToken())
                                // A service repeating its token would page forever; the SDKs stop there too.
                                .map(next -> page.nextToken().equals(next.nextToken())
                                        ? new Ec2Xml.InstancesPage(next.instances(), null) : next))
                .concatMapIterable(Ec2Xml.InstancesPage::instances)
                .collectList();
    }

    /** Zone name to zone id of the region. */
    Mono<Map<String, String>> describeAvailabilityZones(AwsCredentials credentials) {
        return call("DescribeAvailabilityZones", credentials, "Action=DescribeAvailabilityZones&Version=" + API_VERSION)
                .publishOn(Schedulers.boundedElastic())
                .handle((body, sink) -> {
                    try {
                        sink.next(Ec2Xml.zoneIds(body));
                    } catch (java.io.IOException e) {
                        sink.error(e);
                    }
                });
    }

    private Mono<Ec2Xml.InstancesPage> instancesPage(AwsCredentials credentials, List<Ec2SdConfig.Filter> filters,
                                                     String token) {
        return call("DescribeInstances", credentials, describeInstancesForm(filters, token))
                .publishOn(Schedulers.boundedElastic())
                .handle((body, sink) -> {
                    try {
                        sink.next(Ec2Xml.instancesPage(body));
                    } catch (java.io.IOException e) {
                        sink.error(e);
                    }
                });
    }

    /** The form body: {@code Filter.N.Name}, {@code Filter.N.Value.M} (1-based) and the paging token. */
    static String describeInstancesForm(List<Ec2SdConfig.Filter> filters, String token) {
        StringBuilder form = new StringBuilder("Action=DescribeInstances&Version=" + API_VERSION);
        for (int n = 0; n < filters.size(); n++) {
            Ec2SdConfig.Filter f = filters.get(n);
            form.append("&Filter.").append(n + 1).append(".Name=").append(SigV4.encode(f.name()));
            for (int m = 0; m < f.values().size(); m++) {
                form.append("&Filter.").append(n + 1).append(".Value.").append(m + 1).append('=')
                        .append(SigV4.encode(f.values().get(m)));
            }
        }
        if (token != null) {
            form.append("&NextToken=").append(SigV4.encode(token));
        }
        return form.toString();
    }

    private Mono<byte[]> call(String action, AwsCredentials credentials, String form) {
        byte[] payload = form.getBytes(StandardCharsets.UTF_8);
        return Mono.fromCallable(() -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Content-Type", FORM);
                    headers.putAll(SigV4.sign("POST", endpoint, Map.of("content-type", FORM), payload, credentials,
                            region, "ec2", clock.instant()));
                    return headers;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(signed -> http
                        .headers(h -> {
                            extraHeaders.forEach(h::set);
                            signed.forEach(h::set);
                            h.set(HttpHeaderNames.HOST, SigV4.hostHeader(endpoint));
                            h.setInt(HttpHeaderNames.CONTENT_LENGTH, payload.length);
                            h.set(HttpHeaderNames.USER_AGENT, "scrapeflux");
                        })
                        .post()
                        .uri(endpoint)
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(payload)))
                        .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                                .flatMap(bytes -> {
                                    int status = response.status().code();
                                    if (status == 200) {
                                        return Mono.just(bytes);
                                    }
                                    return Mono.fromCallable(() -> Ec2Xml.error(bytes))
                                            .subscribeOn(Schedulers.boundedElastic())
                                            .flatMap(err -> Mono.error(
                                                    new Ec2ApiException(action, status, err[0], err[1])));
                                })));
    }
}
