package io.scrapeflux.web;

import io.netty.channel.EventLoop;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.NettyOutbound;

/**
 * Where a response that was prepared off the event loop must be sent from: the connection's own loop.
 *
 * <p>Reactor Netty 1.3 ends a response written from another thread a little after the last byte leaves.
 * A keep-alive client that sends its next request in that window gets it buffered as "pipelined", and when
 * that request's handler answers at once, the buffer can end up drained with nobody asking the channel to
 * read again: the connection's next request is never read. Sent from the event loop, the response ends as
 * its last byte is written, before the client can send again (WebServerTest reproduces the stuck case).
 */
final class EventLoops {

    private EventLoops() {
    }

    /** The event loop of the connection {@code response} goes out on, as a scheduler for {@code publishOn}. */
    static Scheduler of(NettyOutbound response) {
        EventLoop[] loop = new EventLoop[1];
        response.withConnection(c -> loop[0] = c.channel().eventLoop());
        return Schedulers.fromExecutor(loop[0]);
    }
}
