package io.scrapeflux.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PushDownTest {

    private static RelabelConfig keep(String source, String regex) {
        return RelabelConfig.of(RelabelAction.KEEP, List.of(source), regex, null, null);
    }

    @Test
    void literalsAndAlternationsAreRecognised() {
        assertThat(PushDown.literals("worker1")).containsExactly("worker1");
        assertThat(PushDown.literals("a|b|a")).containsExactly("a", "b");
        assertThat(PushDown.literals("(a|b)")).containsExactly("a", "b");
        assertThat(PushDown.literals("(?:a|b)")).containsExactly("a", "b");
        assertThat(PushDown.literals("nginx\\-exporter\\.v1")).containsExactly("nginx-exporter.v1");
        assertThat(PushDown.literals("a|")).containsExactly("a", "");
        for (String notLiteral : List.of("(.*)9113", "a.b", "a+", "[ab]", "\\d", "^a$", "(a)|(b)", "a{2}", "a?")) {
            assertThat(PushDown.literals(notLiteral)).as(notLiteral).isNull();
        }
    }

    @Test
    void seedRulesPushNodeAndLabel() {
        PushDown pd = PushDown.analyze(KubernetesRole.POD, SeedScenarioTest.SEED_RULES);
        assertThat(pd.nodeName()).isEqualTo("worker1");
        assertThat(pd.podLabels()).isEqualTo(Map.of("app", Set.of("nginx-exporter")));
        assertThat(pd.namespaces()).isNull();
        assertThat(pd.fieldSelector()).isEqualTo("spec.nodeName=worker1");
        assertThat(pd.labelSelector()).isEqualTo("app=nginx-exporter");
    }

    @Test
    void namespacesAndLabelAlternationsIntersect() {
        PushDown pd = PushDown.analyze(KubernetesRole.POD, List.of(
                keep("__meta_kubernetes_namespace", "shop|billing|ops"),
                keep("__meta_kubernetes_namespace", "(shop|ops)"),
                keep("__meta_kubernetes_pod_label_tier", "front|back")));
        assertThat(pd.namespaces()).containsExactly("ops", "shop");
        assertThat(pd.labelSelector()).isEqualTo("tier in (back,front)");
    }

    @Test
    void onlyTheLeadingKeepRulesCount() {
        PushDown pd = PushDown.analyze(KubernetesRole.POD, List.of(
                keep("__meta_kubernetes_pod_label_app", "(.*)"), // not literal: skipped, but still a keep rule
                RelabelConfig.of(RelabelAction.REPLACE, List.of("__meta_kubernetes_pod_label_x"), "(.*)",
                        "__meta_kubernetes_pod_node_name", "$1"),
                keep("__meta_kubernetes_pod_node_name", "worker1")));
        assertThat(pd.isEmpty()).isTrue();
    }

    @Test
    void ambiguousOrUnsafeRulesAreNotPushed() {
        PushDown pd = PushDown.analyze(KubernetesRole.POD, List.of(
                keep("__meta_kubernetes_pod_node_name", "worker1|worker2"), // field selectors have no "in"
                keep("__meta_kubernetes_pod_label_app_kubernetes_io_name", "x"), // fine: a valid key as written
                keep("__meta_kubernetes_pod_label__private", "x"), // not a valid key: sanitised from something else
                keep("__meta_kubernetes_pod_label_team", "a|"), // empty alternative keeps pods without the label
                keep("__meta_kubernetes_pod_label_owner", "has space"), // not a label value
                RelabelConfig.of(RelabelAction.KEEP, List.of("__meta_kubernetes_namespace", "__meta_kubernetes_pod_name"),
                        "a;b", null, null)));
        assertThat(pd.nodeName()).isNull();
        assertThat(pd.namespaces()).isNull();
        assertThat(pd.podLabels()).containsOnlyKeys("app_kubernetes_io_name");
    }

    @Test
    void otherRolesAreNeverPushed() {
        assertThat(PushDown.analyze(KubernetesRole.ENDPOINTS, SeedScenarioTest.SEED_RULES)).isEqualTo(PushDown.NONE);
    }

    @Test
    void narrowWritesThePushDownIntoTheConfigsOwnNamespacesAndPodSelector() {
        KubernetesSdConfig cfg = new KubernetesSdConfig("https://127.0.0.1:6443", "pod", null,
                new KubernetesSdConfig.Namespaces(false, List.of("shop", "ops", "dev")),
                List.of(new KubernetesSdConfig.Selector("pod", "tier=web", "status.phase=Running")),
                KubernetesSdConfig.AttachMetadata.NONE, HttpClientConfig.DEFAULT);
        PushDown pd = PushDown.analyze(KubernetesRole.POD, List.of(
                keep("__meta_kubernetes_namespace", "shop|billing|ops"),
                keep("__meta_kubernetes_pod_node_name", "worker1"),
                keep("__meta_kubernetes_pod_label_app", "nginx-exporter")));

        KubernetesSdConfig narrowed = pd.narrow(cfg);

        assertThat(narrowed.namespaces().names()).containsExactly("ops", "shop");
        assertThat(narrowed.selectors()).containsExactly(new KubernetesSdConfig.Selector("pod",
                "tier=web,app=nginx-exporter", "status.phase=Running,spec.nodeName=worker1"));
        assertThat(KubernetesDiscovery.validate(narrowed)).isEmpty();
    }

    @Test
    void narrowLeavesTheConfigAloneWhenNothingQualifiesOrTheIntersectionIsEmpty() {
        KubernetesSdConfig cfg = new KubernetesSdConfig("https://127.0.0.1:6443", "pod", null,
                new KubernetesSdConfig.Namespaces(false, List.of("dev")), List.of(),
                KubernetesSdConfig.AttachMetadata.NONE, HttpClientConfig.DEFAULT);
        assertThat(PushDown.NONE.narrow(cfg)).isSameAs(cfg);
        // the rules keep namespace shop only, the config watches dev only: the rules drop every pod anyway
        assertThat(PushDown.analyze(KubernetesRole.POD, List.of(keep("__meta_kubernetes_namespace", "shop")))
                .narrow(cfg)).isSameAs(cfg);
    }
}
