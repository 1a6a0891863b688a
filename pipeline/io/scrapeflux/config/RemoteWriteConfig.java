package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One {@code remote_write} entry. */
public record RemoteWriteConfig(
        String url,
        String name,
        Duration remoteTimeout,
        Map<String, String> headers,
        List<RelabelConfig> writeRelabelConfigs,
        HttpClientConfig http,
        QueueConfig queueConfig,
        boolean sendExemplars,
        boolean sendNativeHistograms,
        String protobufMessage,
        SourceLocation location) {

    public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(30);
}
