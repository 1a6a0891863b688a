package io.scrapeflux.discovery.dns;

import static io.scrapeflux.discovery.dns.TestDnsServer.a;
import static io.scrapeflux.discovery.dns.TestDnsServer.aaaa;
import static io.scrapeflux.discovery.dns.TestDnsServer.cname;
import static io.scrapeflux.discovery.dns.TestDnsServer.mx;
import static io.scrapeflux.discovery.dns.TestDnsServer.ns;
import static io.scrapeflux.discovery.dns.TestDnsServer.srv;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.scrapeflux.config.DnsSdConfig;
import io.scrapeflux.discovery.Await;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.PollClock;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.http.HttpResources;

/** Queries go only to the DNS server the test starts on 127.0.0.1. */
class DnsDiscovererTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private TestDnsServer server;
    private final PollClock time = new PollClock();
    private final io.scrapeflux.discovery.RecordingFailures reporter = new io.scrapeflux.discovery.RecordingFailures();
    private final List<Throwable> failures = reporter.failures;
    private final List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
    private Disposable run;

    @BeforeAll
    static void blockHound() {
        Await.blockHound();
    }

    @BeforeEach
    void start() throws InterruptedException {
        server = new TestDnsServer();
    }

    @AfterEach
    void stop() {
        if (run != null) {
            run.dispose();
        }
        server.close();
        time.dispose();
    }

    private void discover(String type, int port, String... names) {
        DnsDiscoverer.Factory factory = new DnsDiscoverer.Factory(HttpResources.get(),
                new SingletonDnsServerAddressStreamProvider(server.address()), Duration.ofSeconds(5),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time);
        run = factory.create(new DnsSdConfig(List.of(names), type, port, INTERVAL), reporter).discover()
                .subscribe(received::add);
        Await.until(() -> !received.isEmpty() || !failures.isEmpty());
    }

    @Test
    void srvRecordsBecomeTargetsWithMetaLabels() {
        server.set("_http._tcp.svc.test", DnsRecordType.SRV, srv(8080, "a.svc.test."), srv(9090, "b.svc.test."));
        discover("SRV", 0, "_http._tcp.svc.test");
        assertThat(received).hasSize(1);
        TargetGroup g = received.get(0).get(0);
        assertThat(g.source()).isEqualTo("_http._tcp.svc.test");
        assertThat(g.targets()).containsExactly(
                Labels.of("__address__", "a.svc.test:8080", "__meta_dns_name", "_http._tcp.svc.test",
                        "__meta_dns_srv_record_target", "a.svc.test.", "__meta_dns_srv_record_port", "8080"),
                Labels.of("__address__", "b.svc.test:9090", "__meta_dns_name", "_http._tcp.svc.test",
                        "__meta_dns_srv_record_target", "b.svc.test.", "__meta_dns_srv_record_port", "9090"));
    }

    @Test
    void aAndAaaaRecordsUseTheConfiguredPortAndSkipCnames() throws Exception {
        server.set("web.test", DnsRecordType.A, cname("real.test."), a("10.0.0.1"), a("10.0.0.2"));
        server.set("web6.test", DnsRecordType.AAAA, aaaa("2001:db8::1"));
        discover("A", 9100, "web.test");
        assertThat(received.get(0).get(0).targets()).extracting(l -> l.get("__address__"))
                .containsExactly("10.0.0.1:9100", "10.0.0.2:9100");
        run.dispose();
        received.clear();
        discover("AAAA", 9100, "web6.test");
        assertThat(received.get(0).get(0).targets()).containsExactly(
                Labels.of("__address__", "[2001:db8::1]:9100", "__meta_dns_name", "web6.test"));
    }

    @Test
    void mxAndNsRecords() {
        server.set("mail.test", DnsRecordType.MX, mx("mx1.mail.test."));
        server.set("zone.test", DnsRecordType.NS, ns("ns1.zone.test."));
        discover("MX", 25, "mail.test");
        assertThat(received.get(0).get(0).targets()).containsExactly(Labels.of("__address__", "mx1.mail.test:25",
                "__meta_dns_name", "mail.test", "__meta_dns_mx_record_target", "mx1.mail.test."));
        run.dispose();
        received.clear();
        discover("NS", 53, "zone.test");
        assertThat(received.get(0).get(0).targets()).containsExactly(Labels.of("__address__", "ns1.zone.test:53",
                "__meta_dns_name", "zone.test", "__meta_dns_ns_record_target", "ns1.zone.test."));
    }

    @Test
    void refreshSendsChangesAndAFailingNameKeepsItsTargetsWithoutBlockingOthers() throws Exception {
        server.set("one.test", DnsRecordType.A, a("10.0.0.1"));
        server.set("two.test", DnsRecordType.A, a("10.0.0.2"));
        discover("A", 80, "one.test", "two.test");
        assertThat(received.get(0)).hasSize(2);

        server.fail("one.test", DnsRecordType.A, DnsResponseCode.SERVFAIL);
        server.set("two.test", DnsRecordType.A, a("10.0.0.3"));
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> received.size() == 2);
        assertThat(failures).singleElement().satisfies(f -> assertThat(f).hasMessageContaining("ServFail"));
        assertThat(received.get(1)).singleElement().satisfies(g -> {
            assertThat(g.source()).isEqualTo("two.test");
            assertThat(g.targets().get(0).get("__address__")).isEqualTo("10.0.0.3:80");
        });

        // NXDOMAIN is an answer, not a failure: the name has no targets any more.
        server.set("one.test", DnsRecordType.A);
        server.fail("one.test", DnsRecordType.A, DnsResponseCode.NXDOMAIN);
        time.advanceAfterTimers(4, INTERVAL);
        Await.until(() -> received.size() == 3);
        assertThat(received.get(2)).containsExactly(TargetGroup.removed("one.test"));
        assertThat(failures).hasSize(1);
    }
}
