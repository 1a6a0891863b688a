package io.scrapeflux.discovery.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.InetSocketAddress;

/** Opens {@link TestDnsServer} to tests outside this package (the discoverer contract test). */
public final class DnsTestServers {

    private DnsTestServers() {
    }

    public static Handle start() throws InterruptedException {
        return new Handle(new TestDnsServer());
    }

    /** A started server on 127.0.0.1. */
    public static final class Handle implements AutoCloseable {
        private final TestDnsServer server;

        Handle(TestDnsServer server) {
            this.server = server;
        }

        public InetSocketAddress address() {
            return server.address();
        }

        public void setA(String name, String ip) throws Exception {
            server.set(name, DnsRecordType.A, TestDnsServer.a(ip));
        }

        public void setNxdomain(String name, DnsRecordType type) {
            server.fail(name, type, DnsResponseCode.NXDOMAIN);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
