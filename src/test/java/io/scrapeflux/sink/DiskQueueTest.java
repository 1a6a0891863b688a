package io.scrapeflux.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskQueueTest {

    private static final DiskQueue.Options SMALL = new DiskQueue.Options(8 * 1024, 2 * 1024);

    @TempDir
    Path dir;

    static long append(DiskQueue q, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return q.append(b, 0, b.length, s.length());
    }

    static List<String> readAll(DiskQueue q, boolean commitEach) throws IOException {
        List<String> out = new ArrayList<>();
        DiskQueue.Cursor c = new DiskQueue.Cursor();
        while (q.next(c)) {
            out.add(new String(c.buffer(), 0, c.length(), StandardCharsets.UTF_8));
            if (commitEach) {
                q.commit(c.end());
            }
        }
        return out;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void readsInOrderAndReplaysWhatWasNotCommittedAfterReopen() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            for (int i = 0; i < 10; i++) {
                append(q, "r" + i);
            }
            DiskQueue.Cursor c = new DiskQueue.Cursor();
            for (int i = 0; i < 4; i++) {
                assertThat(q.next(c)).isTrue();
            }
            q.commit(c.end()); // r0..r3 acknowledged
            assertThat(q.next(c)).isTrue(); // r4 read, not acknowledged
            assertThat(q.unreadRecords()).isEqualTo(5);
        }
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            assertThat(q.unreadRecords()).isEqualTo(6);
            assertThat(q.unreadWeight()).isEqualTo(12);
            assertThat(readAll(q, true)).containsExactly("r4", "r5", "r6", "r7", "r8", "r9");
        }
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            assertThat(readAll(q, true)).isEmpty();
            append(q, "after");
            assertThat(readAll(q, true)).containsExactly("after");
        }
    }

    @Test
    void rewindReadsUncommittedAgain() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            append(q, "a");
            append(q, "b");
            assertThat(readAll(q, false)).containsExactly("a", "b");
            q.rewind();
            assertThat(readAll(q, false)).containsExactly("a", "b");
        }
    }

    @Test
    void tornLastRecordIsTruncatedOnOpen() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            append(q, "one");
            append(q, "two");
            append(q, "three-will-be-torn");
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 5); // crash in the middle of the payload
        }
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            assertThat(q.truncatedBytes()).isEqualTo(DiskQueue.HEADER_BYTES + "three-will-be-torn".length() - 5);
            assertThat(readAll(q, false)).containsExactly("one", "two");
            append(q, "four");
            q.rewind();
            assertThat(readAll(q, false)).containsExactly("one", "two", "four");
        }
    }

    @Test
    void corruptLastRecordFailsCrcAndIsTruncated() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            append(q, "good");
            append(q, "flipped");
        }
        Path seg = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 0x01);
        }
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            assertThat(readAll(q, false)).containsExactly("good");
            assertThat(q.truncatedBytes()).isEqualTo(DiskQueue.HEADER_BYTES + "flipped".length());
        }
    }

    @Test
    void partialHeaderAtTheEndIsTruncated() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            append(q, "only");
        }
        Path seg = segments().get(0);
        Files.write(seg, new byte[] {0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            assertThat(q.truncatedBytes()).isEqualTo(3);
            assertThat(readAll(q, false)).containsExactly("only");
        }
    }

    @Test
    void fullBudgetDropsOldestUnreadSegmentsAndCountsThem() throws IOException {
        String payload = "x".repeat(500); // 512 bytes with header: 4 per segment of 2 KiB
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            for (int i = 0; i < 40; i++) {
                append(q, i + ":" + payload);
                assertThat(q.bytesOnDisk()).isLessThanOrEqualTo(SMALL.maxBytes());
            }
            assertThat(q.droppedRecords()).isGreaterThan(0);
            long weight = 0;
            for (int i = 0; i < q.droppedRecords(); i++) {
                weight += (i + ":" + payload).length();
            }
            assertThat(q.droppedWeight()).isEqualTo(weight);
            List<String> left = readAll(q, true);
            assertThat(left.size() + q.droppedRecords()).isEqualTo(40);
            // what survives is the newest data, in order
            int first = Integer.parseInt(left.get(0).substring(0, left.get(0).indexOf(':')));
            assertThat(first).isEqualTo(q.droppedRecords());
            for (int i = 0; i < left.size(); i++) {
                assertThat(left.get(i)).startsWith((first + i) + ":");
            }
            assertThat(segments().size()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void recordsAlreadyReadAreNotCountedAsDroppedWhenTheirSegmentGoes() throws IOException {
        String payload = "y".repeat(500);
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            for (int i = 0; i < 8; i++) {
                append(q, payload);
            }
            assertThat(readAll(q, false)).hasSize(8); // read (in flight), not committed
            for (int i = 0; i < 20; i++) {
                append(q, payload);
            }
            long unreadLeft = q.unreadRecords();
            assertThat(q.droppedRecords() + unreadLeft).isEqualTo(20);
        }
    }

    @Test
    void committedSegmentsAreDeleted() throws IOException {
        String payload = "z".repeat(500);
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            for (int i = 0; i < 10; i++) {
                append(q, payload);
            }
            assertThat(segments().size()).isGreaterThan(1);
            readAll(q, true);
            assertThat(segments()).hasSize(1);
            assertThat(q.bytesOnDisk()).isLessThanOrEqualTo(SMALL.segmentBytes());
        }
    }

    @Test
    void commitPastTheEndOfTheDataIsPulledBackSoNewAppendsAreRead() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            append(q, "a");
            append(q, "b");
            readAll(q, true);
        }
        Path seg = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(DiskQueue.HEADER_BYTES + 1); // "b" lost although committed (power loss)
        }
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            append(q, "c");
            assertThat(readAll(q, true)).containsExactly("c");
        }
    }

    @Test
    void aDirectoryHasOneOwnerAtATime() throws IOException {
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            assertThatThrownBy(() -> DiskQueue.open(dir, SMALL)).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
        DiskQueue.open(dir, SMALL).close(); // released on close
    }

    @Test
    void optionsAndOversizedRecordsAreRefusedClearly() throws IOException {
        assertThatThrownBy(() -> new DiskQueue.Options(1000, 1024)).hasMessageContaining("two segments");
        try (DiskQueue q = DiskQueue.open(dir, SMALL)) {
            byte[] big = new byte[7000];
            assertThatThrownBy(() -> q.append(big, 0, big.length, 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("budget");
        }
    }
}
