package io.scrapeflux.config;

import java.time.Duration;

/**
 * {@code azure_sd_configs}: virtual machines and scale-set instances of one Azure subscription, found through the
 * Azure Resource Manager API every {@code refresh_interval}.
 *
 * @param environment          the Azure cloud by name (AzurePublicCloud, AzureChinaCloud, AzureGermanCloud,
 *                             AzureUSGovernmentCloud; case-insensitive); an unknown name fails each refresh, as in
 *                             Prometheus, not the config load
 * @param authenticationMethod {@code OAuth} (client credentials), {@code ManagedIdentity}, {@code SDK} or
 *                             {@code WorkloadIdentity} (Prometheus 3.11)
 * @param subscriptionId       the subscription whose machines are listed (required)
 * @param tenantId             the directory (required for OAuth; optional otherwise)
 * @param clientId             the application (OAuth) or user-assigned identity (ManagedIdentity)
 * @param clientSecret         the application secret (OAuth)
 * @param resourceGroup        limits discovery to one resource group; null or empty means the whole subscription
 * @param port                 the port appended to each machine's private IP
 * @param http                 HTTP client settings for the Resource Manager requests (TLS, proxy, headers)
 */
public record AzureSdConfig(String environment, String authenticationMethod, String subscriptionId, String tenantId,
                            String clientId, Secret clientSecret, String resourceGroup, Duration refreshInterval,
                            int port, HttpClientConfig http) implements SdConfig {

    public static final String DEFAULT_ENVIRONMENT = "AzurePublicCloud";
    public static final String AUTH_OAUTH = "OAuth";
    public static final String AUTH_MANAGED_IDENTITY = "ManagedIdentity";
    public static final String AUTH_SDK = "SDK";
    public static final String AUTH_WORKLOAD_IDENTITY = "WorkloadIdentity";
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);
    public static final int DEFAULT_PORT = 80;

    @Override
    public String mechanism() {
        return "azure";
    }
}
