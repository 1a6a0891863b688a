package io.scrapeflux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Relabeling, Exposition and Discovery used on their own: their error contract and edge cases. */
class StandaloneStagesTest {

    @Test
    void invalidRelabelRulesNameTheLineOfTheCallersText() {
        assertThatThrownBy(() -> Relabeling.compile("""
                - source_labels: [a]
                  target_label: b
                - action: replace
                  regex: '('
                """))
                .isInstanceOf(InvalidConfigException.class)
                .satisfies(e -> assertThat(((InvalidConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).startsWith("relabel_configs:4:")));
    }

    @Test
    void relabelingReturnsTheSameLabelsWhenNothingChanges() {
        Relabeling none = Relabeling.compile("[]");
        assertThat(none.size()).isZero();
        assertThat(none.apply(Map.of("a", "1"))).hasValue(Map.of("a", "1"));
    }

    @Test
    void brokenExpositionEndsWithAnErrorNamingTheLineAfterTheGoodSamples() {
        StepVerifier.create(Exposition.parse("up 1\nup{ 2\n", "text/plain; version=0.0.4"))
                .assertNext(s -> assertThat(s.name()).isEqualTo("up"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(InvalidExpositionException.class)
                        .satisfies(x -> assertThat(((InvalidExpositionException) x).line()).isEqualTo(2)))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void openMetricsIsChosenByContentType() {
        StepVerifier.create(Exposition.parse("# TYPE a counter\na_total 1 1.5\n# EOF\n",
                        "application/openmetrics-text; version=1.0.0"))
                .assertNext(s -> assertThat(s.timestampMs()).hasValue(1500L))
                .verifyComplete();
    }

    @Test
    void protobufIsAnErrorSignalNotAThrow() {
        StepVerifier.create(Exposition.parse(new byte[0],
                        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"))
                .expectError(InvalidExpositionException.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void staticDiscoveryDeliversItsGroupsAndSeveralBlocksKeepSourcesApart() {
        StepVerifier.create(Discovery.of("static_configs: [{targets: ['a:1'], labels: {env: x}}, {targets: ['b:2']}]"))
                .assertNext(groups -> assertThat(groups).extracting(TargetGroup::source).containsExactly("static/0:0"))
                .assertNext(groups -> assertThat(groups).singleElement().satisfies(g -> {
                    assertThat(g.source()).isEqualTo("static/1:0");
                    assertThat(g.targets()).containsExactly(Map.of("__address__", "b:2"));
                }))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void invalidDiscoveryBlocksAreErrorSignals() {
        StepVerifier.create(Discovery.of("file_sd_configs: [{files: []}]"))
                .expectError(InvalidConfigException.class).verify(Duration.ofSeconds(5));
        StepVerifier.create(Discovery.of("scrape_interval: 5s"))
                .expectErrorMessage("discovery: no service discovery block given").verify(Duration.ofSeconds(5));
    }

    @Test
    void targetGroupsCopyTheirMaps() {
        TargetGroup g = TargetGroup.of("s", Map.of("k", "v"), "a:1", "b:2");
        assertThat(g.targets()).hasSize(2);
        assertThat(TargetGroup.removed("s").targets()).isEqualTo(List.of());
    }
}
