package io.scrapeflux.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Loads a Prometheus 3 {@code prometheus.yml} into {@link PrometheusConfig}: Prometheus's defaults,
 * global → job inheritance, and validation as strict as Prometheus running in agent mode. All problems
 * found are reported together in one {@link ConfigException}, each with file, line and column.
 */
public final class ConfigLoader {

    /** Classpath resource of the built-in config (built from {@code config/default.yml}). */
    public static final String EMBEDDED_DEFAULT = "io/scrapeflux/config/embedded/default.yml";
    /** The source name errors and {@code /api/v1/status/config} show for the built-in config. */
    public static final String EMBEDDED_SOURCE = "embedded:default.yml";

    private ConfigLoader() {
    }

    /** The config scrapeflux runs with when no {@code --config.file} is given. */
    public static PrometheusConfig loadEmbeddedDefault() throws ConfigException {
        try (java.io.InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(EMBEDDED_DEFAULT)) {
            if (in == null) {
                throw new ConfigException(new SourceLocation(EMBEDDED_SOURCE, 0, 0),
                        "embedded default config is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), EMBEDDED_SOURCE);
        } catch (IOException e) {
            throw new ConfigException(new SourceLocation(EMBEDDED_SOURCE, 0, 0), "cannot read embedded config: " + e);
        }
    }

    /** Reads and loads {@code file}; relative paths inside resolve against the file's directory. */
    public static PrometheusConfig load(Path file) throws ConfigException {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(new SourceLocation(file.toString(), 0, 0), "cannot read config file: " + e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, file.toString(), dir);
    }

    /** Loads YAML text; {@code sourceName} names it in errors. Relative file paths stay as written. */
    public static PrometheusConfig parse(String yaml, String sourceName) throws ConfigException {
        return parse(yaml, sourceName, null);
    }

    /** Loads YAML text, resolving relative file paths against {@code baseDir} (null: leave them). */
    public static PrometheusConfig parse(String yaml, String sourceName, Path baseDir) throws ConfigException {
        return new Binding(sourceName, new FilePaths(baseDir), System::getenv).bind(yaml);
    }

    /** One load: the file's problems and the binders that share them. */
    private static final class Binding {
        private final String source;
        private final FilePaths paths;
        private final UnaryOperator<String> env;
        private final Problems problems = new Problems();
        private GlobalConfigBinder.Result globals;

        Binding(String source, FilePaths paths, UnaryOperator<String> env) {
            this.source = source;
            this.paths = paths;
            this.env = env;
        }

        PrometheusConfig bind(String yaml) throws ConfigException {
            YamlNode root = YamlTreeReader.read(yaml, source);
            SourceLocation top = new SourceLocation(source, 1, 1);
            Fields f = Fields.of(root, top, "config", problems);

            globals = f.has("global")
                    ? GlobalConfigBinder.bind(Fields.of(f.node("global"), top, "global", problems), env)
                    : GlobalConfigBinder.Result.DEFAULT;
            GlobalConfig global = globals.config();
            List<ConfigError> warnings = serverOnlySections(f);
            f.accept("runtime", "storage", "tracing", "otlp");
            List<ScrapeConfig> jobs = scrapeConfigs(f, global);
            List<RemoteWriteConfig> remoteWrite = remoteWrite(f, global);
            f.finish();
            problems.throwIfAny();
            return new PrometheusConfig(global, List.copyOf(jobs), List.copyOf(remoteWrite), source, yaml, warnings);
        }

        /**
         * Sections only a Prometheus server acts on. {@code prometheus --agent} refuses them; scrapeflux
         * loads them with a located warning instead, so an existing server {@code prometheus.yml} (the
         * one Prometheus ships has an empty alertmanager block) can be pointed at it unchanged. The
         * sections are still checked for shape: unknown keys in them are errors.
         */
        private List<ConfigError> serverOnlySections(Fields f) {
            List<ConfigError> warnings = new ArrayList<>();
            if (f.has("alerting")) {
                Fields a = Fields.of(f.node("alerting"), f.location(), "alerting", problems);
                if (!a.list("alertmanagers").isEmpty() || !a.list("alert_relabel_configs").isEmpty()) {
                    warnings.add(new ConfigError(f.keyLocation("alerting"),
                            "field alerting is ignored: scrapeflux runs as an agent and sends no alerts"));
                }
            }
            List<String> ruleFiles = f.stringList("rule_files");
            if (ruleFiles != null && !ruleFiles.isEmpty()) {
                warnings.add(new ConfigError(f.keyLocation("rule_files"),
                        "field rule_files is ignored: scrapeflux runs as an agent and evaluates no rules"));
            }
            if (!f.list("remote_read").isEmpty()) {
                warnings.add(new ConfigError(f.keyLocation("remote_read"),
                        "field remote_read is ignored: scrapeflux runs as an agent and answers no queries"));
            }
            return warnings;
        }

        private List<ScrapeConfig> scrapeConfigs(Fields f, GlobalConfig global) {
            List<ScrapeConfig> jobs = new ArrayList<>();
            Map<String, SourceLocation> seen = new HashMap<>();
            bindJobs(f, global, paths, jobs, seen);
            List<String> patterns = f.stringList("scrape_config_files");
            if (patterns != null) {
                for (String pattern : patterns) {
                    for (Path file : ScrapeConfigFiles.expand(f, pattern, paths)) {
                        bindJobsFromFile(file, global, jobs, seen);
                    }
                }
            }
            return jobs;
        }

        /** A {@code scrape_config_files} match: a YAML file holding only {@code scrape_configs}. */
        private void bindJobsFromFile(Path file, GlobalConfig global, List<ScrapeConfig> jobs,
                Map<String, SourceLocation> seen) {
            try {
                String yaml = Files.readString(file, StandardCharsets.UTF_8);
                YamlNode root = YamlTreeReader.read(yaml, file.toString());
                Fields ff = Fields.of(root, new SourceLocation(file.toString(), 1, 1), "scrape config file", problems);
                bindJobs(ff, global, new FilePaths(file.toAbsolutePath().getParent()), jobs, seen);
                ff.finish();
            } catch (IOException e) {
                problems.add(new SourceLocation(file.toString(), 0, 0), "cannot read scrape config file: " + e);
            } catch (ConfigException e) {
                e.errors().forEach(err -> problems.add(err.location(), err.message()));
            }
        }

        private void bindJobs(Fields f, GlobalConfig global, FilePaths dir, List<ScrapeConfig> jobs,
                Map<String, SourceLocation> seen) {
            ScrapeConfigBinder binder = new ScrapeConfigBinder(dir, globals);
            for (YamlNode item : f.items("scrape_configs", "empty or null scrape config section")) {
                Fields jf = Fields.of(item, item.location(), "scrape_config", problems);
                ScrapeConfig job = binder.bind(jf);
                String name = job != null ? job.jobName() : jf.string("job_name");
                if (name != null && !name.isEmpty()) {
                    SourceLocation first = seen.putIfAbsent(name, jf.valueLocation("job_name"));
                    if (first != null) {
                        problems.add(jf.valueLocation("job_name"), "found multiple scrape configs with job name \""
                                + name + "\" (first at " + first + ")");
                        continue;
                    }
                }
                if (job != null) {
                    jobs.add(job);
                }
            }
        }

        private List<RemoteWriteConfig> remoteWrite(Fields f, GlobalConfig global) {
            List<RemoteWriteConfig> out = new ArrayList<>();
            Map<String, SourceLocation> names = new HashMap<>();
            RemoteWriteBinder binder = new RemoteWriteBinder(paths);
            for (YamlNode item : f.items("remote_write", "empty or null remote write config section")) {
                Fields rf = Fields.of(item, item.location(), "remote_write", problems);
                RemoteWriteConfig rw = binder.bind(rf, global.metricNameValidationScheme());
                if (rw == null) {
                    continue;
                }
                if (!rw.name().isEmpty() && names.putIfAbsent(rw.name(), rw.location()) != null) {
                    problems.add(rf.valueLocation("name"), "found multiple remote write configs with name \""
                            + rw.name() + "\"");
                    continue;
                }
                out.add(rw);
            }
            return out;
        }
    }
}
