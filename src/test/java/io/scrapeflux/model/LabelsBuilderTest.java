package io.scrapeflux.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsBuilderTest {

    @Test
    void unchangedBuilderReturnsItsBaseInstance() {
        Labels base = Labels.of("a", "1", "b", "2");
        LabelsBuilder b = LabelsBuilder.of(base);
        b.set("a", "1").del("missing");
        assertThat(b.build()).isSameAs(base);
    }

    @Test
    void changesNeverLeakIntoTheLabelsTheBuilderStartedFrom() {
        Labels base = Labels.of("a", "1", "b", "2", "c", "3");
        LabelsBuilder b = LabelsBuilder.of(base);
        b.set("b", "20").del("a").set("d", "4");
        assertThat(b.build()).isEqualTo(Labels.of("b", "20", "c", "3", "d", "4"));
        assertThat(base).isEqualTo(Labels.of("a", "1", "b", "2", "c", "3"));
    }

    @Test
    void builtLabelsStayFixedWhileTheBuilderGoesOn() {
        LabelsBuilder b = LabelsBuilder.of(Labels.of("a", "1"));
        b.set("b", "2");
        Labels first = b.build();
        b.set("c", "3").del("a");
        assertThat(first).isEqualTo(Labels.of("a", "1", "b", "2"));
        assertThat(b.build()).isEqualTo(Labels.of("b", "2", "c", "3"));
    }

    @Test
    void resetReusesTheBuilderAcrossLabelSetsOfAnySize() {
        LabelsBuilder b = Labels.builder();
        for (int n = 0; n < 40; n += 7) {
            LabelsBuilder grow = Labels.builder();
            for (int i = 0; i < n; i++) {
                grow.set("l" + (char) ('a' + i), "v" + i);
            }
            Labels base = grow.build();
            b.reset(base);
            assertThat(b.build()).isSameAs(base);
            b.set("zz", "last").set("00", "first");
            Labels out = b.build();
            assertThat(out.size()).isEqualTo(n + 2);
            assertThat(out.name(0)).isEqualTo("00");
            assertThat(out.name(n + 1)).isEqualTo("zz");
            assertThat(base.size()).isEqualTo(n);
        }
    }

    @Test
    void emptyValueDeletesAndIndexOfReportsTheInsertionPoint() {
        LabelsBuilder b = LabelsBuilder.of(Labels.of("a", "1", "c", "3"));
        assertThat(b.indexOf("b")).isEqualTo(-2);
        b.set("a", "");
        assertThat(b.build()).isEqualTo(Labels.of("c", "3"));
        assertThat(b.indexOf("c")).isZero();
    }
}
