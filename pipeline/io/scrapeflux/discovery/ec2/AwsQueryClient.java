package io.scrapeflux.discovery.ec2;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * One AWS service spoken through its Query API (EC2, STS): form-encoded POSTs signed with Signature Version 4 over
 * Reactor Netty. Signing and parsing run on {@link Schedulers#boundedElastic()}; the event loop only moves bytes. A
 * non-200 answer becomes an {@link Ec2ApiException} with AWS's error code.
 */
final class AwsQueryClient {

    private static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    /** Reads a response body; runs off the event loop. */
    interface Parser<T> {
        T parse(byte[] body) throws IOException;
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String region;
    private final String service;
    private final Map<String, String> extraHeaders;
    private final Clock clock;

    AwsQueryClient(HttpClient http, URI endpoint, String region, String service, Map<String, String> extraHeaders,
                   Clock clock) {
        this.http = http;
        this.endpoint = endpoint;
        this.region = region;
        this.service = service;
        this.extraHeaders = extraHeaders;
        this.clock = clock;
    }

    /** AWS's public endpoint of {@code service} in {@code region}. */
    static URI publicEndpoint(String service, String region) {
        String suffix = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
        return URI.create("https://" + service + "." + region + suffix + "/");
    }

    <T> Mono<T> call(String action, AwsCredentials credentials, String form, Parser<T> parser) {
        return send(action, credentials, form)
                .publishOn(Schedulers.boundedElastic())
                .handle((body, sink) -> {
                    try {
                        sink.next(parser.parse(body));
                    } catch (IOException e) {
                        sink.error(e);
                    }
                });
    }

    private Mono<byte[]> send(String action, AwsCredentials credentials, String form) {
        byte[] payload = form.getBytes(StandardCharsets.UTF_8);
        return Mono.fromCallable(() -> {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Content-Type", FORM);
                    headers.putAll(SigV4.sign("POST", endpoint, Map.of("content-type", FORM), payload, credentials,
                            region, service, clock.instant()));
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
                                                    new Ec2ApiException(service, action, status, err[0], err[1])));
                                })));
    }
}
