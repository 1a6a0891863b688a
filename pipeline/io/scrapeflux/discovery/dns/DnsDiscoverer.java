package io.scrapeflux.discovery.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.NetUtil;
import io.scrapeflux.config.DnsSdConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.RefreshDiscoverer;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.TargetGroups;
import io.scrapeflux.model.Labels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * {@code dns_sd_configs}: every {@code refresh_interval} queries each name for the configured record type (SRV, A,
 * AAAA, MX or NS) with Netty's non-blocking resolver on Reactor Netty's event loops.
 *
 * <p>Each name is one group (source = the name). Every target carries {@code __meta_dns_name} and, per record type,
 * {@code __meta_dns_srv_record_target}/{@code _port}, {@code __meta_dns_mx_record_target} or
 * {@code __meta_dns_ns_record_target} (with the trailing dot); the address is {@code host:port}, the SRV port or the
 * configured {@code port} otherwise. NXDOMAIN means no targets; any other failure of a name keeps its last group and
 * is reported, without holding back the other names.
 */
public final class DnsDiscoverer implements Discoverer {

    static final String NAME_LABEL = "__meta_dns_name";
    static final String SRV_TARGET_LABEL = "__meta_dns_srv_record_target";
    static final String SRV_PORT_LABEL = "__meta_dns_srv_record_port";
    static final String MX_TARGET_LABEL = "__meta_dns_mx_record_target";
    static final String NS_TARGET_LABEL = "__meta_dns_ns_record_target";

    private static final Logger log = LoggerFactory.getLogger(DnsDiscoverer.class);

    private final DnsSdConfig config;
    private final DnsRecordType type;
    private final FailureReporter failures;
    private final Factory settings;

    private DnsDiscoverer(DnsSdConfig config, FailureReporter failures, Factory settings) {
        this.config = config;
        this.type = recordType(config.type());
        this.failures = failures;
        this.settings = settings;
    }

    private static DnsRecordType recordType(String type) {
        return switch (type == null ? "SRV" : type.toUpperCase(Locale.ROOT)) {
            case "SRV" -> DnsRecordType.SRV;
            case "A" -> DnsRecordType.A;
            case "AAAA" -> DnsRecordType.AAAA;
            case "MX" -> DnsRecordType.MX;
            case "NS" -> DnsRecordType.NS;
            default -> throw new IllegalArgumentException("dns_sd_configs: invalid record type \"" + type + "\"");
        };
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return Flux.using(() -> settings.newResolver(), resolver -> {
                    Map<String, TargetGroup> lastGood = new java.util.concurrent.ConcurrentHashMap<>();
                    AtomicBoolean partialFailure = new AtomicBoolean();
                    // A refresh in which some names failed is not a success for the status page.
                    FailureReporter loopReporter = new FailureReporter() {
                        @Override
                        public void failure(Throwable error) {
                            failures.failure(error);
                        }

                        @Override
                        public void success() {
                            if (!partialFailure.get()) {
                                failures.success();
                            }
                        }
                    };
                    return new RefreshDiscoverer("dns", config.refreshInterval(), settings.failureBackoff,
                            settings.scheduler, () -> refresh(resolver, lastGood, partialFailure), loopReporter)
                            .discover();
                }, DnsNameResolver::close)
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<List<TargetGroup>> refresh(DnsNameResolver resolver, Map<String, TargetGroup> lastGood,
                                            AtomicBoolean partialFailure) {
        partialFailure.set(false);
        return Flux.fromIterable(config.names())
                .flatMapSequential(name -> lookup(resolver, name)
                        .doOnNext(group -> lastGood.put(name, group))
                        .onErrorResume(error -> {
                            partialFailure.set(true);
                            failures.failure(error);
                            log.error("Error refreshing DNS targets, keeping the last ones name={} err={}", name,
                                    error.getMessage());
                            TargetGroup last = lastGood.get(name);
                            return last == null ? Mono.empty() : Mono.just(last);
                        }))
                .collectList()
                .flatMap(groups -> partialFailure.get() && groups.isEmpty() && !config.names().isEmpty()
                        ? Mono.error(new IOException("dns_sd: every name failed: " + config.names()))
                        : Mono.just(groups));
    }

    private Mono<TargetGroup> lookup(DnsNameResolver resolver, String name) {
        return Mono.<AddressedEnvelope<DnsResponse, InetSocketAddress>>create(sink -> {
            var future = resolver.query(new DefaultDnsQuestion(name, type));
            future.addListener(f -> {
                if (f.isSuccess()) {
                    sink.success(future.getNow());
                } else {
                    sink.error(f.cause());
                }
            });
            sink.onCancel(() -> future.cancel(false));
        }).map(envelope -> {
            try {
                return toGroup(name, envelope.content());
            } finally {
                envelope.release();
            }
        });
    }

    private TargetGroup toGroup(String name, DnsResponse response) {
        if (response.code() == DnsResponseCode.NXDOMAIN) {
            return new TargetGroup(name, List.of(), Labels.EMPTY);
        }
        if (response.code() != DnsResponseCode.NOERROR) {
            throw new IllegalStateException("dns_sd: lookup of " + name + " " + type.name() + " failed: "
                    + response.code());
        }
        List<Labels> targets = new ArrayList<>();
        for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            Labels target = record instanceof DnsRawRecord raw ? toTarget(name, raw) : null;
            if (target != null) {
                targets.add(target);
            }
        }
        return new TargetGroup(name, targets, Labels.EMPTY);
    }

    private Labels toTarget(String name, DnsRawRecord record) {
        ByteBuf data = record.content().duplicate();
        DnsRecordType t = record.type();
        if (t == DnsRecordType.SRV) {
            data.skipBytes(4); // priority, weight
            int port = data.readUnsignedShort();
            String target = DefaultDnsRecordDecoder.decodeName(data);
            return Labels.of(TargetGroups.ADDRESS_LABEL, hostPort(trimDot(target), port), NAME_LABEL, name,
                    SRV_TARGET_LABEL, target, SRV_PORT_LABEL, Integer.toString(port));
        }
        if (t == DnsRecordType.MX) {
            data.skipBytes(2); // preference
            String target = DefaultDnsRecordDecoder.decodeName(data);
            return Labels.of(TargetGroups.ADDRESS_LABEL, hostPort(trimDot(target), config.port()), NAME_LABEL, name,
                    MX_TARGET_LABEL, target);
        }
        if (t == DnsRecordType.NS) {
            String target = DefaultDnsRecordDecoder.decodeName(data);
            return Labels.of(TargetGroups.ADDRESS_LABEL, hostPort(trimDot(target), config.port()), NAME_LABEL, name,
                    NS_TARGET_LABEL, target);
        }
        if (t == DnsRecordType.A || t == DnsRecordType.AAAA) {
            byte[] address = new byte[data.readableBytes()];
            data.readBytes(address);
            String ip;
            try {
                ip = NetUtil.toAddressString(InetAddress.getByAddress(address));
            } catch (UnknownHostException e) {
                log.warn("Invalid DNS record name={} type={} length={}", name, t.name(), address.length);
                return null;
            }
            return Labels.of(TargetGroups.ADDRESS_LABEL, hostPort(ip, config.port()), NAME_LABEL, name);
        }
        if (t != DnsRecordType.CNAME) {
            // A CNAME may precede the answers of an A query; anything else is unexpected.
            log.warn("Invalid DNS record name={} type={}", name, t.name());
        }
        return null;
    }

    private static String trimDot(String name) {
        int end = name.length();
        while (end > 0 && name.charAt(end - 1) == '.') {
            end--;
        }
        return name.substring(0, end);
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The factory registered for {@link DnsSdConfig}. Holds what all DNS discoverers share: the event loops, the
     * name servers (the platform's by default; tests point it at a server on 127.0.0.1), timers and failure backoff.
     */
    public static final class Factory implements DiscovererFactory<DnsSdConfig> {
        private final LoopResources loops;
        private final DnsServerAddressStreamProvider nameServers;
        private final Duration queryTimeout;
        private final Backoff failureBackoff;
        private final Scheduler scheduler;

        /** Platform name servers, Reactor Netty's shared event loops. */
        public Factory() {
            this(HttpResources.get(), null, Duration.ofSeconds(5), Backoff.RETRY, Schedulers.parallel());
        }

        /**
         * @param nameServers where queries go; null for the platform's resolv.conf servers
         */
        public Factory(LoopResources loops, DnsServerAddressStreamProvider nameServers, Duration queryTimeout,
                       Backoff failureBackoff, Scheduler scheduler) {
            this.loops = loops;
            this.nameServers = nameServers;
            this.queryTimeout = queryTimeout;
            this.failureBackoff = failureBackoff;
            this.scheduler = scheduler;
        }

        @Override
        public Class<DnsSdConfig> configType() {
            return DnsSdConfig.class;
        }

        @Override
        public Discoverer create(DnsSdConfig config, FailureReporter failures) {
            return new DnsDiscoverer(config, failures, this);
        }

        /** Builds a resolver; reads resolv.conf for the platform default, so call it off the event loops. */
        DnsNameResolver newResolver() {
            EventLoopGroup group = loops.onClient(LoopResources.DEFAULT_NATIVE);
            return new DnsNameResolverBuilder(group.next())
                    .datagramChannelType(loops.onChannelClass(DatagramChannel.class, group))
                    // Large SRV answers arrive truncated over UDP; retry those over TCP as Go's resolver does.
                    .socketChannelType(loops.onChannelClass(SocketChannel.class, group))
                    .nameServerProvider(nameServers != null ? nameServers
                            : DnsServerAddressStreamProviders.platformDefault())
                    .queryTimeoutMillis(queryTimeout.toMillis())
                    .recursionDesired(true)
                    .build();
        }
    }
}
