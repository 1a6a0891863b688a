package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeriesHashTest {

    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return SeriesHash.hash(b, 0, b.length);
    }

    @Test
    void matchesXxHash64ReferenceVectors() {
        assertThat(hash("")).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
        assertThat(hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void hashesOnlyTheSlice() {
        byte[] b = "xxm{a=\"1\"}yy".getBytes(StandardCharsets.UTF_8);
        assertThat(SeriesHash.hash(b, 2, 8)).isEqualTo(hash("m{a=\"1\"}"));
    }
}
