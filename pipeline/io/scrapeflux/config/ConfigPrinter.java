package io.scrapeflux.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Renders a loaded config back to YAML the way Prometheus shows it on {@code /api/v1/status/config}:
 * Prometheus's field names, every default filled in, durations and sizes in Prometheus syntax, and
 * every secret as {@code <secret>}.
 */
public final class ConfigPrinter {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private ConfigPrinter() {
    }

    public static String toYaml(PrometheusConfig config) {
        return YAML.writeValueAsString(toTree(config));
    }

    /** The config as ordered maps and lists of strings, booleans and numbers. */
    public static Map<String, Object> toTree(PrometheusConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("global", global(config.global()));
        if (!config.scrapeConfigs().isEmpty()) {
            root.put("scrape_configs", config.scrapeConfigs().stream().map(ConfigPrinter::job).toList());
        }
        if (!config.remoteWrite().isEmpty()) {
            root.put("remote_write", config.remoteWrite().stream().map(ConfigPrinter::remoteWrite).toList());
        }
        return root;
    }

    private static Map<String, Object> global(GlobalConfig g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scrape_interval", dur(g.scrapeInterval()));
        m.put("scrape_timeout", dur(g.scrapeTimeout()));
        m.put("scrape_protocols", protocols(g.scrapeProtocols()));
        m.put("evaluation_interval", dur(g.evaluationInterval()));
        putIf(m, "external_labels", g.externalLabels(), !g.externalLabels().isEmpty());
        limits(m, g.limits());
        m.put("metric_name_validation_scheme", scheme(g.metricNameValidationScheme()));
        m.put("metric_name_escaping_scheme", g.metricNameEscapingScheme());
        putIf(m, "convert_classic_histograms_to_nhcb", true, g.convertClassicHistogramsToNhcb());
        putIf(m, "always_scrape_classic_histograms", true, g.alwaysScrapeClassicHistograms());
        putIf(m, "extra_scrape_metrics", true, g.extraScrapeMetrics());
        return m;
    }

    private static Map<String, Object> job(ScrapeConfig j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_name", j.jobName());
        m.put("honor_labels", j.honorLabels());
        m.put("honor_timestamps", j.honorTimestamps());
        m.put("track_timestamps_staleness", j.trackTimestampsStaleness());
        putIf(m, "params", j.params(), !j.params().isEmpty());
        m.put("scrape_interval", dur(j.scrapeInterval()));
        m.put("scrape_timeout", dur(j.scrapeTimeout()));
        m.put("scrape_protocols", protocols(j.scrapeProtocols()));
        putIf(m, "fallback_scrape_protocol", j.fallbackScrapeProtocol() == null ? null
                : j.fallbackScrapeProtocol().configName(), j.fallbackScrapeProtocol() != null);
        m.put("metrics_path", j.metricsPath());
        m.put("scheme", j.scheme());
        m.put("enable_compression", j.enableCompression());
        limits(m, j.limits());
        m.put("metric_name_validation_scheme", scheme(j.metricNameValidationScheme()));
        m.put("metric_name_escaping_scheme", j.metricNameEscapingScheme());
        putIf(m, "extra_scrape_metrics", true, j.extraScrapeMetrics());
        http(m, j.http());
        for (SdConfig sd : j.sdConfigs()) {
            String key = sd instanceof StaticConfig ? "static_configs" : sd.mechanism() + "_sd_configs";
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) m.computeIfAbsent(key, k -> new ArrayList<>());
            list.add(sd(sd));
        }
        putIf(m, "relabel_configs", relabel(j.relabelConfigs()), !j.relabelConfigs().isEmpty());
        putIf(m, "metric_relabel_configs", relabel(j.metricRelabelConfigs()), !j.metricRelabelConfigs().isEmpty());
        return m;
    }

    private static Map<String, Object> sd(SdConfig sd) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (sd instanceof StaticConfig s) {
            m.put("targets", s.targets());
            putIf(m, "labels", s.labels(), !s.labels().isEmpty());
        } else if (sd instanceof FileSdConfig f) {
            m.put("files", f.files());
            m.put("refresh_interval", dur(f.refreshInterval()));
        } else if (sd instanceof HttpSdConfig h) {
            m.put("url", h.url());
            m.put("refresh_interval", dur(h.refreshInterval()));
            http(m, h.http());
        } else if (sd instanceof DnsSdConfig d) {
            m.put("names", d.names());
            m.put("refresh_interval", dur(d.refreshInterval()));
            m.put("type", d.type());
            m.put("port", d.port());
        } else if (sd instanceof KubernetesSdConfig k) {
            putIf(m, "api_server", k.apiServer(), k.apiServer() != null);
            m.put("role", k.role());
            putIf(m, "kubeconfig_file", k.kubeconfigFile(), k.kubeconfigFile() != null);
            Map<String, Object> ns = new LinkedHashMap<>();
            ns.put("own_namespace", k.namespaces().ownNamespace());
            putIf(ns, "names", k.namespaces().names(), !k.namespaces().names().isEmpty());
            m.put("namespaces", ns);
            if (!k.selectors().isEmpty()) {
                m.put("selectors", k.selectors().stream().map(s -> {
                    Map<String, Object> sel = new LinkedHashMap<>();
                    sel.put("role", s.role());
                    putIf(sel, "label", s.label(), s.label() != null);
                    putIf(sel, "field", s.field(), s.field() != null);
                    return sel;
                }).toList());
            }
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("node", k.attachMetadata().node());
            am.put("namespace", k.attachMetadata().namespace());
            m.put("attach_metadata", am);
            http(m, k.http());
        } else if (sd instanceof GceSdConfig g) {
            gce(m, g);
        } else if (sd instanceof AzureSdConfig a) {
            azure(m, a);
        } else if (sd instanceof Ec2SdConfig e) {
            ec2(m, e);
        }
        return m;
    }

    private static void gce(Map<String, Object> m, GceSdConfig g) {
        m.put("project", g.project());
        m.put("zone", g.zone());
        putIf(m, "filter", g.filter(), !g.filter().isEmpty());
        m.put("refresh_interval", dur(g.refreshInterval()));
        m.put("port", g.port());
        putIf(m, "tag_separator", g.tagSeparator(), !g.tagSeparator().isEmpty());
    }

    /** Prometheus's field order; the empty optional fields are omitted as its {@code omitempty} tags do. */
    private static void azure(Map<String, Object> m, AzureSdConfig a) {
        putIf(m, "environment", a.environment(), !a.environment().isEmpty());
        m.put("port", a.port());
        m.put("subscription_id", a.subscriptionId());
        putIf(m, "tenant_id", a.tenantId(), !a.tenantId().isEmpty());
        putIf(m, "client_id", a.clientId(), !a.clientId().isEmpty());
        putIf(m, "client_secret", Secret.MASK, a.clientSecret() != null && !a.clientSecret().isEmpty());
        m.put("refresh_interval", dur(a.refreshInterval()));
        putIf(m, "authentication_method", a.authenticationMethod(), !a.authenticationMethod().isEmpty());
        putIf(m, "resource_group", a.resourceGroup(), !a.resourceGroup().isEmpty());
        http(m, a.http());
    }

    private static void ec2(Map<String, Object> m, Ec2SdConfig e) {
        m.put("endpoint", e.endpoint() == null ? "" : e.endpoint());
        m.put("region", e.region());
        putIf(m, "access_key", e.accessKey(), e.accessKey() != null);
        putIf(m, "secret_key", Secret.MASK, e.secretKey() != null);
        putIf(m, "profile", e.profile(), e.profile() != null);
        putIf(m, "role_arn", e.roleArn(), e.roleArn() != null);
        m.put("refresh_interval", dur(e.refreshInterval()));
        m.put("port", e.port());
        m.put("filters", e.filters().stream().map(f -> {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("values", f.values());
            return fm;
        }).toList());
        http(m, e.http());
    }

    private static List<Map<String, Object>> relabel(List<RelabelConfig> rules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RelabelConfig r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            putIf(m, "source_labels", r.sourceLabels(), r.sourceLabels() != null && !r.sourceLabels().isEmpty());
            m.put("separator", r.separator());
            m.put("regex", r.regex());
            putIf(m, "modulus", r.modulus(), r.modulus() != 0);
            putIf(m, "target_label", r.targetLabel(), r.targetLabel() != null && !r.targetLabel().isEmpty());
            m.put("replacement", r.replacement());
            m.put("action", r.action().configName());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> remoteWrite(RemoteWriteConfig rw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", rw.url());
        m.put("remote_timeout", dur(rw.remoteTimeout()));
        putIf(m, "headers", masked(rw.headers()), !rw.headers().isEmpty());
        putIf(m, "write_relabel_configs", relabel(rw.writeRelabelConfigs()), !rw.writeRelabelConfigs().isEmpty());
        putIf(m, "name", rw.name(), rw.name() != null && !rw.name().isEmpty());
        m.put("protobuf_message", rw.protobufMessage());
        putIf(m, "send_exemplars", true, rw.sendExemplars());
        putIf(m, "send_native_histograms", true, rw.sendNativeHistograms());
        http(m, rw.http());
        QueueConfig q = rw.queueConfig();
        Map<String, Object> qm = new LinkedHashMap<>();
        qm.put("capacity", q.capacity());
        qm.put("max_shards", q.maxShards());
        qm.put("min_shards", q.minShards());
        qm.put("max_samples_per_send", q.maxSamplesPerSend());
        qm.put("batch_send_deadline", dur(q.batchSendDeadline()));
        qm.put("min_backoff", dur(q.minBackoff()));
        qm.put("max_backoff", dur(q.maxBackoff()));
        putIf(qm, "retry_on_http_429", true, q.retryOnHttp429());
        putIf(qm, "sample_age_limit", dur(q.sampleAgeLimit()), !q.sampleAgeLimit().isZero());
        m.put("queue_config", qm);
        return m;
    }

    /** The inline HTTP client keys, secrets masked. */
    private static void http(Map<String, Object> m, HttpClientConfig h) {
        if (h.basicAuth() != null) {
            BasicAuth b = h.basicAuth();
            Map<String, Object> ba = new LinkedHashMap<>();
            putIf(ba, "username", b.username(), b.username() != null);
            putIf(ba, "username_file", b.usernameFile(), b.usernameFile() != null);
            putIf(ba, "password", Secret.MASK, b.password() != null);
            putIf(ba, "password_file", b.passwordFile(), b.passwordFile() != null);
            m.put("basic_auth", ba);
        }
        if (h.authorization() != null) {
            Authorization a = h.authorization();
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("type", a.type());
            putIf(am, "credentials", Secret.MASK, a.credentials() != null);
            putIf(am, "credentials_file", a.credentialsFile(), a.credentialsFile() != null);
            m.put("authorization", am);
        }
        if (h.oauth2() != null) {
            OAuth2 o = h.oauth2();
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("client_id", o.clientId());
            putIf(om, "client_secret", Secret.MASK, o.clientSecret() != null);
            putIf(om, "client_secret_file", o.clientSecretFile(), o.clientSecretFile() != null);
            putIf(om, "scopes", o.scopes(), o.scopes() != null && !o.scopes().isEmpty());
            om.put("token_url", o.tokenUrl());
            putIf(om, "endpoint_params", o.endpointParams(), o.endpointParams() != null && !o.endpointParams().isEmpty());
            om.put("tls_config", tls(o.tlsConfig()));
            putIf(om, "proxy_url", o.proxyUrl(), o.proxyUrl() != null);
            m.put("oauth2", om);
        }
        m.put("tls_config", tls(h.tlsConfig()));
        putIf(m, "proxy_url", h.proxyUrl(), h.proxyUrl() != null);
        putIf(m, "no_proxy", h.noProxy(), h.noProxy() != null);
        putIf(m, "proxy_from_environment", true, h.proxyFromEnvironment());
        putIf(m, "proxy_connect_header", maskedLists(h.proxyConnectHeader()), !h.proxyConnectHeader().isEmpty());
        m.put("follow_redirects", h.followRedirects());
        m.put("enable_http2", h.enableHttp2());
        if (!h.httpHeaders().isEmpty()) {
            Map<String, Object> hh = new LinkedHashMap<>();
            h.httpHeaders().forEach((name, values) -> hh.put(name, Map.of("secrets", values.stream().map(v -> Secret.MASK).toList())));
            m.put("http_headers", hh);
        }
    }

    private static Map<String, Object> tls(TlsConfig t) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "ca", t.ca(), t.ca() != null);
        putIf(m, "ca_file", t.caFile(), t.caFile() != null);
        putIf(m, "cert", t.cert(), t.cert() != null);
        putIf(m, "cert_file", t.certFile(), t.certFile() != null);
        putIf(m, "key", Secret.MASK, t.key() != null);
        putIf(m, "key_file", t.keyFile(), t.keyFile() != null);
        putIf(m, "server_name", t.serverName(), t.serverName() != null);
        m.put("insecure_skip_verify", t.insecureSkipVerify());
        putIf(m, "min_version", t.minVersion(), t.minVersion() != null);
        putIf(m, "max_version", t.maxVersion(), t.maxVersion() != null);
        return m;
    }

    private static void limits(Map<String, Object> m, Limits l) {
        putIf(m, "body_size_limit", ByteSize.format(l.bodySizeLimit()), l.bodySizeLimit() != 0);
        putIf(m, "sample_limit", l.sampleLimit(), l.sampleLimit() != 0);
        putIf(m, "label_limit", l.labelLimit(), l.labelLimit() != 0);
        putIf(m, "label_name_length_limit", l.labelNameLengthLimit(), l.labelNameLengthLimit() != 0);
        putIf(m, "label_value_length_limit", l.labelValueLengthLimit(), l.labelValueLengthLimit() != 0);
        putIf(m, "target_limit", l.targetLimit(), l.targetLimit() != 0);
        putIf(m, "keep_dropped_targets", l.keepDroppedTargets(), l.keepDroppedTargets() != 0);
    }

    /** remote_write headers may carry tokens: Prometheus shows their values masked too. */
    private static Map<String, String> masked(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.keySet().forEach(k -> out.put(k, Secret.MASK));
        return out;
    }

    private static Map<String, List<String>> maskedLists(Map<String, List<Secret>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k, v.stream().map(s -> Secret.MASK).toList()));
        return out;
    }

    private static List<String> protocols(List<ScrapeProtocol> ps) {
        return ps.stream().map(ScrapeProtocol::configName).toList();
    }

    private static String scheme(NameValidationScheme s) {
        return s == NameValidationScheme.LEGACY ? "legacy" : "utf8";
    }

    private static String dur(Duration d) {
        return PromDuration.format(d);
    }

    private static void putIf(Map<String, Object> m, String key, Object value, boolean condition) {
        if (condition) {
            m.put(key, value);
        }
    }
}
