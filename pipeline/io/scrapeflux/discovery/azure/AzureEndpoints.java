package io.scrapeflux.discovery.azure;

import java.util.Locale;
import java.util.Map;

/**
 * Where one Azure cloud answers: the Entra ID authority that issues client-credential tokens, the Resource Manager
 * API, the audience tokens are requested for, and the instance-metadata token endpoint of managed identities.
 *
 * <p>Production derives them from {@code environment}; tests (and users of a local fake) pass their own to
 * {@link AzureDiscoverer.Factory}, so nothing but loopback is ever contacted.
 *
 * @param authority       base URL of the token issuer, the tenant id is appended ({@code https://login.microsoftonline.com})
 * @param resourceManager base URL of Azure Resource Manager ({@code https://management.azure.com})
 * @param audience        the resource tokens are issued for
 * @param imdsToken       the managed-identity token URL of the instance metadata service
 */
public record AzureEndpoints(String authority, String resourceManager, String audience, String imdsToken) {

    /** The link-local metadata service; reachable only from inside an Azure VM. */
    static final String IMDS_TOKEN = "http://169.254.169.254/metadata/identity/oauth2/token";

    private static final AzureEndpoints PUBLIC = new AzureEndpoints("https://login.microsoftonline.com",
            "https://management.azure.com", "https://management.core.windows.net/", IMDS_TOKEN);
    private static final AzureEndpoints CHINA = new AzureEndpoints("https://login.chinacloudapi.cn",
            "https://management.chinacloudapi.cn", "https://management.core.chinacloudapi.cn", IMDS_TOKEN);
    private static final AzureEndpoints GOVERNMENT = new AzureEndpoints("https://login.microsoftonline.us",
            "https://management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net", IMDS_TOKEN);

    // The names Prometheus accepts, upper-cased. The German cloud was retired; like Prometheus's SDK it maps to public.
    private static final Map<String, AzureEndpoints> BY_NAME = Map.of(
            "AZURECHINACLOUD", CHINA,
            "AZURECLOUD", PUBLIC,
            "AZUREGERMANCLOUD", PUBLIC,
            "AZUREPUBLICCLOUD", PUBLIC,
            "AZUREUSGOVERNMENT", GOVERNMENT,
            "AZUREUSGOVERNMENTCLOUD", GOVERNMENT);

    /** The cloud named {@code environment} (case-insensitive); unknown names are an error, as in Prometheus. */
    public static AzureEndpoints forEnvironment(String environment) {
        String name = environment.toUpperCase(Locale.ROOT);
        AzureEndpoints e = BY_NAME.get(name);
        if (e == null) {
            throw new IllegalArgumentException("there is no cloud configuration matching the name \"" + name + "\"");
        }
        return e;
    }

    /** The OAuth2 v2 scope for Resource Manager: the audience plus {@code /.default}. */
    String scope() {
        return (audience.endsWith("/") ? audience : audience + "/") + ".default";
    }
}
