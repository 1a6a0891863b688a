package io.scrapeflux.exposition;

import java.util.Arrays;

/**
 * The comment lines ({@code # HELP}, {@code # TYPE}, plain comments) of the previous body a parser read,
 * byte for byte, each with what parsing it found; so that with deferred checks an identical line in
 * the next body is taken by one comparison instead of being scanned and checked again.
 *
 * <p>Why this is safe: only lines that passed every check are recorded, and what parsing a comment line
 * finds (its entry, the offsets of name and text, the declared type, any error) depends on the bytes of
 * that line alone, its line feed included. So bytes equal to a recorded line parse to the recorded
 * result; every other line is parsed in full, with the same errors as without the cache.
 *
 * <p>Exporters write their metadata in the same order on every scrape, so the lookup is a cursor: the
 * line expected next, or the one after it (a line that changed or went away). A line inserted before
 * the cursor leaves it where it is. Holds at most {@link #MAX_BYTES} bytes of lines per body; lines
 * past that are simply parsed every time.
 */
final class CommentLineCache {

    static final int MAX_BYTES = 1 << 20;

    /** Per line: byte offset, length (line feed included), entry, then the parse result relative to the line start. */
    static final int STRIDE = 9;
    static final int OFF = 0;
    static final int LEN = 1;
    static final int ENTRY = 2;
    static final int META_START = 3;
    static final int META_END = 4;
    static final int META_FLAGS = 5;
    static final int TEXT_START = 6;
    static final int TEXT_END = 7;
    /** Text flags in the low byte, the declared type's ordinal above it. */
    static final int TEXT_FLAGS_AND_TYPE = 8;

    // Lines of the previous body: read through the cursor.
    private byte[] readBytes = new byte[0];
    private int[] readLines = new int[0];
    private int readCount;
    private int cursor;

    // Lines of this body. While every line so far matched in order, they are the read arrays' prefix
    // and nothing is copied; on the first divergence the prefix moves to the spare arrays.
    private byte[] writeBytes;
    private int[] writeLines;
    private int writeCount;
    private int writeByteLen;
    private boolean inPlace = true;
    private byte[] spareBytes = new byte[0];
    private int[] spareLines = new int[0];

    /** Starts a body: the lines recorded for the last one (complete or not) become the ones to match. */
    void start() {
        if (!inPlace) {
            spareBytes = readBytes;
            spareLines = readLines;
            readBytes = writeBytes;
            readLines = writeLines;
        }
        readCount = writeCount;
        cursor = 0;
        writeBytes = readBytes;
        writeLines = readLines;
        writeCount = 0;
        writeByteLen = 0;
        inPlace = true;
    }

    /**
     * The recorded line equal to the bytes at {@code lineStart} (a {@code '#'} line), as an index into
     * {@link #lines()}, or -1. A match is also recorded for the next body. The index is valid until the
     * next call.
     */
    int match(byte[] buf, int lineStart, int end) {
        for (int i = cursor; i < readCount && i < cursor + 2; i++) {
            int o = i * STRIDE;
            int len = readLines[o + LEN];
            int from = readLines[o + OFF];
            if (lineStart + len <= end && Arrays.equals(buf, lineStart, lineStart + len, readBytes, from, from + len)) {
                cursor = i + 1;
                keep(i);
                return i;
            }
        }
        return -1;
    }

    /** Recorded lines: {@link #STRIDE} ints each, at the index {@link #match} returned. */
    int[] lines() {
        return readLines;
    }

    private void keep(int i) {
        int o = i * STRIDE;
        int len = readLines[o + LEN];
        if (inPlace && i == writeCount) {
            writeCount++;
            writeByteLen += len;
        } else if (writeByteLen + len <= MAX_BYTES) {
            divert();
            append(readBytes, readLines[o + OFF], readLines, o);
        }
    }

    /** Records a line that passed every check; {@code result} holds its parse result as {@link #lines()} would. */
    void record(byte[] buf, int lineStart, int[] result) {
        if (writeByteLen + result[LEN] > MAX_BYTES) {
            return;
        }
        if (inPlace && cursor < readCount) {
            divert();
        }
        append(buf, lineStart, result, 0);
    }

    /** Leaves in-place mode: copies the lines of this body so far into the spare arrays. */
    private void divert() {
        if (!inPlace) {
            return;
        }
        inPlace = false;
        byte[] bytes = spareBytes.length >= writeByteLen ? spareBytes : new byte[Math.max(writeByteLen, 256)];
        int[] lines = spareLines.length >= writeCount * STRIDE ? spareLines : new int[Math.max(writeCount * STRIDE, 16 * STRIDE)];
        System.arraycopy(readBytes, 0, bytes, 0, writeByteLen);
        System.arraycopy(readLines, 0, lines, 0, writeCount * STRIDE);
        writeBytes = bytes;
        writeLines = lines;
        spareBytes = new byte[0];
        spareLines = new int[0];
    }

    private void append(byte[] src, int from, int[] result, int o) {
        int len = result[o + LEN];
        if (writeBytes.length < writeByteLen + len) {
            writeBytes = Arrays.copyOf(writeBytes, Math.min(Math.max(writeByteLen + len, writeBytes.length * 2), MAX_BYTES));
        }
        if (writeLines.length < (writeCount + 1) * STRIDE) {
            writeLines = Arrays.copyOf(writeLines, Math.max(16, writeCount * 2) * STRIDE);
        }
        System.arraycopy(src, from, writeBytes, writeByteLen, len);
        int w = writeCount * STRIDE;
        System.arraycopy(result, o, writeLines, w, STRIDE);
        writeLines[w + OFF] = writeByteLen;
        writeByteLen += len;
        if (inPlace) {
            // Appending past everything left to read: the read arrays are the write arrays.
            readBytes = writeBytes;
            readLines = writeLines;
        }
        writeCount++;
    }
}
