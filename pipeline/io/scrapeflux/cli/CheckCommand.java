package io.scrapeflux.cli;

import io.scrapeflux.config.ConfigError;
import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check}: offline validation, as promtool's {@code check} commands. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check the resources for validity.",
        subcommands = {CheckCommand.Config.class})
final class CheckCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** {@code check config FILE...}: exit 0 when every file is valid, 1 otherwise. */
    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "Check if the config files are valid (agent mode: as `promtool check config --agent`).")
    static final class Config implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Config files to check.")
        List<Path> files;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            boolean allValid = true;
            for (Path file : files) {
                out.println("Checking " + file);
                try {
                    PrometheusConfig c = ConfigLoader.load(file);
                    out.println(" SUCCESS: " + file + " is valid prometheus config file syntax ("
                            + c.scrapeConfigs().size() + " scrape configs, " + c.remoteWrite().size() + " remote write)");
                    for (ConfigError warning : c.warnings()) {
                        out.println("  WARNING: " + warning);
                    }
                } catch (ConfigException e) {
                    allValid = false;
                    err.println(" FAILED: " + file + " has " + e.errors().size()
                            + (e.errors().size() == 1 ? " error:" : " errors:"));
                    for (ConfigError error : e.errors()) {
                        err.println("  " + error);
                    }
                }
                out.println();
            }
            out.flush();
            err.flush();
            return allValid ? 0 : 1;
        }
    }
}
