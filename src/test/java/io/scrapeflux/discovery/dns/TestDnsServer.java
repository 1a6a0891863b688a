package io.scrapeflux.discovery.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny authoritative DNS server on 127.0.0.1 built on Netty's DNS codec; answers come from a mutable table. */
final class TestDnsServer implements AutoCloseable {

    /** One answer: record type and its RDATA. */
    record Answer(DnsRecordType type, byte[] rdata) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, DnsResponseCode> codes = new ConcurrentHashMap<>();
    final AtomicInteger queries = new AtomicInteger();
    private final Channel channel;

    TestDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                                        ctx.writeAndFlush(answer(query));
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Answers {@code name}/{@code type} with these records from now on. */
    void set(String name, DnsRecordType type, Answer... records) {
        codes.remove(key(name, type));
        answers.put(key(name, type), List.of(records));
    }

    void fail(String name, DnsRecordType type, DnsResponseCode code) {
        codes.put(key(name, type), code);
    }

    private static String key(String name, DnsRecordType type) {
        return (name.endsWith(".") ? name : name + ".") + "/" + type.name();
    }

    private DatagramDnsResponse answer(DatagramDnsQuery query) {
        queries.incrementAndGet();
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        response.setRecursionAvailable(true);
        response.addRecord(DnsSection.QUESTION, question);
        String key = key(question.name(), question.type());
        DnsResponseCode code = codes.get(key);
        List<Answer> records = answers.get(key);
        if (code != null) {
            response.setCode(code);
        } else if (records == null) {
            response.setCode(DnsResponseCode.NXDOMAIN);
        } else {
            for (Answer a : records) {
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), a.type(), 60,
                        Unpooled.wrappedBuffer(a.rdata())));
            }
        }
        return response;
    }

    static Answer a(String ip) throws Exception {
        return new Answer(DnsRecordType.A, InetAddress.getByName(ip).getAddress());
    }

    static Answer aaaa(String ip) throws Exception {
        return new Answer(DnsRecordType.AAAA, InetAddress.getByName(ip).getAddress());
    }

    static Answer srv(int port, String target) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(10).writeShort(5).writeShort(port);
        writeName(b, target);
        return new Answer(DnsRecordType.SRV, bytes(b));
    }

    static Answer mx(String target) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(10);
        writeName(b, target);
        return new Answer(DnsRecordType.MX, bytes(b));
    }

    static Answer ns(String target) {
        ByteBuf b = Unpooled.buffer();
        writeName(b, target);
        return new Answer(DnsRecordType.NS, bytes(b));
    }

    static Answer cname(String target) {
        ByteBuf b = Unpooled.buffer();
        writeName(b, target);
        return new Answer(DnsRecordType.CNAME, bytes(b));
    }

    private static void writeName(ByteBuf b, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                b.writeByte(l.length).writeBytes(l);
            }
        }
        b.writeByte(0);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
