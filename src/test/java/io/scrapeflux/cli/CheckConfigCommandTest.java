package io.scrapeflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void everyShippedConfigPasses() throws IOException {
        String[] files;
        try (Stream<Path> s = Files.list(Path.of("config"))) {
            files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
                    .map(Path::toString).sorted().toArray(String[]::new);
        }
        assertThat(files).contains("config/default.yml", "config/kubernetes-pods.yml");
        String[] args = Stream.concat(Stream.of("check", "config"), Stream.of(files)).toArray(String[]::new);
        Result r = run(args);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        for (String f : files) {
            assertThat(r.out()).contains("Checking " + f + "\n SUCCESS: " + f + " is valid prometheus config file syntax");
        }
    }

    @Test
    void invalidFileFailsWithLineAndProblem(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n"
                + "        source_labels: [x]\n        target_label: y\n");
        Result r = run("check", "config", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("Checking " + bad + "\n");
        assertThat(r.err()).contains(" FAILED: " + bad)
                .contains(bad + ":4:9: relabel configuration for hashmod requires non-zero modulus");
    }

    @Test
    void oneBadFileAmongGoodOnesFailsTheRun(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.yml");
        Path bad = dir.resolve("bad.yml");
        Files.writeString(good, "scrape_configs:\n  - job_name: a\n");
        Files.writeString(bad, "scrape_configs:\n  - job_name: a\n    consul_sd_configs: [{server: x}]\n");
        Result r = run("check", "config", good.toString(), bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(" SUCCESS: " + good);
        assertThat(r.err()).contains(" FAILED: " + bad).contains("\"consul\" is not implemented by scrapeflux");
    }

    @Test
    void missingFileFails(@TempDir Path dir) {
        Result r = run("check", "config", dir.resolve("nope.yml").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read config file");
    }

    @Test
    void checkConfigNeedsAFile() {
        assertThat(run("check", "config").exit()).isEqualTo(2);
    }

    @Test
    void helpAndVersion() {
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--config.file", "--web.listen-address", "--log.level", "--web.enable-lifecycle",
                "--storage.path", "check");
        Result version = run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("scrapeflux ");
    }

    @Test
    void agentRefusesAnInvalidConfigWithExitCode1(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yml");
        Files.writeString(bad, "global:\n  scrape_interval: soon\n");
        assertThat(run("--config.file", bad.toString(), "--web.listen-address", "127.0.0.1:0").exit()).isEqualTo(1);
    }

    @Test
    void unknownLogLevelIsAUsageError() {
        assertThat(run("--log.level", "chatty", "--web.listen-address", "127.0.0.1:0").exit()).isEqualTo(2);
    }

    @Test
    void badListenAddressIsAUsageError() {
        Result r = run("--web.listen-address", "nowhere");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for --web.listen-address");
    }
}
