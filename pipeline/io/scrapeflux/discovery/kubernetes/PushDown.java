package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.config.KubernetesSdConfig;
import io.scrapeflux.config.KubernetesSelectors;
import io.scrapeflux.config.RelabelAction;
import io.scrapeflux.config.RelabelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Filter push-down (beyond Prometheus): the leading {@code keep} rules of a pod job that compare one pod
 * attribute with literal values are turned into what the API server can filter on, so it sends only the
 * pods those rules would keep anyway. The rules still run in the relabel stage; this only narrows the watch,
 * so results are identical with and without it.
 *
 * <p>Pushed down, for role {@code pod} only, from the rules before the first non-{@code keep} rule (keep
 * rules change no label, so every rule in that prefix sees the discovered labels):
 * <ul>
 *   <li>{@code __meta_kubernetes_pod_node_name} with one literal → field selector {@code spec.nodeName=x}
 *       (field selectors have no set operator, so alternations are not pushed);</li>
 *   <li>{@code __meta_kubernetes_namespace} with literals → the namespace list (intersected with
 *       {@code namespaces});</li>
 *   <li>{@code __meta_kubernetes_pod_label_<name>} with literals → label selector {@code <name> in (...)},
 *       only when {@code <name>} is itself a valid Kubernetes label key (so sanitising cannot have mapped
 *       another key onto it, unless a pod carries two keys that sanitise alike — where Prometheus's own
 *       choice of value is arbitrary).</li>
 * </ul>
 * A rule is pushed only with exactly one source label and a regex that is a literal or an alternation of
 * non-empty literals (optionally in one group); an empty alternative would keep pods without the label.
 */
public record PushDown(String nodeName, Set<String> namespaces, Map<String, Set<String>> podLabels) {

    public static final PushDown NONE = new PushDown(null, null, Map.of());

    private static final String POD_LABEL = MetaLabels.POD_LABEL_PREFIX;

    /** Which filters the leading keep rules of a job allow for {@code role}. */
    public static PushDown analyze(KubernetesRole role, List<RelabelConfig> rules) {
        if (role != KubernetesRole.POD || rules == null) {
            return NONE;
        }
        String node = null;
        Set<String> namespaces = null;
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        for (RelabelConfig r : rules) {
            if (r.action() != RelabelAction.KEEP) {
                break;
            }
            if (r.sourceLabels() == null || r.sourceLabels().size() != 1) {
                continue;
            }
            List<String> literals = literals(r.regex());
            if (literals == null || literals.isEmpty() || literals.contains("")) {
                continue;
            }
            String source = r.sourceLabels().get(0);
            if (source.equals(MetaLabels.POD_NODE_NAME)) {
                if (literals.size() != 1) {
                    continue;
                }
                if (node == null) {
                    // A second, different node rule keeps nothing; the relabel stage drops those pods anyway.
                    node = literals.get(0);
                }
            } else if (source.equals(MetaLabels.NAMESPACE)) {
                Set<String> s = new TreeSet<>(literals);
                if (namespaces != null) {
                    s.retainAll(namespaces);
                }
                namespaces = s;
            } else if (source.startsWith(POD_LABEL) && source.length() > POD_LABEL.length()) {
                String key = source.substring(POD_LABEL.length());
                if (!isPlainLabelKey(key) || !literals.stream().allMatch(KubernetesSelectors::isLabelValue)) {
                    continue;
                }
                Set<String> s = new TreeSet<>(literals);
                Set<String> prev = labels.get(key);
                if (prev != null) {
                    s.retainAll(prev);
                }
                labels.put(key, s);
            }
        }
        return new PushDown(node, namespaces, Map.copyOf(labels));
    }

    public boolean isEmpty() {
        return nodeName == null && namespaces == null && podLabels.isEmpty();
    }

    /** The field selector terms to add ("" when none). */
    String fieldSelector() {
        return nodeName == null ? "" : "spec.nodeName=" + nodeName;
    }

    /** The label selector requirements to add ("" when none). Values sorted for a stable watch key. */
    String labelSelector() {
        List<String> parts = new ArrayList<>();
        // One value as an equality: the plainest form, understood by every API server and fake of one.
        new TreeSet<>(podLabels.keySet()).forEach(k -> {
            Set<String> values = podLabels.get(k);
            parts.add(values.size() == 1 ? k + "=" + values.iterator().next() : k + " in (" + String.join(",", values) + ")");
        });
        return String.join(",", parts);
    }

    /**
     * {@code config} with this push-down written into its own {@code namespaces} and pod {@code selectors},
     * so that the discovery manager shares and restarts the narrowed watch like any other config. Returns
     * {@code config} unchanged when nothing can be pushed: nothing qualified, an intersection is empty (the
     * relabel rules drop every pod then anyway) or {@code own_namespace} is set.
     */
    public KubernetesSdConfig narrow(KubernetesSdConfig config) {
        if (isEmpty() || (namespaces != null && namespaces.isEmpty())
                || podLabels.values().stream().anyMatch(Set::isEmpty)) {
            return config;
        }
        KubernetesSdConfig.Namespaces ns = config.namespaces() == null
                ? KubernetesSdConfig.Namespaces.ALL : config.namespaces();
        if (namespaces != null) {
            if (ns.ownNamespace()) {
                return config;
            }
            Set<String> names = new TreeSet<>(namespaces);
            if (!ns.names().isEmpty()) {
                names.retainAll(ns.names());
                if (names.isEmpty()) {
                    return config;
                }
            }
            ns = new KubernetesSdConfig.Namespaces(false, List.copyOf(names));
        }
        List<KubernetesSdConfig.Selector> selectors = new ArrayList<>();
        KubernetesSdConfig.Selector pod = new KubernetesSdConfig.Selector("pod", "", "");
        if (config.selectors() != null) {
            for (KubernetesSdConfig.Selector sel : config.selectors()) {
                if ("pod".equals(sel.role())) {
                    pod = sel;
                } else {
                    selectors.add(sel);
                }
            }
        }
        String label = joinTerms(pod.label(), labelSelector());
        String field = joinTerms(pod.field(), fieldSelector());
        if (!label.isEmpty() || !field.isEmpty()) {
            selectors.add(new KubernetesSdConfig.Selector("pod", label, field));
        }
        return new KubernetesSdConfig(config.apiServer(), config.role(), config.kubeconfigFile(), ns,
                List.copyOf(selectors), config.attachMetadata(), config.http());
    }

    private static String joinTerms(String a, String b) {
        a = a == null ? "" : a;
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "," + b;
    }

    /** Human-readable summary for the log. */
    public String describe() {
        if (isEmpty()) {
            return "nothing";
        }
        List<String> parts = new ArrayList<>();
        if (nodeName != null) {
            parts.add("field selector " + fieldSelector());
        }
        if (namespaces != null) {
            parts.add("namespaces " + namespaces);
        }
        if (!podLabels.isEmpty()) {
            parts.add("label selector " + labelSelector());
        }
        return String.join("; ", parts);
    }

    /** A sanitised label name that is also a valid Kubernetes label key by itself. */
    static boolean isPlainLabelKey(String name) {
        if (name.isEmpty() || name.length() > 63) {
            return false;
        }
        char first = name.charAt(0);
        char last = name.charAt(name.length() - 1);
        return Character.isLetterOrDigit(first) && Character.isLetterOrDigit(last)
                && name.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || c == '_');
    }

    /**
     * The strings a relabel regex matches when it is a literal or an alternation of literals (the relabel
     * stage anchors it on both ends), optionally inside one group; null for any other regex.
     */
    static List<String> literals(String regex) {
        if (regex == null) {
            return null;
        }
        String r = regex;
        if (r.startsWith("(") && r.endsWith(")") && r.indexOf('(', 1) < 0 && r.indexOf(')') == r.length() - 1) {
            r = r.startsWith("(?:") ? r.substring(3, r.length() - 1) : r.substring(1, r.length() - 1);
        }
        Set<String> out = new LinkedHashSet<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                if (i + 1 >= r.length()) {
                    return null;
                }
                char n = r.charAt(++i);
                if (Character.isLetterOrDigit(n) || n == '_') {
                    return null; // \d, \w, \b, \1 ...: classes and assertions, not literals
                }
                cur.append(n);
            } else if (c == '|') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (".+*?()[]{}^$".indexOf(c) >= 0) {
                return null;
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return new ArrayList<>(out);
    }
}
