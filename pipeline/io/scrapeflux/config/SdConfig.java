package io.scrapeflux.config;

/** A service-discovery config block. Records implement {@code equals} by value, so two jobs
 * with identical blocks share one running discoverer. */
public sealed interface SdConfig
        permits StaticConfig, FileSdConfig, HttpSdConfig, DnsSdConfig, KubernetesSdConfig,
        GceSdConfig, AzureSdConfig, Ec2SdConfig, CustomSdConfig {

    /** The config key without {@code _sd_configs}, as in Prometheus's SD registry: static, file, http, dns, kubernetes. */
    String mechanism();
}
