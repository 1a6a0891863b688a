package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a user's editor does to a config, loading it ends in a config or a located ConfigException. */
class ConfigLoaderFuzzProperties {

    private static final String BASE;

    static {
        try {
            BASE = Files.readString(Path.of("config", "prometheus-docs-example.yml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<String> editedConfigs() {
        Arbitrary<Character> chars = Arbitraries.of(':', '-', ' ', '\n', '[', ']', '{', '}', '&', '*', '\'', '"', '#',
                '|', '>', '!', '%', '@', '`', '\t', 'a', '0', '$', '\\', ',', '?', '~');
        return Arbitraries.integers().between(0, BASE.length() - 1).list().ofMinSize(1).ofMaxSize(4)
                .flatMap(positions -> chars.list().ofSize(positions.size()).flatMap(cs ->
                        Arbitraries.integers().between(0, 2).list().ofSize(positions.size()).map(ops -> {
                            StringBuilder b = new StringBuilder(BASE);
                            for (int i = 0; i < positions.size(); i++) {
                                int at = Math.min(positions.get(i), b.length() - 1);
                                switch (ops.get(i)) {
                                    case 0 -> b.deleteCharAt(at);
                                    case 1 -> b.insert(at, cs.get(i).charValue());
                                    default -> b.setCharAt(at, cs.get(i));
                                }
                            }
                            return b.toString();
                        })));
    }

    @Property(tries = 300, seed = "20261126")
    void loadsOrFailsWithLocatedErrors(@ForAll("editedConfigs") String yaml) {
        try {
            assertThat(ConfigLoader.parse(yaml, "fuzz.yml")).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.errors()).isNotEmpty().allSatisfy(err -> {
                assertThat(err.location().file()).isEqualTo("fuzz.yml");
                assertThat(err.message()).isNotBlank();
            });
        }
    }
}
