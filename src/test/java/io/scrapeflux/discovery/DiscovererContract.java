package io.scrapeflux.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import reactor.core.Disposable;

/**
 * The {@link Discoverer} contract as a reusable check, for every mechanism's tests (kubernetes and later clouds
 * included): the first element is the full state, a source that disappears comes as an empty group, and cancelling
 * releases what the discoverer held.
 */
public final class DiscovererContract {

    /**
     * @param discoverer    set up so its source has exactly two non-empty groups
     * @param removedSource the source {@code shrink} removes
     * @param shrink        removes that source at the origin (file, server, API) and makes the discoverer notice
     * @param released      true once the discoverer released its resources after cancel
     */
    public record Fixture(Discoverer discoverer, String removedSource, Runnable shrink, BooleanSupplier released) {
    }

    private DiscovererContract() {
    }

    public static void verify(Fixture f) {
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable run = f.discoverer().discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        assertThat(received.get(0)).hasSize(2).noneMatch(TargetGroup::isEmpty);
        assertThat(received.get(0)).extracting(TargetGroup::source).contains(f.removedSource());

        f.shrink().run();
        Await.until(() -> received.size() == 2);
        assertThat(received.get(1)).contains(TargetGroup.removed(f.removedSource()));

        run.dispose();
        Await.until(f.released());
    }
}
