package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Go's shortest 'g' formatting plus ".0", as Prometheus 3 writes le and quantile values. */
class OpenMetricsFloatsTest {

    @Test
    void formatsLikeGo() {
        assertThat(OpenMetricsFloats.format(1)).isEqualTo("1.0");
        assertThat(OpenMetricsFloats.format(0)).isEqualTo("0.0");
        assertThat(OpenMetricsFloats.format(-1)).isEqualTo("-1.0");
        assertThat(OpenMetricsFloats.format(10)).isEqualTo("10.0");
        assertThat(OpenMetricsFloats.format(100000)).isEqualTo("100000.0");
        assertThat(OpenMetricsFloats.format(1e6)).isEqualTo("1e+06");
        assertThat(OpenMetricsFloats.format(1234567)).isEqualTo("1.234567e+06");
        assertThat(OpenMetricsFloats.format(0.0001)).isEqualTo("0.0001");
        assertThat(OpenMetricsFloats.format(0.00001)).isEqualTo("1e-05");
        assertThat(OpenMetricsFloats.format(0.1)).isEqualTo("0.1");
        assertThat(OpenMetricsFloats.format(2.5)).isEqualTo("2.5");
        assertThat(OpenMetricsFloats.format(8.999999999999998)).isEqualTo("8.999999999999998");
        assertThat(OpenMetricsFloats.format(-8.999999999999979e-05)).isEqualTo("-8.999999999999979e-05");
        assertThat(OpenMetricsFloats.format(1e21)).isEqualTo("1e+21");
        assertThat(OpenMetricsFloats.format(2e-323)).isEqualTo("2e-323");
        assertThat(OpenMetricsFloats.format(1.7976931348623157e308)).isEqualTo("1.7976931348623157e+308");
        assertThat(OpenMetricsFloats.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(OpenMetricsFloats.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(OpenMetricsFloats.format(Double.NaN)).isEqualTo("NaN");
    }
}
