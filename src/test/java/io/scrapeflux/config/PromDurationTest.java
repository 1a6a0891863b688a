package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromDurationTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "0s, 0",
            "500ms, 500",
            "15s, 15000",
            "1m, 60000",
            "1h30m, 5400000",
            "1d, 86400000",
            "1w, 604800000",
            "1y, 31536000000",
            "1h0m5s10ms, 3605010",
            "90m, 5400000"})
    void parsesPrometheusSyntax(String text, long millis) {
        assertThat(PromDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.5s", "-1s", "1s1m", "1 s", "1S", "1sec", "1ns", "1us", "m"})
    void rejectsWhatPrometheusRejects(String text) {
        assertThatThrownBy(() -> PromDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "500, 500ms",
            "15000, 15s",
            "60000, 1m",
            "5400000, 1h30m",
            "86400000, 1d",
            "604800000, 1w",
            "7776000000, 90d",
            "31536000000, 1y",
            "3605010, 1h5s10ms"})
    void formatsLikePrometheus(long millis, String text) {
        assertThat(PromDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "5m", "1h30m", "2w", "3y", "1d12h", "250ms"})
    void formatRoundTrips(String text) {
        assertThat(PromDuration.format(PromDuration.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999999y", "99999999999999999999s"})
    void rejectsOverflow(String text) {
        assertThatThrownBy(() -> PromDuration.parse(text)).hasMessageContaining("out of range");
    }
}
