package io.scrapeflux.sink;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only, disk-backed FIFO of byte records: the spool that lets remote write ride out an outage
 * of the receiver and a restart (including kill -9) of this process.
 *
 * <h2>Layout</h2>
 * A directory of segment files named by the queue position of their first byte ({@code %020d.seg}).
 * A record is {@code [u32 length][u32 crc32c][u32 weight][payload]}, big-endian; the CRC covers weight
 * and payload. The weight is the caller's count of items in the record (samples, for remote write) and
 * feeds the dropped/pending counters. {@code commit} holds the committed read position (8 bytes + CRC).
 * {@code lock} is held (an OS file lock, released even by kill -9) while the queue is open.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Accepted</b>: {@link #append} returned. The record has reached the operating system (a
 *       {@code write(2)} completed), so it survives kill -9 of this process.</li>
 *   <li><b>Acknowledged</b>: the consumer called {@link #commit} with a position at or past the record's
 *       end. Acknowledged records are never read again, even after a restart.</li>
 *   <li>After a restart, reading starts at the committed position: every accepted, unacknowledged record
 *       is read again exactly once per process lifetime, in append order. Delivery to the remote end is
 *       therefore at-least-once; the remote-write receivers drop an identical resent sample.</li>
 *   <li>A record cut short by a crash (the last one written) fails its length or CRC check on open and
 *       is truncated away; it had not been accepted (its {@code append} never returned).</li>
 * </ul>
 *
 * <h2>Durability (fsync policy)</h2>
 * Appends are not fsync'ed one by one: kill -9 cannot lose them (the page cache belongs to the kernel),
 * and fsync per scrape would cost more than the whole scrape. A segment is fsync'ed when it is closed
 * for writing (rotation) and on {@link #sync()}, which the owner calls periodically (remote write: every
 * second) and on close. A power loss or kernel crash can therefore lose up to that period of appends.
 * The commit file is overwritten in place (twelve bytes, one write, CRC-checked on open) without fsync:
 * after a power loss it may be older than it was or fail its checksum, which only re-sends acknowledged data.
 *
 * <h2>Budget</h2>
 * The segment files never exceed {@code maxBytes} (plus one record). When an append would, the oldest
 * segments are deleted first; the records in them that had not been read yet are counted in
 * {@link #droppedRecords()} / {@link #droppedWeight()} and logged. Records already handed to the
 * consumer are its responsibility and are not counted.
 *
 * <p>Not thread-safe: confine every call to one thread (remote write uses a dedicated IO thread).
 */
public final class DiskQueue implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(DiskQueue.class);

    static final int HEADER_BYTES = 12;
    private static final String SUFFIX = ".seg";
    private static final String COMMIT = "commit";
    private static final String LOCK = "lock";

    /** Size limits. {@code maxBytes} must hold at least two segments. */
    public record Options(long maxBytes, long segmentBytes) {
        public static final long DEFAULT_MAX_BYTES = 1L << 30;
        public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
        public static final Options DEFAULT = new Options(DEFAULT_MAX_BYTES, DEFAULT_SEGMENT_BYTES);

        public Options {
            if (segmentBytes < 1024) {
                throw new IllegalArgumentException("segmentBytes must be at least 1024, got " + segmentBytes);
            }
            if (maxBytes < 2 * segmentBytes) {
                throw new IllegalArgumentException("maxBytes (" + maxBytes + ") must hold at least two segments of "
                        + segmentBytes + " bytes");
            }
        }
    }

    /** Where {@link #next} puts a record: payload in {@code buffer()[0 .. length())}. Reused between reads. */
    public static final class Cursor {
        private byte[] buf = new byte[4096];
        private int length;
        private int weight;
        private long start;
        private long end;

        public byte[] buffer() {
            return buf;
        }

        public int length() {
            return length;
        }

        public int weight() {
            return weight;
        }

        /** Queue position of the record's first header byte. */
        public long start() {
            return start;
        }

        /** Queue position just past the record: what to {@link #commit} once it is delivered. */
        public long end() {
            return end;
        }
    }

    private static final class Segment {
        final long start;
        final Path path;
        final FileChannel ch;
        long size;
        long records;
        long weight;

        Segment(long start, Path path, FileChannel ch) {
            this.start = start;
            this.path = path;
            this.ch = ch;
        }

        long end() {
            return start + size;
        }
    }

    private final Path dir;
    private final Options options;
    private final List<Segment> segments = new ArrayList<>();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    private ByteBuffer staging = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer commitBytes = ByteBuffer.allocateDirect(12);
    private FileChannel commitChannel;
    private final CRC32C crc = new CRC32C();
    private long totalBytes;
    private long committed;
    private long readPos;
    private long unreadRecords;
    private long unreadWeight;
    private long droppedRecords;
    private long droppedWeight;
    private long truncatedBytes;
    private long corruptSkips;
    private boolean closed;
    private FileChannel lockChannel;
    private FileLock lockHandle;

    private DiskQueue(Path dir, Options options) {
        this.dir = dir;
        this.options = options;
    }

    /** Opens (creating if needed) the queue in {@code dir}, checking every record and truncating a torn tail. */
    public static DiskQueue open(Path dir, Options options) throws IOException {
        Files.createDirectories(dir);
        DiskQueue q = new DiskQueue(dir, options);
        q.lock();
        try {
            q.recover();
        } catch (IOException | RuntimeException e) {
            q.closeQuietly();
            throw e;
        }
        return q;
    }

    /** One owner per directory: a second process (or queue) appending to the same files would corrupt them. */
    private void lock() throws IOException {
        lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lockHandle = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lockHandle = null;
        }
        if (lockHandle == null) {
            lockChannel.close();
            throw new IOException("disk queue directory is in use by another queue or process: " + dir);
        }
    }

    private void closeQuietly() {
        for (Segment s : segments) {
            try {
                s.ch.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
        }
        if (commitChannel != null) {
            try {
                commitChannel.close();
            } catch (IOException ignored) {
                // same
            }
        }
        try {
            lockChannel.close(); // releases the lock
        } catch (IOException ignored) {
            // same
        }
        closed = true;
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        committed = readCommit();
        for (Path p : files) {
            long start = parseStart(p);
            Segment seg = new Segment(start, p, FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE));
            scan(seg);
            segments.add(seg);
            totalBytes += seg.size;
        }
        if (!segments.isEmpty() && committed < segments.get(0).start) {
            committed = segments.get(0).start;
        }
        // Fully acknowledged segments (but keep the last one for appending).
        while (segments.size() > 1 && segments.get(0).end() <= committed) {
            deleteSegment(segments.remove(0));
        }
        if (segments.isEmpty()) {
            newSegment(committed);
        }
        long end = active().end();
        if (committed > end) {
            // Only possible after a power loss took unsynced appends the commit had already passed: new
            // appends would land below the committed position and never be read.
            log.warn("disk queue commit is past the end of the data, resetting it dir={} committed={} end={}", dir,
                    committed, end);
            committed = end;
            writeCommit();
        }
        readPos = committed;
        countUnread();
        log.info("disk queue opened dir={} segments={} bytes={} committed={} unreadRecords={}", dir, segments.size(),
                totalBytes, committed, unreadRecords);
    }

    private static long parseStart(Path p) throws IOException {
        String n = p.getFileName().toString();
        try {
            return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            throw new IOException("unexpected file in disk queue directory: " + p, e);
        }
    }

    /** Validates every record of {@code seg}; truncates at the first bad one. */
    private void scan(Segment seg) throws IOException {
        long fileSize = seg.ch.size();
        long pos = 0;
        byte[] payload = new byte[4096];
        while (pos < fileSize) {
            if (fileSize - pos < HEADER_BYTES) {
                break;
            }
            header.clear();
            readFully(seg.ch, header, pos);
            int len = header.getInt(0);
            int sum = header.getInt(4);
            int weight = header.getInt(8);
            if (len < 0 || len > fileSize - pos - HEADER_BYTES) {
                break;
            }
            if (payload.length < len) {
                payload = new byte[Math.max(len, payload.length * 2)];
            }
            readFully(seg.ch, ByteBuffer.wrap(payload, 0, len), pos + HEADER_BYTES);
            if (checksum(weight, payload, 0, len) != sum) {
                break;
            }
            seg.records++;
            seg.weight += weight;
            pos += HEADER_BYTES + len;
        }
        if (pos < fileSize) {
            log.warn("disk queue truncating torn or corrupt tail segment={} validBytes={} fileBytes={}", seg.path, pos,
                    fileSize);
            truncatedBytes += fileSize - pos;
            seg.ch.truncate(pos);
            seg.ch.force(true);
        }
        seg.size = pos;
    }

    private void countUnread() throws IOException {
        unreadRecords = 0;
        unreadWeight = 0;
        for (Segment s : segments) {
            if (s.start >= readPos) {
                unreadRecords += s.records;
                unreadWeight += s.weight;
            } else if (s.end() > readPos) {
                long[] rw = countFrom(s, readPos);
                unreadRecords += rw[0];
                unreadWeight += rw[1];
            }
        }
    }

    /** Records and weight in {@code seg} from queue position {@code from} to its end (headers only). */
    private long[] countFrom(Segment seg, long from) throws IOException {
        long records = 0;
        long weight = 0;
        long pos = Math.max(from, seg.start) - seg.start;
        while (pos + HEADER_BYTES <= seg.size) {
            header.clear();
            readFully(seg.ch, header, pos);
            int len = header.getInt(0);
            if (len < 0) {
                break;
            }
            records++;
            weight += header.getInt(8);
            pos += HEADER_BYTES + (long) len;
        }
        return new long[] {records, weight};
    }

    private Segment newSegment(long start) throws IOException {
        Path p = dir.resolve(String.format("%020d%s", start, SUFFIX));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Segment s = new Segment(start, p, ch);
        segments.add(s);
        return s;
    }

    private Segment active() {
        return segments.get(segments.size() - 1);
    }

    /**
     * Appends a record; when this returns it is accepted (see the class comment).
     *
     * @return the queue position just past the record
     * @throws IOException when the disk fails or the record alone exceeds the budget
     */
    public long append(byte[] payload, int off, int len, int weight) throws IOException {
        ensureOpen();
        long recordBytes = HEADER_BYTES + (long) len;
        if (recordBytes > options.maxBytes - options.segmentBytes) {
            throw new IOException("record of " + len + " bytes does not fit the disk queue budget of "
                    + options.maxBytes + " bytes");
        }
        Segment seg = active();
        if (seg.size > 0 && seg.size + recordBytes > options.segmentBytes) {
            seg.ch.force(false);
            seg = newSegment(seg.end());
        }
        while (totalBytes + recordBytes > options.maxBytes && segments.size() > 1) {
            dropOldest();
        }
        // Header and payload in one write(2): the JDK copies heap buffers into a direct one anyway.
        if (staging.capacity() < recordBytes) {
            staging = ByteBuffer.allocateDirect((int) Math.max(recordBytes, staging.capacity() * 2L));
        }
        staging.clear();
        staging.putInt(len).putInt(checksum(weight, payload, off, len)).putInt(weight).put(payload, off, len);
        staging.flip();
        long pos = seg.size;
        while (staging.hasRemaining()) {
            pos += seg.ch.write(staging, pos);
        }
        seg.size = pos;
        seg.records++;
        seg.weight += weight;
        totalBytes += recordBytes;
        unreadRecords++;
        unreadWeight += weight;
        return seg.end();
    }

    private void dropOldest() throws IOException {
        Segment s = segments.remove(0);
        if (s.end() > readPos) {
            long[] rw = countFrom(s, readPos);
            droppedRecords += rw[0];
            droppedWeight += rw[1];
            unreadRecords -= rw[0];
            unreadWeight -= rw[1];
            log.warn("disk queue full, dropping oldest unsent data dir={} records={} weight={} budgetBytes={}", dir,
                    rw[0], rw[1], options.maxBytes);
        }
        Segment next = segments.get(0);
        readPos = Math.max(readPos, next.start);
        if (committed < next.start) {
            committed = next.start;
            writeCommit();
        }
        deleteSegment(s);
    }

    private void deleteSegment(Segment s) throws IOException {
        s.ch.close();
        Files.deleteIfExists(s.path);
        totalBytes -= s.size;
    }

    /**
     * Reads the next unread record into {@code c}.
     *
     * @return false when everything appended has been read
     */
    public boolean next(Cursor c) throws IOException {
        ensureOpen();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (readPos < s.start) {
                readPos = s.start;
            }
            if (readPos >= s.end()) {
                continue;
            }
            long pos = readPos - s.start;
            header.clear();
            readFully(s.ch, header, pos);
            int len = header.getInt(0);
            int sum = header.getInt(4);
            int weight = header.getInt(8);
            if (len >= 0 && pos + HEADER_BYTES + len <= s.size) {
                if (c.buf.length < len) {
                    c.buf = new byte[Math.max(len, c.buf.length * 2)];
                }
                readFully(s.ch, ByteBuffer.wrap(c.buf, 0, len), pos + HEADER_BYTES);
            }
            if (len < 0 || pos + HEADER_BYTES + len > s.size || checksum(weight, c.buf, 0, len) != sum) {
                // Damaged after it was written (the open-time scan passed it): skip the rest of the segment
                // rather than stall the queue forever, and say so.
                long[] rw = countFrom(s, readPos);
                corruptSkips++;
                unreadRecords -= rw[0];
                unreadWeight -= rw[1];
                log.error("disk queue record failed its checksum, skipping the rest of the segment segment={} "
                        + "position={} skippedRecords={}", s.path, readPos, rw[0]);
                readPos = s.end();
                continue;
            }
            c.length = len;
            c.weight = weight;
            c.start = readPos;
            c.end = readPos + HEADER_BYTES + len;
            readPos = c.end;
            unreadRecords--;
            unreadWeight -= weight;
            return true;
        }
        return false;
    }

    /** Marks everything before {@code position} acknowledged, persists that, and deletes finished segments. */
    public void commit(long position) throws IOException {
        ensureOpen();
        if (position <= committed) {
            return;
        }
        committed = position;
        writeCommit();
        while (segments.size() > 1 && segments.get(0).end() <= committed) {
            deleteSegment(segments.remove(0));
        }
    }

    /** Forgets what was read but not committed: the next {@link #next} starts at the committed position again. */
    public void rewind() throws IOException {
        readPos = committed;
        countUnread();
    }

    /** fsyncs the segment being appended to (see the class comment for the policy). */
    public void sync() throws IOException {
        if (!closed) {
            active().ch.force(false);
        }
    }

    public long committed() {
        return committed;
    }

    /** Queue position just past the newest record (where the next append goes). */
    public long writePosition() {
        return active().end();
    }

    public long readPosition() {
        return readPos;
    }

    /** Bytes of segment files on disk. */
    public long bytesOnDisk() {
        return totalBytes;
    }

    public long unreadRecords() {
        return unreadRecords;
    }

    /** Sum of the weights of the records not read yet. */
    public long unreadWeight() {
        return unreadWeight;
    }

    /** Unread records deleted because the budget was full. */
    public long droppedRecords() {
        return droppedRecords;
    }

    public long droppedWeight() {
        return droppedWeight;
    }

    /** Bytes cut off torn or corrupt segment tails when the queue was opened. */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    /** Times a damaged record made the reader skip the rest of its segment. */
    public long corruptSkips() {
        return corruptSkips;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        IOException first = null;
        try {
            sync();
            writeCommit();
        } catch (IOException e) {
            first = e;
        }
        closeQuietly();
        if (first != null) {
            throw first;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("disk queue is closed: " + dir);
        }
    }

    private long readCommit() throws IOException {
        Path p = dir.resolve(COMMIT);
        if (!Files.exists(p)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(p);
        if (b.length != 12) {
            log.warn("disk queue commit file has the wrong size, replaying from the start path={} bytes={}", p, b.length);
            return 0;
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        long pos = bb.getLong(0);
        crc.reset();
        crc.update(b, 0, 8);
        if ((int) crc.getValue() != bb.getInt(8)) {
            log.warn("disk queue commit file failed its checksum, replaying from the start path={}", p);
            return 0;
        }
        return pos;
    }

    private void writeCommit() throws IOException {
        commitBytes.clear();
        commitBytes.putLong(committed).flip();
        crc.reset();
        crc.update(commitBytes);
        commitBytes.limit(12).putInt((int) crc.getValue()).flip();
        if (commitChannel == null) {
            commitChannel = FileChannel.open(dir.resolve(COMMIT), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        // Twelve bytes overwritten in place by one write(2): a killed process cannot leave half of them, and
        // a torn write after a power loss fails the checksum, which replays from the start (never loses data).
        while (commitBytes.hasRemaining()) {
            commitChannel.write(commitBytes, commitBytes.position());
        }
    }

    private int checksum(int weight, byte[] payload, int off, int len) {
        crc.reset();
        crc.update(weight >>> 24);
        crc.update(weight >>> 16);
        crc.update(weight >>> 8);
        crc.update(weight);
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new IOException("unexpected end of disk queue segment at " + pos);
            }
            pos += n;
        }
    }
}
