package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.discovery.TargetGroup;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Requests, emission and cancellation from Reactor threads never block them. */
class NonBlockingTest {

    @Test
    void discoveryNeverBlocksReactorThreads() throws Exception {
        BlockHound.install();
        try (MockApi api = MockApi.crud(); KubernetesInformerPool pool = new KubernetesInformerPool()) {
            api.createPod(PodDiscoveryTest.pod("default", "a"));
            KubernetesDiscovery d = KubernetesDiscovery.create("job", api.config("pod"), List.of(), pool, false);
            // prefetch 1: every further request comes from a parallel thread and drains on it.
            StepVerifier.create(d.discover().publishOn(Schedulers.parallel(), 1))
                    .assertNext(first -> assertThat(first).extracting(TargetGroup::source).containsExactly("pod/default/a"))
                    .then(() -> api.createPod(PodDiscoveryTest.pod("default", "b")))
                    .assertNext(next -> assertThat(next).extracting(TargetGroup::source).containsExactly("pod/default/b"))
                    .thenCancel()
                    .verify(Duration.ofSeconds(60));
        }
    }
}
