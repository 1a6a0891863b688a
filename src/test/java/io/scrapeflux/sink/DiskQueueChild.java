package io.scrapeflux.sink;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link DiskQueueKillTest}: appends numbered records forever, reading and committing
 * behind itself, and reports on stdout what it has done ("A n" = record n accepted, "C n" = records up to
 * n acknowledged). It is SIGKILLed at an arbitrary point.
 */
public final class DiskQueueChild {

    private DiskQueueChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DiskQueue.Options opts = new DiskQueue.Options(64L << 20, 64 * 1024);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (DiskQueue q = DiskQueue.open(dir, opts)) {
            DiskQueue.Cursor c = new DiskQueue.Cursor();
            long start = Long.parseLong(args[1]);
            for (long n = start; ; n++) {
                byte[] rec = ("record-" + n + "-" + "p".repeat((int) (n % 97))).getBytes(StandardCharsets.UTF_8);
                q.append(rec, 0, rec.length, 1);
                out.println("A " + n);
                // acknowledge everything but the newest 50 records, every 25 appends
                if (n % 25 == 0) {
                    while (q.unreadRecords() > 50 && q.next(c)) {
                        q.commit(c.end());
                    }
                    String s = new String(c.buffer(), 0, c.length(), StandardCharsets.UTF_8);
                    if (s.startsWith("record-")) {
                        out.println("C " + s.split("-")[1]);
                    }
                }
            }
        }
    }
}
