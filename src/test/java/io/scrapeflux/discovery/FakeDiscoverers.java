package io.scrapeflux.discovery;

import io.scrapeflux.config.StaticConfig;
import io.scrapeflux.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Test double: discoverers the test drives by hand, keyed by the (static) config naming them. */
final class FakeDiscoverers implements DiscovererFactory<StaticConfig> {

    final AtomicInteger created = new AtomicInteger();
    final Map<String, Fake> byName = new HashMap<>();

    static StaticConfig config(String name) {
        return new StaticConfig(List.of(name), Map.of());
    }

    Fake get(String name) {
        return byName.get(name);
    }

    @Override
    public Class<StaticConfig> configType() {
        return StaticConfig.class;
    }

    @Override
    public Discoverer create(StaticConfig config, FailureReporter failures) {
        created.incrementAndGet();
        Fake fake = new Fake(failures);
        byName.put(config.targets().get(0), fake);
        return fake;
    }

    static TargetGroup group(String source, String... addresses) {
        List<Labels> targets = new ArrayList<>();
        for (String a : addresses) {
            targets.add(Labels.of("__address__", a));
        }
        return new TargetGroup(source, targets, Labels.EMPTY);
    }

    static final class Fake implements Discoverer {
        final FailureReporter failures;
        int subscriptions;
        int cancellations;
        Sinks.Many<List<TargetGroup>> sink;

        Fake(FailureReporter failures) {
            this.failures = failures;
        }

        @Override
        public Flux<List<TargetGroup>> discover() {
            return Flux.defer(() -> {
                subscriptions++;
                sink = Sinks.many().unicast().onBackpressureBuffer();
                return sink.asFlux().doOnCancel(() -> cancellations++);
            });
        }

        void send(TargetGroup... groups) {
            sink.tryEmitNext(List.of(groups)).orThrow();
        }

        void fail(RuntimeException e) {
            sink.tryEmitError(e).orThrow();
        }
    }
}
