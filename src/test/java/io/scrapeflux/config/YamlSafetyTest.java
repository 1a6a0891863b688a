package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class YamlSafetyTest {

    /** The classic "billion laughs": nine levels of ten aliases each expand to 10^9 nodes. */
    private static String billionLaughs() {
        StringBuilder y = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i <= 9; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j == 0 ? "" : ",").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        return y.toString();
    }

    @Test
    @Timeout(60) // a hang guard only: the expansion it prevents would take hours
    void aliasBombIsRejectedWithoutExpandingIt() {
        // Expanding would need ~10^9 nodes; the reader refuses once the expanded size passes its limit,
        // so this returns at once (a hang or OutOfMemoryError here is the failure).
        assertThatThrownBy(() -> ConfigLoader.parse(billionLaughs(), "bomb.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bomb.yml:")
                .hasMessageContaining("excessive aliasing");
    }

    @Test
    void ordinaryAnchorsAliasesAndMergeKeysWork() throws Exception {
        PrometheusConfig c = ConfigLoader.parse("""
                scrape_configs:
                  - &base
                    job_name: a
                    scrape_interval: 30s
                    static_configs: [{targets: ['a:1']}]
                  - <<: *base
                    job_name: b
                """, "anchors.yml");
        assertThat(c.job("b").scrapeInterval()).isEqualTo(c.job("a").scrapeInterval());
        assertThat(c.job("b").sdConfigs()).isEqualTo(c.job("a").sdConfigs());
    }

    @Test
    void duplicateKeysAreRejectedWithBothLines() {
        assertThatThrownBy(() -> ConfigLoader.parse("global:\n  scrape_interval: 1s\n  scrape_interval: 2s\n", "dup.yml"))
                .hasMessage("dup.yml:3:3: mapping key \"scrape_interval\" already defined at line 2");
    }

    @Test
    void deepNestingIsRejected() {
        String deep = "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThatThrownBy(() -> ConfigLoader.parse(deep, "deep.yml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deep.yml:1:");
    }
}
