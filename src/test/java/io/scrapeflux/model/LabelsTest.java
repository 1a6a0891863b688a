package io.scrapeflux.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void internedLabelsAreEqualAndShareTheirStringsAcrossSets() {
        // Two targets exposing the same series decode their own copies of every string.
        Labels a = Labels.of(new String("__name__"), new String("kube_pod_info"), new String("pod"), new String("web-1"));
        Labels b = Labels.of(new String("__name__"), new String("kube_pod_info"), new String("pod"), new String("web-1"));
        Labels ia = a.interned();
        Labels ib = b.interned();
        assertThat(ia).isEqualTo(a).isEqualTo(ib);
        assertThat(ia.hashCode()).isEqualTo(a.hashCode());
        for (int i = 0; i < ia.size(); i++) {
            assertThat(ia.name(i)).isSameAs(ib.name(i));
            assertThat(ia.value(i)).isSameAs(ib.value(i));
        }
    }
}
