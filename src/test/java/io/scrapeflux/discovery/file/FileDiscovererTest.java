package io.scrapeflux.discovery.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.FileSdConfig;
import io.scrapeflux.config.SdConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.DiscovererRegistry;
import io.scrapeflux.discovery.DiscoveryManager;
import io.scrapeflux.discovery.DiscoveryUpdate;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Real files in a temp directory; waits are for events, never for fixed times. */
class FileDiscovererTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration TICK = Duration.ofMillis(20);

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void blockHound() {
        io.scrapeflux.discovery.Await.blockHound();
    }

    private final io.scrapeflux.discovery.RecordingFailures reporter = new io.scrapeflux.discovery.RecordingFailures();
    private final List<Throwable> failures = reporter.failures;

    private FileDiscoverer discoverer(String pattern) {
        return new FileDiscoverer(new FileSdConfig(List.of(dir.resolve(pattern).toString()), Duration.ofMinutes(5)),
                reporter, TICK, FileDiscoverer.FileReader.DEFAULT);
    }

    private void writeAtomically(String name, String content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> addresses(TargetGroup g) {
        return g.targets().stream().map(t -> t.get("__address__")).toList();
    }

    @Test
    void readsJsonAndYamlWithSourcesAndFilepathLabel() throws IOException {
        writeAtomically("a.json", """
                [{"targets": ["h1:80", "h2:80"], "labels": {"env": "prod"}},
                 {"targets": ["h3:80"]}]""");
        writeAtomically("b.yml", """
                - targets: [h4:80]
                  labels: {team: x}
                """);
        String a = dir.resolve("a.json").toString();
        String b = dir.resolve("b.yml").toString();
        StepVerifier.create(discoverer("*").discover())
                .assertNext(groups -> {
                    assertThat(groups).extracting(TargetGroup::source).containsExactly(a + ":0", a + ":1", b + ":0");
                    assertThat(addresses(groups.get(0))).containsExactly("h1:80", "h2:80");
                    assertThat(groups.get(0).labels()).isEqualTo(Labels.of("env", "prod", "__meta_filepath", a));
                    assertThat(groups.get(2).labels()).isEqualTo(Labels.of("team", "x", "__meta_filepath", b));
                })
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void atomicRenameUpdatesAndDeletionRemoves() throws IOException {
        writeAtomically("t.json", "[{\"targets\": [\"h1:80\"]}, {\"targets\": [\"h2:80\"]}]");
        String t = dir.resolve("t.json").toString();
        StepVerifier.create(discoverer("t.json").discover())
                .assertNext(groups -> assertThat(groups).hasSize(2))
                .then(() -> write("t.json", "[{\"targets\": [\"h9:80\"]}]"))
                .assertNext(changes -> {
                    assertThat(changes).hasSize(2);
                    assertThat(changes.get(0).source()).isEqualTo(t + ":0");
                    assertThat(addresses(changes.get(0))).containsExactly("h9:80");
                    assertThat(changes.get(1)).isEqualTo(TargetGroup.removed(t + ":1"));
                })
                .then(() -> delete("t.json"))
                .assertNext(changes -> assertThat(changes).containsExactly(TargetGroup.removed(t + ":0")))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void invalidOrTruncatedFileKeepsLastGoodContentAndReportsTheError() throws IOException {
        writeAtomically("t.json", "[{\"targets\": [\"h1:80\"]}]");
        String t = dir.resolve("t.json").toString();
        StepVerifier.create(discoverer("*.json").discover())
                .assertNext(groups -> assertThat(groups).hasSize(1))
                .then(() -> write("t.json", "[{\"targets\": [\"h1:"))
                .then(() -> awaitFailures(1))
                .then(() -> write("t.json", ""))
                .then(() -> awaitFailures(2))
                .then(() -> write("t.json", "[{\"targets\": [\"h2:80\"], \"labels\": {\"\": \"x\"}}]"))
                .then(() -> awaitFailure("not a valid label name"))
                .then(() -> write("t.json", "[{\"targets\": [\"h2:80\"]}]"))
                .assertNext(changes -> assertThat(addresses(changes.get(0))).containsExactly("h2:80"))
                .thenCancel()
                .verify(WAIT);
        assertThat(failures.get(0)).hasMessageContaining(t);
    }

    @Test
    void globPicksUpNewFiles() throws IOException {
        StepVerifier.create(discoverer("*.yaml").discover())
                .assertNext(groups -> assertThat(groups).isEmpty())
                .then(() -> write("new.yaml", "- targets: ['n:1']\n"))
                .assertNext(changes -> assertThat(addresses(changes.get(0))).containsExactly("n:1"))
                .then(() -> write("ignored.json", "[]"))
                .then(() -> write("other.yaml", "- targets: ['o:1']\n"))
                .assertNext(changes -> assertThat(changes).extracting(TargetGroup::source)
                        .containsExactly(dir.resolve("other.yaml") + ":0"))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void twoJobsWithTheSameFileSdConfigReadTheFileOnce() throws IOException {
        writeAtomically("shared.json", "[{\"targets\": [\"h1:80\"]}]");
        Map<Path, AtomicInteger> reads = new ConcurrentHashMap<>();
        FileDiscoverer.FileReader counting = file -> {
            reads.computeIfAbsent(file, f -> new AtomicInteger()).incrementAndGet();
            return Files.readAllBytes(file);
        };
        AtomicInteger created = new AtomicInteger();
        FileDiscoverer.Factory files = new FileDiscoverer.Factory(TICK, counting);
        var countingFactory = new io.scrapeflux.discovery.DiscovererFactory<FileSdConfig>() {
            @Override
            public Class<FileSdConfig> configType() {
                return FileSdConfig.class;
            }

            @Override
            public io.scrapeflux.discovery.Discoverer create(FileSdConfig config, FailureReporter f) {
                created.incrementAndGet();
                return files.create(config, f);
            }
        };
        DiscoveryManager manager = new DiscoveryManager(new DiscovererRegistry(List.of(countingFactory)),
                Backoff.COALESCING, Backoff.RETRY, Schedulers.parallel());
        FileSdConfig config = new FileSdConfig(List.of(dir.resolve("shared.json").toString()), Duration.ofMinutes(5));
        manager.apply(Map.<String, List<SdConfig>>of("a", List.of(config), "b", List.of(config)));
        StepVerifier.create(manager.updates().take(2))
                .recordWith(java.util.ArrayList::new)
                .expectNextCount(2)
                .consumeRecordedWith(updates -> assertThat(updates).extracting(DiscoveryUpdate::targetCount)
                        .containsExactly(1, 1))
                .verifyComplete();
        assertThat(created).hasValue(1);
        assertThat(reads).containsOnlyKeys(dir.resolve("shared.json"));
        assertThat(reads.get(dir.resolve("shared.json"))).hasValue(1);
        manager.dispose();
    }

    @Test
    void writesToOtherFilesInTheDirectoryDoNotRereadTheTargets() throws IOException {
        writeAtomically("t.json", "[{\"targets\": [\"h1:80\"]}]");
        AtomicInteger reads = new AtomicInteger();
        FileDiscoverer discoverer = new FileDiscoverer(
                new FileSdConfig(List.of(dir.resolve("t.json").toString()), Duration.ofMinutes(5)), reporter, TICK,
                file -> {
                    reads.incrementAndGet();
                    return Files.readAllBytes(file);
                });
        StepVerifier.create(discoverer.discover())
                .assertNext(groups -> assertThat(groups).hasSize(1))
                .then(() -> {
                    // A log written next to the targets file, as a web server's access log would be.
                    for (int i = 0; i < 5; i++) {
                        write("access.log", "line " + i + "\n");
                        sleep(TICK.multipliedBy(3));
                    }
                })
                // atomically: a plain write can be seen as two changes (truncate, then content), each read
                .then(() -> {
                    try {
                        writeAtomically("t.json", "[{\"targets\": [\"h2:80\"]}]");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .assertNext(changes -> assertThat(addresses(changes.get(0))).containsExactly("h2:80"))
                .thenCancel()
                .verify(WAIT);
        assertThat(reads).hasValue(2);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitFailure(String message) {
        io.scrapeflux.discovery.Await.until(() -> failures.stream()
                .anyMatch(f -> String.valueOf(f.getMessage()).contains(message)));
    }

    private void awaitFailures(int n) {
        io.scrapeflux.discovery.Await.until(() -> failures.size() >= n);
    }

    private void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void delete(String name) {
        try {
            Files.delete(dir.resolve(name));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
