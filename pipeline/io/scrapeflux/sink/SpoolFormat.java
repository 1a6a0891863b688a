package io.scrapeflux.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Which records of a remote-write spool are chunks ({@link WriteRequestEncoder}) and which are the
 * per-sample entries older versions wrote. The file {@code format} in the spool directory says from which
 * queue position on records are chunked; a spool without it was written by an older version (or is new),
 * so everything already in it is the old format and everything appended from now on is chunked.
 */
final class SpoolFormat {

    static final String FILE = "format";
    private static final String PREFIX = "scrapeflux remote-write spool: chunks from ";

    private SpoolFormat() {
    }

    /** Reads the boundary, or records {@code writePosition} as the boundary when there is none yet. */
    static long chunkedFrom(Path spoolDir, long writePosition) throws IOException {
        Path f = spoolDir.resolve(FILE);
        if (Files.exists(f)) {
            String text = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (!text.startsWith(PREFIX)) {
                throw new IOException(f + ": not a spool format file (expected \"" + PREFIX + "<position>\", got \""
                        + text + "\")");
            }
            try {
                return Long.parseLong(text.substring(PREFIX.length()));
            } catch (NumberFormatException e) {
                throw new IOException(f + ": bad position in \"" + text + "\"", e);
            }
        }
        Path tmp = spoolDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, PREFIX + writePosition + "\n", StandardCharsets.UTF_8);
        // Written before the first chunked append, and atomically: a crash leaves either no file (all
        // records old, true) or the right one.
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return writePosition;
    }
}
