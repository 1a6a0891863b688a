package io.scrapeflux.discovery.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.scrapeflux.config.AzureSdConfig;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Secret;
import io.scrapeflux.discovery.Await;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.LoopbackApiTest;
import io.scrapeflux.discovery.RecordingFailures;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The discoverer against WireMock stubs shaped like Resource Manager's and Entra ID's documented responses. Every
 * endpoint (token issuer, Resource Manager, instance metadata) is overridden to loopback; the poll loop runs on
 * virtual time.
 */
class AzureDiscovererTest extends LoopbackApiTest {

    private static final Duration INTERVAL = Duration.ofMinutes(5);
    private static final String SUB = "/subscriptions/sub-1";
    private static final String VMS = SUB + "/providers/Microsoft.Compute/virtualMachines";
    private static final String SCALE_SETS = SUB + "/providers/Microsoft.Compute/virtualMachineScaleSets";
    private static final String SCALE_SET_VMS = SUB + "/resourceGroups/rg-ss/providers/Microsoft.Compute/"
            + "virtualMachineScaleSets/ss1/virtualMachines";
    private static final String NICS = SUB + "/resourceGroups/rg-net/providers/Microsoft.Network/networkInterfaces/";
    private static final String SCALE_SET_NIC = SCALE_SET_VMS + "/3/networkInterfaces/ss1-nic";
    private static final String VM1_ID = SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1";

    private final RecordingFailures reporter = new RecordingFailures();

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private AzureEndpoints endpoints() {
        return new AzureEndpoints(base(), base(), "https://management.core.windows.net/",
                base() + "/metadata/identity/oauth2/token");
    }

    private static AzureSdConfig oauth(String resourceGroup) {
        return new AzureSdConfig("AzurePublicCloud", "OAuth", "sub-1", "tenant-1", "client-1", Secret.of("s3cret"),
                resourceGroup, INTERVAL, 9100, HttpClientConfig.DEFAULT);
    }

    private AzureDiscoverer discoverer(AzureSdConfig config) {
        return new AzureDiscoverer(config, reporter, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time,
                endpoints(), Map.of());
    }

    private static MappingBuilder arm(String path) {
        return get(urlPathEqualTo(path)).withHeader("Authorization", equalTo("Bearer tok-1"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    private static String vm(String name, String rg, String computerName, String os, String size, String tags,
                             String nics) {
        return """
                {"name": "%1$s", "id": "/subscriptions/sub-1/resourceGroups/%2$s/providers/Microsoft.Compute/virtualMachines/%1$s",
                 "type": "Microsoft.Compute/virtualMachines", "location": "westeurope", "tags": %6$s,
                 "properties": {"vmId": "0f47b100-583c-48e3-a4c0-aefc2c9bbcc1",
                   "hardwareProfile": {"vmSize": "%5$s"},
                   "storageProfile": {"osDisk": {"osType": "%4$s", "name": "%1$s-os", "createOption": "FromImage"}},
                   "osProfile": {"computerName": "%3$s", "adminUsername": "azureuser"},
                   "networkProfile": {"networkInterfaces": [%7$s]},
                   "provisioningState": "Succeeded"}}""".formatted(name, rg, computerName, os, size, tags, nics);
    }

    private static String nicRef(String name) {
        return "{\"id\": \"" + NICS + name + "\", \"properties\": {\"primary\": true}}";
    }

    private static String nic(String name, String primary, String privateIp, String publicIp) {
        String pub = publicIp == null ? "" : """
                , "publicIPAddress": {"id": "/subscriptions/sub-1/resourceGroups/rg-net/providers/Microsoft.Network/publicIPAddresses/%s-ip",
                   "properties": {"ipAddress": "%s", "publicIPAllocationMethod": "Static"}}""".formatted(name, publicIp);
        return """
                {"name": "%s", "id": "%s%s", "location": "westeurope",
                 "properties": {"provisioningState": "Succeeded", %s
                   "ipConfigurations": [{"name": "ipconfig1", "properties": {"privateIPAddress": "%s",
                     "privateIPAllocationMethod": "Dynamic", "primary": true%s}}]}}""".formatted(name, NICS, name,
                primary == null ? "" : "\"primary\": " + primary + ",", privateIp, pub);
    }

    /** Two pages of VMs, a scale set with one instance, their interfaces and one public IP. */
    private void stubSubscription() {
        server.stubFor(post(urlPathEqualTo("/tenant-1/oauth2/v2.0/token")).willReturn(json("""
                {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": "tok-1"}""")));
        server.stubFor(arm(VMS).withQueryParam("api-version", equalTo(AzureDiscoverer.COMPUTE_API))
                .withQueryParam("$skiptoken", absent())
                .willReturn(json("{\"value\": [" + vm("vm1", "rg-web", "vm1-host", "Linux", "Standard_D2s_v3",
                        "{\"env\": \"prod\", \"cost-center\": \"42\"}", nicRef("vm1-nic"))
                        + ", " + vm("vm-no-nic", "rg-web", "x", "Linux", "Standard_B1s", "{}", "")
                        + "], \"nextLink\": \"" + base() + VMS + "?api-version=" + AzureDiscoverer.COMPUTE_API
                        + "&$skiptoken=page2\"}")));
        server.stubFor(arm(VMS).withQueryParam("$skiptoken", equalTo("page2"))
                .willReturn(json("{\"value\": [" + vm("vm2", "RG-Web", "vm2-host", "Windows", "Standard_B2s", "{}",
                        nicRef("vm2-nic")) + ", " + vm("vm-gone-nic", "rg-web", "g", "Linux", "Standard_B1s", "{}",
                        nicRef("gone-nic")) + ", " + vm("vm-deallocated", "rg-web", "d", "Linux", "Standard_B1s",
                        "{}", nicRef("deallocated-nic")) + "]}")));
        server.stubFor(arm(NICS + "vm1-nic").withQueryParam("$expand", equalTo("IPConfigurations/PublicIPAddress"))
                .withQueryParam("api-version", equalTo(AzureDiscoverer.NETWORK_API))
                .willReturn(json(nic("vm1-nic", "true", "10.0.0.4", "20.30.40.50"))));
        server.stubFor(arm(NICS + "vm2-nic").willReturn(json(nic("vm2-nic", "true", "10.0.0.5", null))));
        server.stubFor(arm(NICS + "gone-nic").willReturn(aResponse().withStatus(404).withBody("""
                {"error": {"code": "NotFound", "message": "Resource gone-nic not found."}}""")));
        server.stubFor(arm(NICS + "deallocated-nic").willReturn(json(nic("deallocated-nic", null, "10.0.0.9", null))));
        server.stubFor(arm(SCALE_SETS).willReturn(json("""
                {"value": [{"name": "ss1", "id": "/subscriptions/sub-1/resourceGroups/rg-ss/providers/Microsoft.Compute/virtualMachineScaleSets/ss1",
                  "type": "Microsoft.Compute/virtualMachineScaleSets", "location": "northeurope",
                  "sku": {"name": "Standard_D4s_v3", "tier": "Standard", "capacity": 1}, "properties": {}}]}""")));
        server.stubFor(arm(SCALE_SET_VMS).willReturn(json("""
                {"value": [{"name": "ss1_3", "instanceId": "3",
                  "id": "/subscriptions/sub-1/resourceGroups/rg-ss/providers/Microsoft.Compute/virtualMachineScaleSets/ss1/virtualMachines/3",
                  "type": "Microsoft.Compute/virtualMachineScaleSets/virtualMachines", "location": "northeurope",
                  "tags": {"role": "worker"},
                  "properties": {"hardwareProfile": {"vmSize": "Standard_D4s_v3"},
                    "storageProfile": {"osDisk": {"osType": "Linux"}}, "osProfile": {"computerName": "ss1000003"},
                    "networkProfile": {"networkInterfaces": [{"id": "%s"}]}}}]}""".formatted(SCALE_SET_NIC))));
        server.stubFor(arm(SCALE_SET_NIC).withQueryParam("api-version", equalTo(AzureDiscoverer.VMSS_NETWORK_API))
                .willReturn(json(nic("ss1-nic", "true", "10.1.0.4", null))));
    }

    private static final Labels VM1 = Labels.of(
            "__address__", "10.0.0.4:9100",
            "__meta_azure_subscription_id", "sub-1",
            "__meta_azure_tenant_id", "tenant-1",
            "__meta_azure_machine_id", VM1_ID,
            "__meta_azure_machine_name", "vm1",
            "__meta_azure_machine_computer_name", "vm1-host",
            "__meta_azure_machine_os_type", "Linux",
            "__meta_azure_machine_location", "westeurope",
            "__meta_azure_machine_resource_group", "rg-web",
            "__meta_azure_machine_size", "Standard_D2s_v3",
            "__meta_azure_machine_private_ip", "10.0.0.4",
            "__meta_azure_machine_public_ip", "20.30.40.50",
            "__meta_azure_machine_tag_env", "prod",
            "__meta_azure_machine_tag_cost_center", "42");

    private List<List<TargetGroup>> run(AzureSdConfig config, List<Disposable> running) {
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        running.add(discoverer(config).discover().subscribe(received::add));
        return received;
    }

    @Test
    void findsMachinesAndScaleSetInstancesWithEveryMetaLabel() {
        stubSubscription();
        List<Disposable> running = new CopyOnWriteArrayList<>();
        List<List<TargetGroup>> received = run(oauth(""), running);
        Await.until(() -> received.size() == 1);
        running.forEach(Disposable::dispose);

        assertThat(received.get(0)).hasSize(1);
        TargetGroup group = received.get(0).get(0);
        assertThat(group.source()).isEmpty();
        assertThat(group.labels()).isEqualTo(Labels.EMPTY);
        assertThat(group.targets()).containsExactly(VM1,
                Labels.of("__address__", "10.0.0.5:9100",
                        "__meta_azure_subscription_id", "sub-1",
                        "__meta_azure_tenant_id", "tenant-1",
                        "__meta_azure_machine_id", SUB + "/resourceGroups/RG-Web/providers/Microsoft.Compute/virtualMachines/vm2",
                        "__meta_azure_machine_name", "vm2",
                        "__meta_azure_machine_computer_name", "vm2-host",
                        "__meta_azure_machine_os_type", "Windows",
                        "__meta_azure_machine_location", "westeurope",
                        "__meta_azure_machine_resource_group", "RG-Web",
                        "__meta_azure_machine_size", "Standard_B2s",
                        "__meta_azure_machine_private_ip", "10.0.0.5"),
                Labels.of("__address__", "10.1.0.4:9100",
                        "__meta_azure_subscription_id", "sub-1",
                        "__meta_azure_tenant_id", "tenant-1",
                        "__meta_azure_machine_id", SCALE_SET_VMS + "/3",
                        "__meta_azure_machine_name", "ss1_3",
                        "__meta_azure_machine_computer_name", "ss1000003",
                        "__meta_azure_machine_os_type", "Linux",
                        "__meta_azure_machine_location", "northeurope",
                        "__meta_azure_machine_resource_group", "rg-ss",
                        "__meta_azure_machine_size", "Standard_D4s_v3",
                        "__meta_azure_machine_scale_set", "ss1",
                        "__meta_azure_machine_private_ip", "10.1.0.4",
                        "__meta_azure_machine_tag_role", "worker"));
        assertThat(reporter.failures).isEmpty();

        server.verify(postRequestedFor(urlPathEqualTo("/tenant-1/oauth2/v2.0/token"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_id=client-1"))
                .withRequestBody(containing("client_secret=s3cret"))
                .withRequestBody(containing("scope=" + java.net.URLEncoder.encode(
                        "https://management.core.windows.net/.default", java.nio.charset.StandardCharsets.UTF_8))));
        // Every Resource Manager request carried the bearer token (the stubs require it), both VM pages were read.
        server.verify(2, getRequestedFor(urlPathEqualTo(VMS)).withHeader("Authorization", equalTo("Bearer tok-1")));
        assertThat(server.findAllUnmatchedRequests()).isEmpty();
    }

    @Test
    void resourceGroupNarrowsTheListsAndTheTokenIsReusedAcrossRefreshes() {
        stubSubscription();
        String rgVms = SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines";
        server.stubFor(arm(rgVms).willReturn(json("{\"value\": [" + vm("vm1", "rg-web", "vm1-host", "Linux",
                "Standard_D2s_v3", "{\"env\": \"prod\", \"cost-center\": \"42\"}", nicRef("vm1-nic")) + "]}")));
        server.stubFor(arm(SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets")
                .willReturn(json("{\"value\": []}")));
        List<Disposable> running = new CopyOnWriteArrayList<>();
        List<List<TargetGroup>> received = run(oauth("rg-web"), running);
        Await.until(() -> received.size() == 1);
        assertThat(received.get(0).get(0).targets()).containsExactly(VM1);

        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> server.findAll(getRequestedFor(urlPathEqualTo(rgVms))).size() == 2);
        Await.until(() -> reporter.successes.get() == 2);
        running.forEach(Disposable::dispose);
        server.verify(1, postRequestedFor(urlPathEqualTo("/tenant-1/oauth2/v2.0/token")));
        server.verify(0, getRequestedFor(urlPathEqualTo(VMS)));
        // Interfaces are cached across refreshes, as Prometheus caches them.
        server.verify(1, getRequestedFor(urlPathEqualTo(NICS + "vm1-nic")));
        assertThat(received).hasSize(1); // nothing changed
    }

    @Test
    void throttlingIsRetriedAfterRetryAfter() {
        stubSubscription();
        server.stubFor(arm(SCALE_SETS).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("""
                        {"error": {"code": "TooManyRequests", "message": "Rate limit exceeded."}}"""))
                .willSetStateTo("calm"));
        server.stubFor(arm(SCALE_SETS).inScenario("throttle").whenScenarioStateIs("calm")
                .willReturn(json("{\"value\": []}")));
        List<Disposable> running = new CopyOnWriteArrayList<>();
        List<List<TargetGroup>> received = run(oauth(""), running);

        // Timers: the refresh timeout, then the retry delay the 429 asked for.
        time.advanceAfterTimers(2, Duration.ofSeconds(6));
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo(SCALE_SETS)))).hasSize(1);
        time.advanceAfterTimers(2, Duration.ofSeconds(1));
        Await.until(() -> received.size() == 1);
        running.forEach(Disposable::dispose);
        assertThat(server.findAll(getRequestedFor(urlPathEqualTo(SCALE_SETS)))).hasSize(2);
        assertThat(received.get(0).get(0).targets()).hasSize(2).first().isEqualTo(VM1);
        assertThat(reporter.failures).isEmpty();
    }

    @Test
    void rejectedTokenKeepsTheLastTargetsAndFetchesANewToken() {
        stubSubscription();
        List<Disposable> running = new CopyOnWriteArrayList<>();
        List<List<TargetGroup>> received = run(oauth(""), running);
        Await.until(() -> received.size() == 1);

        server.stubFor(arm(VMS).withQueryParam("$skiptoken", absent()).atPriority(1)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody("""
                        {"error": {"code": "InvalidAuthenticationToken", "message": "The access token is invalid."}}""")));
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> reporter.failures.size() == 1);
        assertThat(reporter.failures.get(0)).hasMessageContaining("HTTP 401")
                .hasMessageContaining("InvalidAuthenticationToken");
        assertThat(received).hasSize(1);

        server.stubFor(arm(VMS).withQueryParam("$skiptoken", absent()).atPriority(1).willReturn(aResponse()
                .withStatus(403).withBody("""
                        {"error": {"code": "AuthorizationFailed", "message": "No read permission."}}""")));
        time.advanceAfterTimers(4, Duration.ofSeconds(1));
        Await.until(() -> reporter.failures.size() == 2);
        assertThat(reporter.failures.get(1)).hasMessageContaining("HTTP 403").hasMessageContaining("AuthorizationFailed");
        running.forEach(Disposable::dispose);
        assertThat(received).hasSize(1);
        // The 401 dropped the cached token, so the next refresh asked for a new one; the 403 did not.
        server.verify(2, postRequestedFor(urlPathEqualTo("/tenant-1/oauth2/v2.0/token")));
    }

    @Test
    void managedIdentityAsksTheMetadataServiceForAToken() {
        stubSubscription();
        server.stubFor(get(urlPathEqualTo("/metadata/identity/oauth2/token")).withHeader("Metadata", equalTo("true"))
                .willReturn(json("""
                        {"access_token": "tok-1", "expires_in": "3599", "expires_on": "1767225600",
                         "resource": "https://management.core.windows.net/", "token_type": "Bearer"}""")));
        AzureSdConfig mi = new AzureSdConfig("AzurePublicCloud", "ManagedIdentity", "sub-1", "", "uai-1", null, "",
                INTERVAL, 80, HttpClientConfig.DEFAULT);
        List<Disposable> running = new CopyOnWriteArrayList<>();
        List<List<TargetGroup>> received = run(mi, running);
        Await.until(() -> received.size() == 1);
        running.forEach(Disposable::dispose);
        Labels first = received.get(0).get(0).targets().get(0);
        assertThat(first.get("__address__")).isEqualTo("10.0.0.4:80");
        assertThat(first.has("__meta_azure_tenant_id")).isFalse();
        server.verify(getRequestedFor(urlPathEqualTo("/metadata/identity/oauth2/token"))
                .withQueryParam("api-version", equalTo("2018-02-01"))
                .withQueryParam("resource", equalTo("https://management.core.windows.net/"))
                .withQueryParam("client_id", equalTo("uai-1")));
        server.verify(0, postRequestedFor(urlPathMatching(".*/token")));
    }

    @Test
    void unknownEnvironmentFailsEachRefreshWithoutContactingAnything() {
        AzureSdConfig config = new AzureSdConfig("AzureMoonCloud", "OAuth", "sub-1", "t", "c", Secret.of("s"), "",
                INTERVAL, 80, HttpClientConfig.DEFAULT);
        Disposable d = new AzureDiscoverer.Factory(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), time,
                null, Map.of()).create(config, reporter).discover().subscribe();
        Await.until(() -> reporter.failures.size() == 1);
        d.dispose();
        assertThat(reporter.failures.get(0))
                .hasMessageContaining("there is no cloud configuration matching the name \"AZUREMOONCLOUD\"");
    }

    @Test
    void aNextLinkOutsideResourceManagerIsRefused() {
        stubSubscription();
        server.stubFor(arm(VMS).withQueryParam("$skiptoken", absent()).atPriority(1).willReturn(json(
                "{\"value\": [], \"nextLink\": \"http://127.0.0.2:1/steal?token\"}")));
        List<Disposable> running = new CopyOnWriteArrayList<>();
        run(oauth(""), running);
        Await.until(() -> reporter.failures.size() == 1);
        running.forEach(Disposable::dispose);
        assertThat(reporter.failures.get(0)).hasMessageContaining("points outside Resource Manager");
    }

    @Test
    void aVanishedMachineLeavesTheGroupAndCancellingStopsThePolling() {
        stubSubscription();
        List<Disposable> running = new CopyOnWriteArrayList<>();
        List<List<TargetGroup>> received = run(oauth(""), running);
        Await.until(() -> received.size() == 1);
        assertThat(received.get(0).get(0).targets()).hasSize(3);

        server.stubFor(arm(VMS).withQueryParam("$skiptoken", equalTo("page2")).atPriority(1)
                .willReturn(json("{\"value\": []}")));
        time.advanceAfterTimers(2, INTERVAL);
        Await.until(() -> received.size() == 2);
        assertThat(received.get(1)).singleElement().satisfies(g -> {
            assertThat(g.source()).isEmpty();
            assertThat(g.targets()).extracting(t -> t.get("__meta_azure_machine_name")).containsExactly("vm1", "ss1_3");
        });
        running.forEach(Disposable::dispose);
        Await.until(() -> time.pending() == 0);
    }

    @Test
    void sdkMethodUsesClientCredentialsFromTheEnvironment() {
        stubSubscription();
        server.stubFor(post(urlPathEqualTo("/env-tenant/oauth2/v2.0/token")).willReturn(json("""
                {"token_type": "Bearer", "expires_in": 3599, "access_token": "tok-1"}""")));
        AzureSdConfig sdk = new AzureSdConfig("AzurePublicCloud", "SDK", "sub-1", "", "", null, "", INTERVAL, 80,
                HttpClientConfig.DEFAULT);
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable d = new AzureDiscoverer(sdk, reporter, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                time, endpoints(), Map.of("AZURE_TENANT_ID", "env-tenant", "AZURE_CLIENT_ID", "env-client",
                "AZURE_CLIENT_SECRET", "env-secret")).discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        d.dispose();
        assertThat(received.get(0).get(0).targets()).hasSize(3);
        server.verify(postRequestedFor(urlPathEqualTo("/env-tenant/oauth2/v2.0/token"))
                .withRequestBody(containing("client_id=env-client"))
                .withRequestBody(containing("client_secret=env-secret")));
    }

    @Test
    void workloadIdentitySendsTheFederatedTokenAsClientAssertion(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        stubSubscription();
        java.nio.file.Path tokenFile = dir.resolve("azure-identity-token");
        java.nio.file.Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.sa-token.sig\n");
        server.stubFor(post(urlPathEqualTo("/wi-tenant/oauth2/v2.0/token")).willReturn(json("""
                {"token_type": "Bearer", "expires_in": 3599, "access_token": "tok-1"}""")));
        AzureSdConfig wi = new AzureSdConfig("AzurePublicCloud", "WorkloadIdentity", "sub-1", "", "", null, "",
                INTERVAL, 80, HttpClientConfig.DEFAULT);
        List<List<TargetGroup>> received = new CopyOnWriteArrayList<>();
        Disposable d = new AzureDiscoverer(wi, reporter, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                time, endpoints(), Map.of("AZURE_TENANT_ID", "wi-tenant", "AZURE_CLIENT_ID", "wi-client",
                "AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString())).discover().subscribe(received::add);
        Await.until(() -> received.size() == 1);
        d.dispose();
        assertThat(received.get(0).get(0).targets()).hasSize(3);
        server.verify(postRequestedFor(urlPathEqualTo("/wi-tenant/oauth2/v2.0/token"))
                .withRequestBody(containing("client_id=wi-client"))
                .withRequestBody(containing("client_assertion=eyJhbGciOiJSUzI1NiJ9.sa-token.sig&"))
                .withRequestBody(containing("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")));
    }
}
