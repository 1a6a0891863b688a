package io.scrapeflux.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process appending to a {@link DiskQueue}: after reopening, every record the child reported
 * accepted and not acknowledged is read exactly once, in order, and nothing acknowledged comes back.
 */
class DiskQueueKillTest {

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static Process spawn(Class<?> main, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void everyAcceptedUnacknowledgedRecordIsReadExactlyOnceAfterSigkill() throws Exception {
        long next = 0;
        long lastCommitted = -1;
        for (int round = 0; round < 2; round++) {
            child = spawn(DiskQueueChild.class, dir.toString(), Long.toString(next));
            long lastAccepted = -1;
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("A ")) {
                    lastAccepted = Long.parseLong(line.substring(2));
                } else if (line.startsWith("C ")) {
                    lastCommitted = Long.parseLong(line.substring(2));
                }
                if (lastAccepted >= next + 3000 + round * 777) {
                    break;
                }
            }
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(lastAccepted).as("child made progress").isGreaterThanOrEqualTo(next + 3000);

            try (DiskQueue q = DiskQueue.open(dir, new DiskQueue.Options(64L << 20, 64 * 1024))) {
                DiskQueue.Cursor c = new DiskQueue.Cursor();
                long expected = -1;
                long count = 0;
                while (q.next(c)) {
                    String s = new String(c.buffer(), 0, c.length(), StandardCharsets.UTF_8);
                    long n = Long.parseLong(s.split("-")[1]);
                    if (expected < 0) {
                        assertThat(n).as("nothing acknowledged is replayed").isGreaterThan(lastCommitted);
                        expected = n;
                    }
                    assertThat(n).as("no gap, no duplicate").isEqualTo(expected);
                    assertThat(s).isEqualTo("record-" + n + "-" + "p".repeat((int) (n % 97)));
                    expected++;
                    count++;
                }
                assertThat(count).isGreaterThan(0);
                assertThat(expected - 1).as("every accepted record is there").isGreaterThanOrEqualTo(lastAccepted);
                // Acknowledge nothing: the next round's child starts after the last record on disk.
                next = expected;
            }
        }
    }
}
