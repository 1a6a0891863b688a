package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "0B, 0",
            "100B, 100",
            "1KB, 1024",
            "1KiB, 1024",
            "512KiB, 524288",
            "10MB, 10485760",
            "10MiB, 10485760",
            "1.5MB, 1572864",
            "1GB, 1073741824",
            "1GB512MB, 1610612736",
            "1TiB, 1099511627776"})
    void parsesBase2Units(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10kB", "10 MB", "MB", "10XB", "1.2.3MB", "-5MB"})
    void rejectsInvalidSizes(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"0, 0B", "100, 100B", "1024, 1KiB", "10485760, 10MiB", "1536, 1KiB512B", "1073741824, 1GiB"})
    void formatsLikeBase2Bytes(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
    }
}
