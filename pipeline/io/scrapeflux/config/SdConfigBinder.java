package io.scrapeflux.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds the {@code *_sd_configs} blocks of a job. A mechanism scrapeflux does not implement is an error
 * naming it, never skipped. */
final class SdConfigBinder {

    private static final Pattern FILE_SD_NAME = Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");
    private static final Set<String> DNS_TYPES = Set.of("SRV", "A", "AAAA", "MX", "NS");
    private static final Map<String, Set<String>> K8S_SELECTOR_ROLES = Map.of(
            "pod", Set.of("pod"),
            "service", Set.of("service"),
            "endpoints", Set.of("pod", "service", "endpoints"),
            "endpointslice", Set.of("pod", "service", "endpointslice"),
            "node", Set.of("node"),
            "ingress", Set.of("ingress"));
    static final List<String> IMPLEMENTED = List.of("static_configs", "file_sd_configs", "http_sd_configs",
            "dns_sd_configs", "kubernetes_sd_configs",
            "gce_sd_configs",
            "azure_sd_configs",
            "ec2_sd_configs");

    private final FilePaths paths;
    private final HttpClientBinder http;

    SdConfigBinder(FilePaths paths, HttpClientBinder http) {
        this.paths = paths;
        this.http = http;
    }

    /** Reads every SD key of the job mapping {@code job}; reports unimplemented mechanisms. */
    List<SdConfig> bind(Fields job) {
        List<SdConfig> out = new ArrayList<>();
        for (YamlNode item : job.list("static_configs")) {
            out.add(staticConfig(Fields.of(item, item.location(), "static_config", job.problems())));
        }
        for (YamlNode item : job.list("file_sd_configs")) {
            out.add(fileSd(Fields.of(item, item.location(), "file_sd_config", job.problems())));
        }
        for (YamlNode item : job.list("http_sd_configs")) {
            out.add(httpSd(Fields.of(item, item.location(), "http_sd_config", job.problems())));
        }
        for (YamlNode item : job.list("dns_sd_configs")) {
            out.add(dnsSd(Fields.of(item, item.location(), "dns_sd_config", job.problems())));
        }
        for (YamlNode item : job.list("kubernetes_sd_configs")) {
            out.add(kubernetesSd(Fields.of(item, item.location(), "kubernetes_sd_config", job.problems())));
        }
        for (YamlNode item : job.list("gce_sd_configs")) {
            out.add(GceSdBinder.bind(Fields.of(item, item.location(), "gce_sd_config", job.problems())));
        }
        for (YamlNode item : job.list("azure_sd_configs")) {
            out.add(new AzureSdBinder(http).bind(Fields.of(item, item.location(), "azure_sd_config", job.problems())));
        }
        for (YamlNode item : job.list("ec2_sd_configs")) {
            out.add(new Ec2SdBinder(http, System.getenv()).bind(Fields.of(item, item.location(), "ec2_sd_config", job.problems())));
        }
        for (String key : job.unread()) {
            if (key.endsWith("_sd_configs")) {
                job.node(key);
                job.problems().add(job.keyLocation(key), key + ": service discovery mechanism \""
                        + key.substring(0, key.length() - "_sd_configs".length())
                        + "\" is not implemented by scrapeflux (supported: " + String.join(", ", IMPLEMENTED) + ")");
            }
        }
        return out;
    }

    /** Prometheus checks static labels as label names in general (UTF-8), whatever the job's scheme:
     * the scheme applies later, to the target's final labels. */
    private StaticConfig staticConfig(Fields f) {
        List<String> targets = f.stringList("targets");
        Map<String, String> labels = f.stringMap("labels");
        labels.forEach((name, value) -> {
            if (!LabelNames.isValid(name, NameValidationScheme.UTF8)) {
                f.problems().add(f.keysOf("labels").get(name), "labels: \"" + name + "\" is not a valid label name");
            }
            if (!LabelNames.isValidValue(value)) {
                f.problems().add(f.keysOf("labels").get(name), "labels: \"" + value + "\" is not a valid label value");
            }
        });
        f.finish();
        return new StaticConfig(targets == null ? List.of() : List.copyOf(targets), Map.copyOf(labels));
    }

    /** Prometheus refuses URLs written as static targets unless relabeling could rewrite them. */
    static void checkStaticTargets(Fields job, List<SdConfig> sds) {
        for (SdConfig sd : sds) {
            if (sd instanceof StaticConfig sc) {
                for (String t : sc.targets()) {
                    if (t.contains("/")) {
                        job.problems().add(job.keyLocation("static_configs"), "\"" + t + "\" is not a valid hostname");
                    }
                }
            }
        }
    }

    private FileSdConfig fileSd(Fields f) {
        List<String> files = f.stringList("files");
        Duration refresh = orDefault(f.duration("refresh_interval"), FileSdConfig.DEFAULT_REFRESH);
        f.finish();
        List<String> resolved = new ArrayList<>();
        if (files == null || files.isEmpty()) {
            f.problems().add(f.location(), "file service discovery config must contain at least one path name");
        } else {
            for (String file : files) {
                if (!FILE_SD_NAME.matcher(file).matches()) {
                    f.error("files", "path name \"" + file + "\" is not valid for file discovery");
                }
                resolved.add(paths.resolve(file));
            }
        }
        return new FileSdConfig(List.copyOf(resolved), refresh);
    }

    private HttpSdConfig httpSd(Fields f) {
        String url = f.string("url");
        Duration refresh = orDefault(f.duration("refresh_interval"), HttpSdConfig.DEFAULT_REFRESH);
        HttpClientConfig client = http.bind(f, HttpClientConfig.DEFAULT);
        f.finish();
        if (url == null || url.isEmpty()) {
            f.problems().add(f.location(), "URL is missing");
        } else if (UrlCheck.httpProblem(url) != null) {
            f.error("url", UrlCheck.httpProblem(url));
        }
        return new HttpSdConfig(url, refresh, client);
    }

    private DnsSdConfig dnsSd(Fields f) {
        List<String> names = f.stringList("names");
        String type = f.string("type", "SRV").toUpperCase(java.util.Locale.ROOT);
        int port = f.integer("port", 0);
        Duration refresh = orDefault(f.duration("refresh_interval"), DnsSdConfig.DEFAULT_REFRESH);
        f.finish();
        if (names == null || names.isEmpty()) {
            f.problems().add(f.location(), "DNS-SD config must contain at least one SRV record name");
        }
        if (!DNS_TYPES.contains(type)) {
            f.error("type", "invalid DNS-SD records type " + type);
        } else if (!type.equals("SRV") && port == 0) {
            f.problems().add(f.location(), "a port is required in DNS-SD configs for all record types except SRV");
        }
        if (port < 0 || port > 65535) {
            f.error("port", "port " + port + " is out of range");
        }
        return new DnsSdConfig(names == null ? List.of() : List.copyOf(names), type, port, refresh);
    }

    private KubernetesSdConfig kubernetesSd(Fields f) {
        Problems p = f.problems();
        String apiServer = UrlCheck.httpUrl(f, "api_server");
        String role = f.string("role");
        String kubeconfig = paths.resolve(f.string("kubeconfig_file"));
        KubernetesSdConfig.Namespaces namespaces = namespaces(f);
        List<KubernetesSdConfig.Selector> selectors = selectors(f, role);
        KubernetesSdConfig.AttachMetadata attach = KubernetesSdConfig.AttachMetadata.NONE;
        if (f.has("attach_metadata")) {
            Fields am = Fields.of(f.node("attach_metadata"), f.location(), "attach_metadata", p);
            attach = new KubernetesSdConfig.AttachMetadata(am.bool("node", false), am.bool("namespace", false));
            am.finish();
        }
        HttpClientConfig client = http.bind(f, HttpClientConfig.DEFAULT);
        f.finish();

        if (role == null || role.isEmpty()) {
            p.add(f.location(), "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
        } else if (!K8S_SELECTOR_ROLES.containsKey(role)) {
            f.error("role", "unknown Kubernetes SD role \"" + role + "\"");
        }
        boolean customClient = !HttpClientBinder.isDefault(client, HttpClientConfig.DEFAULT);
        boolean hasApi = apiServer != null && !apiServer.isEmpty();
        boolean hasKubeconfig = kubeconfig != null && !kubeconfig.isEmpty();
        if (hasApi && hasKubeconfig) {
            p.add(f.keyLocation("kubeconfig_file"), "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        if (hasKubeconfig && customClient) {
            p.add(f.keyLocation("kubeconfig_file"), "cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
        }
        if (!hasApi && !hasKubeconfig && customClient) {
            p.add(f.location(), "to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        }
        if (hasApi && namespaces.ownNamespace()) {
            p.add(f.keyLocation("namespaces"), "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
        }
        if (hasKubeconfig && namespaces.ownNamespace()) {
            p.add(f.keyLocation("namespaces"), "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
        }
        return new KubernetesSdConfig(apiServer, role, kubeconfig, namespaces, selectors, attach, client);
    }

    private static KubernetesSdConfig.Namespaces namespaces(Fields f) {
        if (!f.has("namespaces")) {
            return KubernetesSdConfig.Namespaces.ALL;
        }
        Fields ns = Fields.of(f.node("namespaces"), f.location(), "namespaces", f.problems());
        boolean own = ns.bool("own_namespace", false);
        List<String> names = ns.stringList("names");
        ns.finish();
        return new KubernetesSdConfig.Namespaces(own, names == null ? List.of() : List.copyOf(names));
    }

    private static List<KubernetesSdConfig.Selector> selectors(Fields f, String role) {
        List<KubernetesSdConfig.Selector> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> allowed = role == null ? null : K8S_SELECTOR_ROLES.get(role);
        for (YamlNode item : f.list("selectors")) {
            Fields s = Fields.of(item, item.location(), "selector", f.problems());
            String selRole = s.string("role");
            String label = s.string("label");
            String field = s.string("field");
            s.finish();
            if (selRole == null || !K8S_SELECTOR_ROLES.containsKey(selRole)) {
                f.problems().add(s.valueLocation("role"), "selectors: unknown Kubernetes SD role \"" + selRole + "\"");
                continue;
            }
            if (!seen.add(selRole)) {
                f.problems().add(s.valueLocation("role"), "duplicated selector role: " + selRole);
            }
            if (allowed != null && !allowed.contains(selRole)) {
                f.problems().add(s.valueLocation("role"), role + " role supports only "
                        + String.join(", ", allowed.stream().sorted().toList()) + " selectors");
            }
            String labelProblem = label == null || label.isEmpty() ? null : KubernetesSelectors.labelSelectorProblem(label);
            if (labelProblem != null) {
                f.problems().add(s.valueLocation("label"), "selectors: " + labelProblem);
            }
            String fieldProblem = field == null || field.isEmpty() ? null : KubernetesSelectors.fieldSelectorProblem(field);
            if (fieldProblem != null) {
                f.problems().add(s.valueLocation("field"), "selectors: " + fieldProblem);
            }
            out.add(new KubernetesSdConfig.Selector(selRole, label, field));
        }
        return List.copyOf(out);
    }

    static Duration orDefault(Duration d, Duration def) {
        return d == null || d.isZero() ? def : d;
    }
}
