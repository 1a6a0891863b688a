package io.scrapeflux.bench.config;

import io.scrapeflux.config.ConfigException;
import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.PrometheusConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Loading a config with many jobs: config reloads must stay cheap as configs grow. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConfigLoadBenchmark {

    @Param({"10", "500"})
    int jobs;

    String yaml;

    @Setup
    public void setup() {
        StringBuilder b = new StringBuilder("global:\n  scrape_interval: 15s\nscrape_configs:\n");
        for (int i = 0; i < jobs; i++) {
            b.append("  - job_name: job-").append(i).append('\n')
                    .append("    static_configs:\n      - targets: ['host-").append(i).append(":9100']\n")
                    .append("        labels: {team: t").append(i % 7).append("}\n")
                    .append("    relabel_configs:\n")
                    .append("      - source_labels: [__address__]\n        regex: '(.*):9100'\n        target_label: host\n")
                    .append("      - action: labeldrop\n        regex: tmp_.*\n");
        }
        yaml = b.toString();
    }

    @Benchmark
    public PrometheusConfig parse() throws ConfigException {
        return ConfigLoader.parse(yaml, "bench.yml");
    }
}
