package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.discovery.DiscovererContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared Discoverer contract: full state first, removal as an empty group, cancel releases the watch. */
class KubernetesContractTest extends CrudMockTestBase {

    @Test
    void podDiscoveryHonoursTheDiscovererContract() {
        api.createPod(PodDiscoveryTest.pod("default", "a"));
        api.createPod(PodDiscoveryTest.pod("default", "b"));
        DiscovererContract.verify(new DiscovererContract.Fixture(
                KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false),
                "pod/default/b",
                () -> api.client.pods().inNamespace("default").withName("b").delete(),
                () -> pool.activeWatches() == 0));
    }
}
