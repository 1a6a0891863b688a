package io.scrapeflux.bench.relabel;

import io.scrapeflux.config.ConfigLoader;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.model.Labels;
import io.scrapeflux.relabel.RelabelChain;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Prometheus's own relabel benchmark (BenchmarkRelabel in model/relabel/relabel_test.go): one op relabels
 * one label set through all rules of a case. The cases are ../shared/bench/relabel_cases.yml, embedded
 * below verbatim, and their rules go through the real config loader. {@code unchanged} is ours: the
 * kubernetes rules that leave the kubernetes labels as they are (filters, labelmaps), to show that such a
 * chain allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RelabelBenchmark {

    @Param({"example", "kubernetes", "static_label_pair", "unchanged"})
    public String name;

    private RelabelChain chain;
    private Labels labels;

    @Setup
    public void setup() throws Exception {
        JsonNode root = YAMLMapper.builder().build().readTree(CASES);
        String caseName = name.equals("unchanged") ? "kubernetes" : name;
        for (JsonNode c : root.get("cases")) {
            if (!c.get("name").asString().equals(caseName)) {
                continue;
            }
            Map<String, String> m = new TreeMap<>();
            for (String n : c.get("labels").propertyNames()) {
                m.put(n, c.get("labels").get(n).asString());
            }
            labels = Labels.fromMap(m);
            List<RelabelConfig> rules = loadRules(c.get("relabel_configs"));
            if (name.equals("unchanged")) {
                EnumSet<RelabelAction> passive = EnumSet.of(RelabelAction.KEEP, RelabelAction.DROP,
                        RelabelAction.LABELMAP, RelabelAction.LABELDROP);
                rules = rules.stream().filter(r -> passive.contains(r.action()))
                        .filter(r -> !r.sourceLabels().contains("__tmp_hash")).toList();
            }
            chain = RelabelChain.compile(rules, null);
        }
        if (chain == null) {
            throw new IllegalArgumentException("no case " + name);
        }
        if (name.equals("unchanged") && chain.apply(labels) != labels) {
            throw new IllegalStateException("the unchanged chain changed the labels");
        }
    }

    private static List<RelabelConfig> loadRules(JsonNode rules) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode job = json.createObjectNode();
        job.put("job_name", "bench");
        job.set("relabel_configs", rules);
        ObjectNode doc = json.createObjectNode();
        doc.putArray("scrape_configs").add(job);
        ScrapeConfig sc = ConfigLoader.parse(json.writeValueAsString(doc), "relabel_cases.yml").scrapeConfigs().get(0);
        return sc.relabelConfigs();
    }

    @Benchmark
    public Labels relabel() {
        return chain.apply(labels);
    }

    private static final String CASES = """
# The three cases of Prometheus's own relabel benchmark (model/relabel/relabel_test.go, BenchmarkRelabel),
# as data: the rules and the input labels of each. Published figures for Prometheus (Go), on other machines:
#   PR 18327 (2026, i7-13800H): example 1.747 us, kubernetes 7.239 us, static_label_pair 1.277 us per op (main)
#   PR 11147 (2022): example 4.10 us, kubernetes 33.6 us per op
# One op = relabel one label set through all rules of the case.
cases:
  - name: example
    labels:
      __meta_dns_name: "example-some-x.com"
      abc: "def"
      job: "foo"
    relabel_configs:
      - source_labels: [job, __meta_dns_name]
        regex: "(.*)some-[regex]"
        target_label: job
        replacement: foo-${1}
        # action defaults to 'replace'
      - source_labels: [abc]
        target_label: cde
      - replacement: static
        target_label: abc
      - regex:
        replacement: static
        target_label: abc
  - name: kubernetes
    labels:
      __address__: "10.132.183.40:80"
      __meta_kubernetes_namespace: "loki-boltdb-shipper"
      __meta_kubernetes_pod_annotation_promtail_loki_boltdb_shipper_hash: "50523b9759094a144adcec2eae0aa4ad"
      __meta_kubernetes_pod_annotationpresent_promtail_loki_boltdb_shipper_hash: "true"
      __meta_kubernetes_pod_container_init: "false"
      __meta_kubernetes_pod_container_name: "promtail"
      __meta_kubernetes_pod_container_port_name: "http-metrics"
      __meta_kubernetes_pod_container_port_number: "80"
      __meta_kubernetes_pod_container_port_protocol: "TCP"
      __meta_kubernetes_pod_controller_kind: "DaemonSet"
      __meta_kubernetes_pod_controller_name: "promtail-loki-boltdb-shipper"
      __meta_kubernetes_pod_host_ip: "10.128.0.178"
      __meta_kubernetes_pod_ip: "10.132.183.40"
      __meta_kubernetes_pod_label_controller_revision_hash: "555b77cd7d"
      __meta_kubernetes_pod_label_name: "promtail-loki-boltdb-shipper"
      __meta_kubernetes_pod_label_pod_template_generation: "45"
      __meta_kubernetes_pod_labelpresent_controller_revision_hash: "true"
      __meta_kubernetes_pod_labelpresent_name: "true"
      __meta_kubernetes_pod_labelpresent_pod_template_generation: "true"
      __meta_kubernetes_pod_name: "promtail-loki-boltdb-shipper-jgtr7"
      __meta_kubernetes_pod_node_name: "gke-dev-us-central-0-main-n2s8-2-14d53341-9hkr"
      __meta_kubernetes_pod_phase: "Running"
      __meta_kubernetes_pod_ready: "true"
      __meta_kubernetes_pod_uid: "4c586419-7f6c-448d-aeec-ca4fa5b05e60"
      __metrics_path__: "/metrics"
      __scheme__: "http"
      __scrape_interval__: "15s"
      __scrape_timeout__: "10s"
      job: "kubernetes-pods"
    relabel_configs:
      - source_labels:
          - __meta_kubernetes_pod_container_port_name
        regex: .*-metrics
        action: keep
      - source_labels:
          - __meta_kubernetes_pod_label_name
        action: drop
        regex: ""
      - source_labels:
          - __meta_kubernetes_pod_phase
        regex: Succeeded|Failed
        action: drop
      - source_labels:
          - __meta_kubernetes_pod_annotation_prometheus_io_scrape
        regex: "false"
        action: drop
      - source_labels:
          - __meta_kubernetes_pod_annotation_prometheus_io_scheme
        target_label: __scheme__
        regex: (https?)
        replacement: $1
        action: replace
      - source_labels:
          - __meta_kubernetes_pod_annotation_prometheus_io_path
        target_label: __metrics_path__
        regex: (.+)
        replacement: $1
        action: replace
      - source_labels:
          - __address__
          - __meta_kubernetes_pod_annotation_prometheus_io_port
        target_label: __address__
        regex: (.+?)(\\:\\d+)?;(\\d+)
        replacement: $1:$3
        action: replace
      - regex: __meta_kubernetes_pod_annotation_prometheus_io_param_(.+)
        replacement: __param_$1
        action: labelmap
      - regex: __meta_kubernetes_pod_label_prometheus_io_label_(.+)
        action: labelmap
      - regex: __meta_kubernetes_pod_annotation_prometheus_io_label_(.+)
        action: labelmap
      - source_labels:
          - __meta_kubernetes_namespace
          - __meta_kubernetes_pod_label_name
        separator: /
        target_label: job
        replacement: $1
        action: replace
      - source_labels:
        - __meta_kubernetes_namespace
        target_label: namespace
        action: replace
      - source_labels:
          - __meta_kubernetes_pod_name
        target_label: pod
        action: replace
      - source_labels:
          - __meta_kubernetes_pod_container_name
        target_label: container
        action: replace
      - source_labels:
          - __meta_kubernetes_pod_name
          - __meta_kubernetes_pod_container_name
          - __meta_kubernetes_pod_container_port_name
        separator: ':'
        target_label: instance
        action: replace
      - target_label: cluster
        replacement: dev-us-central-0
      - source_labels:
          - __meta_kubernetes_namespace
        regex: hosted-grafana
        action: drop
      - source_labels:
          - __address__
        target_label: __tmp_hash
        modulus: 3
        action: hashmod
      - source_labels:
          - __tmp_hash
        regex: ^0$
        action: keep
      - regex: __tmp_hash
        action: labeldrop
  - name: static_label_pair
    labels:
      abcdefg01: "hijklmn1"
      abcdefg02: "hijklmn2"
      abcdefg03: "hijklmn3"
      abcdefg04: "hijklmn4"
      abcdefg05: "hijklmn5"
      abcdefg06: "hijklmn6"
      abcdefg07: "hijklmn7"
      abcdefg08: "hijklmn8"
      job: "foo"
    relabel_configs:
      - replacement: wwwwww
        target_label: wwwwww
      - replacement: yyyyyyyyyyyy
        target_label: xxxxxxxxx
      - replacement: xxxxxxxxx
        target_label: yyyyyyyyyyyy
      - source_labels: ["something"]
        target_label: with_source_labels
        replacement: value
      - replacement: dropped
        target_label: ${0}
      - replacement: ${0}
        target_label: dropped
""";
}
