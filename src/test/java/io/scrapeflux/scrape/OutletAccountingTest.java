package io.scrapeflux.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.scrape.ScrapeTestSupport.Cfg;
import io.scrapeflux.scrape.ScrapeTestSupport.FakeFetcher;
import io.scrapeflux.target.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** The outlet's count of waiting batches returns to zero whatever way scrapes end (success, timeout, stop), under real concurrency. */
class OutletAccountingTest {

    @org.junit.jupiter.api.BeforeAll
    static void blockHound() {
        ScrapeTestSupport.blockHound();
    }

    @Test
    void queuedCountReturnsToZero() throws InterruptedException {
        FakeFetcher fetcher = new FakeFetcher();
        fetcher.delayScheduler = Schedulers.parallel();
        fetcher.delay = Duration.ofMillis(40); // above the 30 ms timeout of half the targets
        ScrapeManager manager = ScrapeManager.builder().outletCapacity(64).fetchers(cfg -> fetcher).build();
        AtomicLong delivered = new AtomicLong();
        manager.batches().subscribe(b -> delivered.incrementAndGet());
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Target t = ScrapeTestSupport.target("job", "h" + i + ":1", Duration.ofMillis(50),
                    Duration.ofMillis(i % 2 == 0 ? 30 : 50));
            fetcher.bodies.put(t.scrapeUrl(), "m 1\n");
            targets.add(t);
        }
        manager.reconcile("job", new Cfg().build(), targets);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (manager.metrics().scrapes() < 2000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        manager.reconcile("job", new Cfg().build(), targets.subList(0, 100)); // stop half mid-flight
        Thread.sleep(200);
        manager.removePool("job");
        Thread.sleep(200);
        assertThat(manager.metrics().scrapes()).isGreaterThanOrEqualTo(2000);
        assertThat(manager.metrics().failures()).isPositive();
        assertThat(manager.outletQueued()).isZero();
        manager.dispose();
    }
}
