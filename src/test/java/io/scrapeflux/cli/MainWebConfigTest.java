package io.scrapeflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --web.config.file} is read before anything starts; a bad one stops the start with exit code 1. */
class MainWebConfigTest {

    @TempDir
    Path dir;

    @Test
    void invalidWebConfigExitsWithOne() throws Exception {
        Path web = dir.resolve("web.yml");
        Files.writeString(web, "basic_auth_users:\n  alice: not-a-hash\n");
        int code = Main.run(new String[] {"--web.config.file", web.toString(), "--web.listen-address", "127.0.0.1:0",
                "--storage.path", dir.resolve("data").toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        assertThat(code).isEqualTo(1);
    }
}
