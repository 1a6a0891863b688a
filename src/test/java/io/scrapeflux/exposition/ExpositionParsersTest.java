package io.scrapeflux.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.ScrapeProtocol;
import io.scrapeflux.exposition.ExpositionParsers.Format;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpositionParsersTest {

    @Test
    void defaultAcceptHeaderMatchesPrometheus3() {
        assertThat(ExpositionParsers.acceptHeader(ScrapeProtocol.DEFAULTS)).isEqualTo(
                "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                        + "application/openmetrics-text;version=0.0.1;q=0.5,"
                        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                        + "text/plain;version=0.0.4;q=0.3,"
                        + "*/*;q=0.2");
    }

    @Test
    void acceptHeaderFollowsConfiguredOrderAndEscaping() {
        assertThat(ExpositionParsers.acceptHeader(
                List.of(ScrapeProtocol.PrometheusProto, ScrapeProtocol.PrometheusText0_0_4), "underscores"))
                .isEqualTo("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
                        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.4");
        assertThat(ExpositionParsers.acceptHeader(List.of(ScrapeProtocol.PrometheusText1_0_0), null))
                .isEqualTo("text/plain;version=1.0.0;q=0.6,*/*;q=0.5");
        assertThat(ExpositionParsers.acceptHeader(List.of())).isEqualTo("*/*;q=0.6");
    }

    @Test
    void contentTypeChoosesTheParser() throws Exception {
        assertThat(ExpositionParsers.formatFor("text/plain", null)).isEqualTo(Format.PROMETHEUS_TEXT);
        assertThat(ExpositionParsers.formatFor("text/plain; version=0.0.4; charset=utf-8", null)).isEqualTo(Format.PROMETHEUS_TEXT);
        assertThat(ExpositionParsers.formatFor("Text/Plain;version=1.0.0;escaping=allow-utf-8", null)).isEqualTo(Format.PROMETHEUS_TEXT);
        assertThat(ExpositionParsers.formatFor("application/openmetrics-text; version=1.0.0; charset=utf-8", null))
                .isEqualTo(Format.OPENMETRICS);
        assertThat(ExpositionParsers.formatFor("application/openmetrics-text; version=0.0.1", null)).isEqualTo(Format.OPENMETRICS);
        assertThat(ExpositionParsers.forContentType("application/openmetrics-text", null)).isInstanceOf(OpenMetricsParser.class);
        assertThat(ExpositionParsers.forContentType("text/plain", null)).isInstanceOf(PrometheusTextParser.class);
    }

    @Test
    void missingOrUnknownContentTypeNeedsAFallback() throws Exception {
        assertThatThrownBy(() -> ExpositionParsers.formatFor(null, null)).isInstanceOf(ExpositionException.class)
                .hasMessageContaining("blank Content-Type").hasMessageContaining("fallback_scrape_protocol");
        assertThatThrownBy(() -> ExpositionParsers.formatFor("application/json", null)).isInstanceOf(ExpositionException.class)
                .hasMessageContaining("unsupported Content-Type \"application/json\"");
        assertThatThrownBy(() -> ExpositionParsers.formatFor("text/plain; version", null)).isInstanceOf(ExpositionException.class)
                .hasMessageContaining("cannot parse Content-Type");
        assertThat(ExpositionParsers.formatFor("", ScrapeProtocol.OpenMetricsText1_0_0)).isEqualTo(Format.OPENMETRICS);
        assertThat(ExpositionParsers.formatFor("application/json", ScrapeProtocol.PrometheusText0_0_4))
                .isEqualTo(Format.PROMETHEUS_TEXT);
        assertThat(ExpositionParsers.formatFor("garbage;;==", ScrapeProtocol.PrometheusText1_0_0))
                .isEqualTo(Format.PROMETHEUS_TEXT);
    }

    @Test
    void protobufIsRejectedWithAClearError() {
        assertThatThrownBy(() -> ExpositionParsers.formatFor(
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", null))
                .isInstanceOf(ExpositionException.class).hasMessageContaining("PrometheusProto) is not supported");
        assertThatThrownBy(() -> ExpositionParsers.formatFor(null, ScrapeProtocol.PrometheusProto))
                .isInstanceOf(ExpositionException.class).hasMessageContaining("PrometheusProto");
    }
}
