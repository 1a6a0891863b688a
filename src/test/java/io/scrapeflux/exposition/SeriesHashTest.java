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

    @Test
    void quickHashDependsOnTheBytesOnly() {
        byte[] b = "xxm{a=\"1\",b=\"some longer value\"}yy".getBytes(StandardCharsets.UTF_8);
        byte[] same = "m{a=\"1\",b=\"some longer value\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(SeriesHash.quick(b, 2, same.length)).isEqualTo(SeriesHash.quick(same, 0, same.length));
    }

    @Test
    void quickHashTellsPrefixesAndSingleByteChangesApart() {
        byte[] b = "kube_pod_status_phase{namespace=\"default\",pod=\"app-4-07bbc\",phase=\"Running\"}"
                .getBytes(StandardCharsets.UTF_8);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int len = 0; len <= b.length; len++) {
            assertThat(seen.add(SeriesHash.quick(b, 0, len))).as("prefix %d", len).isTrue();
        }
        for (int i = 0; i < b.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] c = b.clone();
                c[i] ^= (byte) (1 << bit);
                assertThat(seen.add(SeriesHash.quick(c, 0, c.length))).as("byte %d bit %d", i, bit).isTrue();
            }
        }
    }

    @Test
    void quickHashHasNoCollisionsAmongTheSeriesOfALargePayload() throws Exception {
        byte[] body = Payloads.load("ksm_like_10k.prom");
        ExpositionParser p = new PrometheusTextParser();
        p.reset(body, 0, body.length);
        java.util.Set<Long> hashes = new java.util.HashSet<>();
        int series = 0;
        for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.EOF; e = p.next()) {
            if (e == ExpositionParser.Entry.SERIES) {
                series++;
                hashes.add(p.seriesHash());
                // Low bits pick the table slot, so they must differ too.
            }
        }
        assertThat(hashes).hasSize(series);
        assertThat(hashes.stream().map(h -> h & 0xFFFFF).distinct().count()).isGreaterThan(series * 9L / 10);
    }
}
