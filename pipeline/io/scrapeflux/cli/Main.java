package io.scrapeflux.cli;

import ch.qos.logback.classic.Level;
import io.scrapeflux.config.ConfigError;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import io.scrapeflux.web.SighupReload;
import io.scrapeflux.web.WebConfig;
import io.scrapeflux.web.WebConfigException;
import io.scrapeflux.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar scrapeflux.jar}: runs the agent; {@code check config FILE...} validates configs like promtool. */
@Command(name = "scrapeflux", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Prometheus-compatible service discovery, relabeling, scraping and remote write (agent mode).",
        subcommands = {CheckCommand.class})
public final class Main implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config.file", paramLabel = "FILE",
            description = "Prometheus configuration file (default: the embedded default config, scraping scrapeflux itself).")
    Path configFile;

    @Option(names = "--web.listen-address", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:9090",
            description = "Address to listen on for /metrics, health and lifecycle endpoints (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--log.level", paramLabel = "LEVEL", defaultValue = "info",
            description = "Only log messages with the given severity or above: debug, info, warn, error (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--web.enable-lifecycle", description = "Enable shutdown and reload via HTTP POST to /-/quit and /-/reload.")
    boolean enableLifecycle;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Web configuration file (Prometheus's format) enabling TLS and basic authentication.")
    Path webConfigFile;

    @Option(names = "--discovery.kubernetes.push-down", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Narrow Kubernetes pod watches by a job's leading keep rules (node, namespace, pod label); "
                    + "targets are the same either way. Default: ${DEFAULT-VALUE}.")
    boolean kubernetesPushDown = true;

    @Option(names = "--storage.path", paramLabel = "DIR", defaultValue = "data/",
            description = "Directory for state kept across restarts, e.g. the remote-write WAL (default: ${DEFAULT-VALUE}).")
    Path storagePath;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (!setLogLevel(logLevel)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for --log.level: \"" + logLevel + "\" (debug, info, warn, error)");
        }
        java.net.InetSocketAddress listen;
        try {
            listen = WebServer.parseListenAddress(listenAddress);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for --web.listen-address: "
                    + e.getMessage());
        }
        WebConfig webConfig = WebConfig.NONE;
        if (webConfigFile != null) {
            try {
                webConfig = WebConfig.load(webConfigFile);
            } catch (WebConfigException e) {
                log.atError().addKeyValue("err", e.getMessage()).log("Error loading web config");
                return 1;
            }
        }
        AgentOptions options = new AgentOptions(configFile, listen, enableLifecycle, storagePath, webConfig,
                kubernetesPushDown);
        PrometheusConfig config;
        try {
            config = configFile == null ? ConfigLoader.loadEmbeddedDefault() : ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                log.atError().addKeyValue("err", error.toString()).log("Error loading config");
            }
            return 1;
        }
        log.atInfo().addKeyValue("version", Version.current())
                .addKeyValue("config", configFile == null ? ConfigLoader.EMBEDDED_SOURCE : configFile.toString())
                .log("Starting scrapeflux");
        Agent agent = new Agent(options, config);
        stopOnSignals(agent);
        SighupReload.install(agent.reloader());
        try {
            agent.start();
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("Cannot start agent");
            agent.stop();
            return 1;
        }
        agent.awaitTermination();
        return 0;
    }

    /**
     * SIGTERM and SIGINT stop the agent and let {@link #call()} return 0, as Prometheus exits 0 on them;
     * the shutdown hook covers JVMs where signal handlers cannot be installed.
     */
    @SuppressWarnings("removal")
    private static void stopOnSignals(Agent agent) {
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "scrapeflux-shutdown"));
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    log.atWarn().addKeyValue("signal", "SIG" + name).log("Received signal, exiting gracefully");
                    new Thread(agent::stop, "scrapeflux-stop").start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.atDebug().addKeyValue("signal", name).log("Cannot handle signal; relying on the shutdown hook");
            }
        }
    }

    static boolean setLogLevel(String level) {
        Level parsed = switch (level.toLowerCase(java.util.Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> null;
        };
        if (parsed == null) {
            return false;
        }
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(parsed);
        }
        return true;
    }

    /** The version from the jar manifest; "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        static String current() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"scrapeflux " + current() + " (Java " + Runtime.version() + ")"};
        }
    }
}
