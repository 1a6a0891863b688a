package io.scrapeflux.scrape;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The body of one scrape as it arrives, then decoded: raw bytes are appended chunk by chunk; a gzip
 * body is inflated once complete. {@code body_size_limit} applies to the decoded bytes, as in
 * Prometheus: a body reaching the limit fails the scrape, and inflation stops there instead of
 * decoding a zip bomb.
 *
 * <p>Arrays come from a {@link BufferPool} for the duration of one scrape ({@link #open} …
 * {@link #close}); the inflater is per thread because inflation runs in one synchronous call.
 * Used by one scrape at a time; methods are synchronized only because a timed-out scrape may still be
 * appending on an event loop while the loop closes the buffer (a chunk arriving after close is refused).
 */
final class BodyBuffer {

    static final String BODY_SIZE_LIMIT_EXCEEDED = "body size limit exceeded";

    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final ThreadLocal<CRC32> CRCS = ThreadLocal.withInitial(CRC32::new);

    private final BufferPool pool;
    private byte[] raw;
    private int rawLength;
    private byte[] decoded;
    private int decodedLength;
    private long limit;
    private boolean gzip;
    private int lastSize = 4096;
    private boolean closed = true;

    BodyBuffer(BufferPool pool) {
        this.pool = pool;
    }

    /** Starts a body; {@code limit} ≤ 0 means none. */
    synchronized void open(long limit) {
        this.closed = false;
        this.limit = limit <= 0 ? Long.MAX_VALUE : limit;
        this.gzip = false;
        this.rawLength = 0;
        this.decodedLength = 0;
        if (raw == null) {
            raw = pool.acquire(lastSize);
        }
    }

    synchronized void gzip(boolean gzip) {
        this.gzip = gzip;
    }

    /** Copies one received chunk; fails as soon as the body is certain to break the limit. */
    synchronized void append(ByteBuf chunk) {
        if (closed) {
            throw new ScrapeFailure("scrape already finished");
        }
        int n = chunk.readableBytes();
        ensureRaw(rawLength + n);
        chunk.getBytes(chunk.readerIndex(), raw, rawLength, n);
        rawLength += n;
        // gzip adds at most a few bytes per 16 KiB block to incompressible data
        long rawAllowance = !gzip || limit == Long.MAX_VALUE ? limit : limit + (limit >> 10) + 64;
        if (rawLength >= rawAllowance) {
            throw new ScrapeFailure(ScrapeFailure.Kind.BODY_SIZE_LIMIT, BODY_SIZE_LIMIT_EXCEEDED);
        }
    }

    /** Completes the body: inflates it when it was gzip-encoded. */
    synchronized void finish() {
        if (closed) {
            throw new ScrapeFailure("scrape already finished");
        }
        if (!gzip) {
            decodedLength = rawLength;
            lastSize = Math.max(4096, rawLength);
            return;
        }
        int header = gzipHeaderLength(raw, rawLength);
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setInput(raw, header, rawLength - header);
        if (decoded == null) {
            decoded = pool.acquire(Math.max(lastSize, rawLength * 4));
        }
        int out = 0;
        try {
            while (!inflater.finished()) {
                if (out == decoded.length) {
                    byte[] bigger = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(decoded.length * 2L, 4096))];
                    System.arraycopy(decoded, 0, bigger, 0, out);
                    pool.release(decoded);
                    decoded = bigger;
                }
                int n = inflater.inflate(decoded, out, decoded.length - out);
                out += n;
                if (out >= limit) {
                    throw new ScrapeFailure(ScrapeFailure.Kind.BODY_SIZE_LIMIT, BODY_SIZE_LIMIT_EXCEEDED);
                }
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new ScrapeFailure("gzip: unexpected EOF");
                }
            }
        } catch (DataFormatException e) {
            throw new ScrapeFailure("gzip: invalid compressed data: " + e.getMessage());
        }
        int trailer = rawLength - inflater.getRemaining();
        if (rawLength - trailer >= 8) {
            CRC32 crc = CRCS.get();
            crc.reset();
            crc.update(decoded, 0, out);
            if ((int) crc.getValue() != le32(raw, trailer) || out != le32(raw, trailer + 4)) {
                throw new ScrapeFailure("gzip: invalid checksum");
            }
        }
        decodedLength = out;
        lastSize = Math.max(4096, out);
    }

    synchronized byte[] array() {
        return gzip ? decoded : raw;
    }

    synchronized int length() {
        return gzip ? decodedLength : rawLength;
    }

    /** Bytes as received on the wire (before decompression), for {@code scrape_body_size_bytes}. */
    synchronized int receivedLength() {
        return rawLength;
    }

    /** Returns the arrays to the pool; the buffer may be opened again later. */
    synchronized void close() {
        closed = true;
        pool.release(raw);
        pool.release(decoded);
        raw = null;
        decoded = null;
    }

    private void ensureRaw(int needed) {
        if (raw == null) {
            raw = pool.acquire(Math.max(needed, lastSize));
        } else if (needed > raw.length) {
            byte[] bigger = new byte[Math.max(needed, raw.length * 2)];
            System.arraycopy(raw, 0, bigger, 0, rawLength);
            pool.release(raw);
            raw = bigger;
        }
    }

    /** Length of the gzip member header (RFC 1952) at the start of {@code b}; fails when it is not one. */
    static int gzipHeaderLength(byte[] b, int len) {
        if (len < 10 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
            throw new ScrapeFailure("gzip: invalid header");
        }
        int flags = b[3] & 0xff;
        int p = 10;
        if ((flags & 4) != 0) { // FEXTRA
            if (p + 2 > len) {
                throw new ScrapeFailure("gzip: invalid header");
            }
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        if ((flags & 8) != 0) { // FNAME
            p = skipZeroTerminated(b, p, len);
        }
        if ((flags & 16) != 0) { // FCOMMENT
            p = skipZeroTerminated(b, p, len);
        }
        if ((flags & 2) != 0) { // FHCRC
            p += 2;
        }
        if (p > len) {
            throw new ScrapeFailure("gzip: invalid header");
        }
        return p;
    }

    private static int skipZeroTerminated(byte[] b, int p, int len) {
        while (p < len && b[p] != 0) {
            p++;
        }
        return p + 1;
    }

    private static int le32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }
}
