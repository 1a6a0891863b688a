package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.discovery.TargetGroup;
import org.junit.jupiter.api.Test;

class TargetGroupsTest {

    @Test
    void buildsPodGroupWithoutServer() {
        TargetGroup g = TargetGroups.pod(Projector.pod(PodDiscoveryTest.pod("default", "web-a")),
                TargetGroups.Lookup.NONE);
        assertThat(g.targets()).hasSize(4);
    }
}
