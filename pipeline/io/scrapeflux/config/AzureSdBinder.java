package io.scrapeflux.config;

import java.time.Duration;

/** Binds one {@code azure_sd_configs} item with Prometheus's defaults and checks. */
final class AzureSdBinder {

    private final HttpClientBinder http;

    AzureSdBinder(HttpClientBinder http) {
        this.http = http;
    }

    AzureSdConfig bind(Fields f) {
        String environment = f.stringOrZero("environment", AzureSdConfig.DEFAULT_ENVIRONMENT);
        String auth = f.stringOrZero("authentication_method", AzureSdConfig.AUTH_OAUTH);
        String subscription = f.string("subscription_id", "");
        String tenant = f.string("tenant_id", "");
        String clientId = f.string("client_id", "");
        Secret clientSecret = f.secret("client_secret");
        String resourceGroup = f.string("resource_group", "");
        Duration refresh = SdConfigBinder.orDefault(f.duration("refresh_interval"), AzureSdConfig.DEFAULT_REFRESH);
        int port = f.integer("port", AzureSdConfig.DEFAULT_PORT);
        HttpClientConfig client = http.bind(f, HttpClientConfig.DEFAULT);
        f.finish();
        String problem = problem(auth, subscription, tenant, clientId, clientSecret);
        if (problem != null) {
            f.problems().add(f.location(), problem);
        }
        return new AzureSdConfig(environment, auth, subscription, tenant, clientId, clientSecret, resourceGroup,
                refresh, port, client);
    }

    /** Prometheus stops at the first failed check, so only the first is reported. */
    private static String problem(String auth, String subscription, String tenant, String clientId, Secret secret) {
        if (subscription.isEmpty()) {
            return required("subscription_id");
        }
        if (auth.equals(AzureSdConfig.AUTH_OAUTH)) {
            if (tenant.isEmpty()) {
                return required("tenant_id");
            }
            if (clientId.isEmpty()) {
                return required("client_id");
            }
            if (secret == null || secret.isEmpty()) {
                return required("client_secret");
            }
        }
        if (!auth.equals(AzureSdConfig.AUTH_OAUTH) && !auth.equals(AzureSdConfig.AUTH_MANAGED_IDENTITY)
                && !auth.equals(AzureSdConfig.AUTH_SDK) && !auth.equals(AzureSdConfig.AUTH_WORKLOAD_IDENTITY)) {
            return "unknown authentication_type \"" + auth
                    + "\". Supported types are \"OAuth\", \"ManagedIdentity\", \"SDK\" or \"WorkloadIdentity\"";
        }
        return null;
    }

    private static String required(String key) {
        return "azure SD configuration requires a " + key;
    }
}
