package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binds one {@code remote_write} entry with Prometheus 3's defaults and checks. */
final class RemoteWriteBinder {

    static final String PROTOBUF_V1 = "prometheus.WriteRequest";
    static final String PROTOBUF_V2 = "io.prometheus.write.v2.Request";
    /** Remote write's client defaults differ from scraping's: HTTP/2 is off. */
    static final HttpClientConfig DEFAULT_HTTP =
            new HttpClientConfig(null, null, null, TlsConfig.DEFAULT, null, null, false, Map.of(), true, false, Map.of());
    /** Headers remote_write.headers may not set (Prometheus's reserved list, lower-cased). */
    private static final Set<String> RESERVED = Set.of("host", "content-encoding", "content-length", "content-type",
            "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate",
            "accept-encoding", "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-amz-date",
            "x-amz-security-token", "x-amz-content-sha256");

    private final HttpClientBinder http;

    RemoteWriteBinder(FilePaths paths) {
        this.http = new HttpClientBinder(paths);
    }

    RemoteWriteConfig bind(Fields f, NameValidationScheme scheme) {
        Problems p = f.problems();
        int before = p.count();
        String url = f.string("url");
        Duration timeout = SdConfigBinder.orDefault(f.duration("remote_timeout"), RemoteWriteConfig.DEFAULT_REMOTE_TIMEOUT);
        Map<String, String> headers = f.stringMap("headers");
        List<RelabelConfig> relabel = RelabelBinder.bindList(f, "write_relabel_configs", scheme);
        String name = f.string("name", "");
        boolean exemplars = f.bool("send_exemplars", false);
        boolean histograms = f.bool("send_native_histograms", false);
        f.unsupported("round_robin_dns", "");
        String message = f.string("protobuf_message", PROTOBUF_V1);
        HttpClientConfig client = http.bind(f, DEFAULT_HTTP);
        QueueConfig queue = f.has("queue_config")
                ? queue(Fields.of(f.node("queue_config"), f.location(), "queue_config", p)) : QueueConfig.DEFAULT;
        if (f.has("metadata_config")) {
            Fields m = Fields.of(f.node("metadata_config"), f.location(), "metadata_config", p);
            m.bool("send", true);
            m.duration("send_interval");
            m.integer("max_samples_per_send", 0);
            m.finish();
        }
        f.unsupported("sigv4", "");
        f.unsupported("azuread", "");
        f.unsupported("google_iam", "");
        f.finish();

        if (url == null || url.isEmpty()) {
            p.add(f.location(), "url for remote_write is empty");
        } else if (UrlCheck.httpProblem(url) != null) {
            f.error("url", UrlCheck.httpProblem(url));
        }
        Map<String, SourceLocation> headerKeys = f.keysOf("headers");
        headers.keySet().forEach(h -> {
            String lower = Fields.lower(h);
            if (lower.equals("authorization")) {
                p.add(headerKeys.get(h), "headers: authorization header must be changed via the basic_auth, "
                        + "authorization, oauth2, sigv4, azuread or google_iam parameter");
            } else if (RESERVED.contains(lower)) {
                p.add(headerKeys.get(h), "headers: " + h + " is a reserved header. It must not be changed");
            }
        });
        if (!message.equals(PROTOBUF_V1) && !message.equals(PROTOBUF_V2)) {
            f.error("protobuf_message", "invalid protobuf_message value: unknown type \"" + message
                    + "\", supported: " + PROTOBUF_V1 + ", " + PROTOBUF_V2);
        }
        if (p.count() != before) {
            return null;
        }
        return new RemoteWriteConfig(url, name, timeout, headers, relabel, client, queue, exemplars, histograms, message,
                f.location());
    }

    private static QueueConfig queue(Fields f) {
        QueueConfig d = QueueConfig.DEFAULT;
        int capacity = f.integer("capacity", d.capacity());
        int maxShards = f.integer("max_shards", d.maxShards());
        int minShards = f.integer("min_shards", d.minShards());
        int maxPerSend = f.integer("max_samples_per_send", d.maxSamplesPerSend());
        Duration deadline = SdConfigBinder.orDefault(f.duration("batch_send_deadline"), d.batchSendDeadline());
        Duration minBackoff = SdConfigBinder.orDefault(f.duration("min_backoff"), d.minBackoff());
        Duration maxBackoff = SdConfigBinder.orDefault(f.duration("max_backoff"), d.maxBackoff());
        boolean retry429 = f.bool("retry_on_http_429", d.retryOnHttp429());
        Duration ageLimit = f.duration("sample_age_limit");
        f.finish();
        for (String k : List.of("capacity", "max_shards", "min_shards", "max_samples_per_send")) {
            if (f.has(k) && f.integer(k, 1) <= 0) {
                f.error(k, "must be greater than 0");
            }
        }
        if (minShards > maxShards) {
            f.problems().add(f.keyLocation("min_shards"), "min_shards (" + minShards + ") must not exceed max_shards ("
                    + maxShards + ")");
        }
        return new QueueConfig(capacity, minShards, maxShards, maxPerSend, deadline, minBackoff, maxBackoff, retry429,
                ageLimit == null ? Duration.ZERO : ageLimit);
    }
}
