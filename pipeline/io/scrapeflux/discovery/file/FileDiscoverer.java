package io.scrapeflux.discovery.file;

import io.scrapeflux.config.FileSdConfig;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.TargetGroups;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchEvent;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code file_sd_configs}: reads JSON ({@code .json}) or YAML ({@code .yml}, {@code .yaml}) target-group files
 * matched by the configured patterns ({@code *}, {@code ?} and {@code [...]} allowed in the last path element).
 *
 * <p>Files are re-read when their directory reports a change (a {@link WatchService} polled every
 * {@code watchPoll}) and every {@code refresh_interval}. Group {@code i} of file {@code f} has source {@code f:i} and
 * the label {@code __meta_filepath=f}. A file that cannot be read or parsed (invalid, half written) keeps its last
 * good groups and the failure goes to the {@link FailureReporter}; a file that disappears removes its groups.
 * All file IO runs on {@link Schedulers#boundedElastic()}.
 */
public final class FileDiscoverer implements Discoverer {

    static final String FILEPATH_LABEL = "__meta_filepath";

    private static final Logger log = LoggerFactory.getLogger(FileDiscoverer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    /** Reads a whole file; a seam so tests can count reads. */
    @FunctionalInterface
    public interface FileReader {
        FileReader DEFAULT = Files::readAllBytes;

        byte[] read(Path file) throws IOException;
    }

    private final FileSdConfig config;
    private final FailureReporter failures;
    private final Duration watchPoll;
    private final FileReader reader;
    private final java.util.concurrent.atomic.AtomicInteger openWatches = new java.util.concurrent.atomic.AtomicInteger();

    public FileDiscoverer(FileSdConfig config, FailureReporter failures, Duration watchPoll, FileReader reader) {
        this.config = config;
        this.failures = failures;
        this.watchPoll = watchPoll;
        this.reader = reader;
    }

    /** Directory watches currently open (one per running subscription); zero once every subscriber cancelled. */
    public int openWatches() {
        return openWatches.get();
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return Flux.using(Session::new,
                        session -> Flux.interval(Duration.ZERO, watchPoll, Schedulers.boundedElastic())
                                .onBackpressureDrop()
                                .concatMap(tick -> Mono.justOrEmpty(session.poll()), 0),
                        // Closing the watch waits for the JDK's poller thread; cancel may come from any thread.
                        session -> Schedulers.boundedElastic().schedule(session::close))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** State of one subscription: the watch, the last good groups per file and what was sent. */
    private final class Session implements AutoCloseable {
        private final WatchService watch;
        private final Map<Path, WatchKey> watchedDirs = new HashMap<>();
        private final Map<String, List<TargetGroup>> lastGood = new LinkedHashMap<>();
        private final Map<String, TargetGroup> sent = new LinkedHashMap<>();
        private long lastRefreshNanos;
        private boolean first = true;

        Session() throws IOException {
            this.watch = FileSystems.getDefault().newWatchService();
            openWatches.incrementAndGet();
        }

        /** One tick: refresh when the first time, a watched directory changed or the interval elapsed. */
        List<TargetGroup> poll() {
            boolean due = first || System.nanoTime() - lastRefreshNanos >= config.refreshInterval().toNanos();
            if (drainWatchEvents()) {
                due = true;
            }
            if (!due) {
                return null;
            }
            lastRefreshNanos = System.nanoTime();
            List<TargetGroup> changes = TargetGroups.diff(sent, refresh());
            watchDirectories();
            if (first) {
                first = false;
                return new ArrayList<>(sent.values());
            }
            return changes.isEmpty() ? null : changes;
        }

        private List<TargetGroup> refresh() {
            Set<String> files = listFiles();
            List<TargetGroup> all = new ArrayList<>();
            Throwable failure = null;
            for (String file : files) {
                try {
                    List<TargetGroup> groups = read(file);
                    lastGood.put(file, groups);
                } catch (NoSuchFileException e) {
                    // Deleted between listing and reading: same as not listed.
                    lastGood.remove(file);
                } catch (IOException | RuntimeException e) {
                    failure = new IOException("file_sd: cannot read " + file + ": " + e.getMessage(), e);
                    log.error("Error reading file, keeping its last good targets path={} err={}", file,
                            e.getMessage());
                    failures.failure(failure);
                }
            }
            lastGood.keySet().retainAll(files);
            for (List<TargetGroup> groups : lastGood.values()) {
                all.addAll(groups);
            }
            if (failure == null) {
                failures.success();
            }
            return all;
        }

        private List<TargetGroup> read(String file) throws IOException {
            String lower = file.toLowerCase(Locale.ROOT);
            boolean yaml = lower.endsWith(".yml") || lower.endsWith(".yaml");
            if (!yaml && !lower.endsWith(".json")) {
                throw new IOException("unsupported file extension, want .json, .yml or .yaml");
            }
            byte[] content = reader.read(Path.of(file));
            JsonNode root = content.length == 0 && yaml ? null : (yaml ? YAML : JSON).readTree(content);
            return TargetGroups.parse(root, yaml, file, FILEPATH_LABEL, file);
        }

        private Set<String> listFiles() {
            Set<String> files = new LinkedHashSet<>();
            for (String pattern : config.files()) {
                Path p = Path.of(pattern);
                Path dir = p.getParent();
                String name = p.getFileName().toString();
                if (!hasGlob(name)) {
                    if (Files.isRegularFile(p)) {
                        files.add(pattern);
                    }
                    continue;
                }
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir == null ? Path.of(".") : dir, name)) {
                    List<String> matched = new ArrayList<>();
                    for (Path f : stream) {
                        if (Files.isRegularFile(f)) {
                            matched.add(dir == null ? f.getFileName().toString() : dir.resolve(f.getFileName()).toString());
                        }
                    }
                    matched.sort(null);
                    files.addAll(matched);
                } catch (NoSuchFileException e) {
                    // The directory does not exist (yet): no files.
                } catch (IOException e) {
                    log.error("Error listing files pattern={} err={}", pattern, e.getMessage());
                    failures.failure(e);
                }
            }
            return files;
        }

        /** Registers a watch on every pattern's directory not yet watched (it may appear later). */
        private void watchDirectories() {
            for (String pattern : config.files()) {
                Path dir = Path.of(pattern).toAbsolutePath().getParent();
                if (dir == null || watchedDirs.containsKey(dir)) {
                    continue;
                }
                try {
                    watchedDirs.put(dir, dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (NoSuchFileException e) {
                    log.debug("Directory to watch does not exist yet dir={}", dir);
                } catch (IOException | ClosedWatchServiceException e) {
                    log.warn("Cannot watch directory, relying on refresh_interval dir={} err={}", dir, e.getMessage());
                }
            }
        }

        /** Non-blocking: whether any watched directory reported an event since the last tick. */
        private boolean drainWatchEvents() {
            boolean any = false;
            WatchKey key;
            while ((key = watch.poll()) != null) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    any |= concernsWatchedFiles(key, event);
                }
                if (!key.reset()) {
                    watchedDirs.values().remove(key);
                    any = true;
                }
            }
            return any;
        }

        /**
         * Whether an event may change what the patterns match. Other files in the same directory (a log
         * written next to the targets file, say) change often and would otherwise cost a re-read each time.
         */
        private boolean concernsWatchedFiles(WatchKey key, WatchEvent<?> event) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || !(event.context() instanceof Path name)
                    || !(key.watchable() instanceof Path dir)) {
                return true;
            }
            for (String pattern : config.files()) {
                Path p = Path.of(pattern).toAbsolutePath();
                if (!dir.equals(p.getParent())) {
                    continue;
                }
                String file = p.getFileName().toString();
                if (hasGlob(file) ? dir.getFileSystem().getPathMatcher("glob:" + file).matches(name)
                        : file.equals(name.toString())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            openWatches.decrementAndGet();
            try {
                watch.close();
            } catch (IOException e) {
                log.warn("Cannot close file watch err={}", e.getMessage());
            }
        }
    }

    private static boolean hasGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    /** The factory registered for {@link FileSdConfig}. */
    public static final class Factory implements io.scrapeflux.discovery.DiscovererFactory<FileSdConfig> {
        /** How often the directory watch is checked for events. */
        public static final Duration DEFAULT_WATCH_POLL = Duration.ofMillis(250);

        private final Duration watchPoll;
        private final FileReader reader;

        public Factory() {
            this(DEFAULT_WATCH_POLL, FileReader.DEFAULT);
        }

        public Factory(Duration watchPoll, FileReader reader) {
            this.watchPoll = watchPoll;
            this.reader = reader;
        }

        @Override
        public Class<FileSdConfig> configType() {
            return FileSdConfig.class;
        }

        @Override
        public Discoverer create(FileSdConfig config, FailureReporter failures) {
            return new FileDiscoverer(config, failures, watchPoll, reader);
        }
    }
}
