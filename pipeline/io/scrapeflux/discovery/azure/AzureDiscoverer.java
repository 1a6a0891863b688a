package io.scrapeflux.discovery.azure;

import io.scrapeflux.config.AzureSdConfig;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.discovery.Backoff;
import io.scrapeflux.discovery.Discoverer;
import io.scrapeflux.discovery.DiscovererFactory;
import io.scrapeflux.discovery.FailureReporter;
import io.scrapeflux.discovery.PollingDiscovererFactory;
import io.scrapeflux.discovery.RefreshDiscoverer;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.discovery.http.HttpClients;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * {@code azure_sd_configs}: every {@code refresh_interval}, lists the subscription's (or resource group's) virtual
 * machines and scale-set instances through Resource Manager and turns each into one target, as Prometheus does.
 *
 * <p>A machine's target comes from the first IP configuration of its first primary network interface:
 * {@code __address__} is the private IP with {@code port}, and the public IP (expanded into the interface response)
 * is a label when present. Machines without network interfaces, whose interface no longer exists (404) or is not
 * attached (deallocated, no {@code primary} flag) have no target. Any other failure fails the whole refresh, which
 * keeps the last good targets and is retried with backoff by {@link RefreshDiscoverer}. Interfaces once read are
 * cached ({@link NicCache}).
 */
public final class AzureDiscoverer implements Discoverer {

    static final String PREFIX = "__meta_azure_";
    static final String SUBSCRIPTION_ID = PREFIX + "subscription_id";
    static final String TENANT_ID = PREFIX + "tenant_id";
    static final String MACHINE_ID = PREFIX + "machine_id";
    static final String MACHINE_NAME = PREFIX + "machine_name";
    static final String MACHINE_COMPUTER_NAME = PREFIX + "machine_computer_name";
    static final String MACHINE_OS_TYPE = PREFIX + "machine_os_type";
    static final String MACHINE_LOCATION = PREFIX + "machine_location";
    static final String MACHINE_RESOURCE_GROUP = PREFIX + "machine_resource_group";
    static final String MACHINE_SIZE = PREFIX + "machine_size";
    static final String MACHINE_SCALE_SET = PREFIX + "machine_scale_set";
    static final String MACHINE_PRIVATE_IP = PREFIX + "machine_private_ip";
    static final String MACHINE_PUBLIC_IP = PREFIX + "machine_public_ip";
    static final String MACHINE_TAG = PREFIX + "machine_tag_";

    static final String COMPUTE_API = "2024-07-01";
    static final String NETWORK_API = "2024-05-01";
    // The scale-set network interface operations exist only in this older Microsoft.Network version.
    static final String VMSS_NETWORK_API = "2018-10-01";
    private static final String EXPAND_PUBLIC_IP = "&$expand=IPConfigurations/PublicIPAddress";
    private static final int NIC_CONCURRENCY = 8;
    private static final JsonNode MISSING = MissingNode.getInstance();

    private static final Logger log = LoggerFactory.getLogger(AzureDiscoverer.class);

    private final AzureSdConfig config;
    private final FailureReporter failures;
    private final Backoff failureBackoff;
    private final Scheduler scheduler;
    private final AzureEndpoints endpointOverride;
    private final Map<String, String> env;

    /**
     * @param endpointOverride null in production (endpoints follow {@code environment}); a local fake's otherwise
     * @param env              the process environment, read by the {@code SDK} authentication method
     */
    public AzureDiscoverer(AzureSdConfig config, FailureReporter failures, Backoff failureBackoff, Scheduler scheduler,
                           AzureEndpoints endpointOverride, Map<String, String> env) {
        this.config = config;
        this.failures = failures;
        this.failureBackoff = failureBackoff;
        this.scheduler = scheduler;
        this.endpointOverride = endpointOverride;
        this.env = Map.copyOf(env);
    }

    @Override
    public Flux<List<TargetGroup>> discover() {
        return Flux.defer(() -> {
            AtomicReference<ArmClient> client = new AtomicReference<>();
            Mono<ArmClient> arm = Mono.defer(() -> client.get() != null ? Mono.just(client.get())
                    : armClient().doOnNext(client::set));
            NicCache nics = new NicCache(config.refreshInterval(), () -> scheduler.now(TimeUnit.MILLISECONDS));
            return new RefreshDiscoverer("azure", config.refreshInterval(), failureBackoff, scheduler,
                    () -> arm.flatMap(c -> refresh(c, nics)), failures).discover();
        });
    }

    /** Reads TLS files, so runs off the event loop. An unknown environment fails each refresh, as in Prometheus. */
    private Mono<ArmClient> armClient() {
        HttpClientConfig http = config.http() == null ? HttpClientConfig.DEFAULT : config.http();
        return Mono.fromCallable(() -> {
            AzureEndpoints endpoints = endpointOverride != null ? endpointOverride
                    : AzureEndpoints.forEnvironment(config.environment());
            HttpClient client = HttpClients.create(http, endpoints.resourceManager());
            AzureTokens tokens = new AzureTokens(config, endpoints, env, HttpClient.create(), scheduler);
            return new ArmClient(client, HttpClients.headers(http), tokens, endpoints.resourceManager(), scheduler);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<List<TargetGroup>> refresh(ArmClient arm, NicCache nics) {
        String scope = "/subscriptions/" + config.subscriptionId()
                + (config.resourceGroup().isEmpty() ? "" : "/resourceGroups/" + config.resourceGroup());
        Flux<Machine> vms = arm.list(scope + "/providers/Microsoft.Compute/virtualMachines?api-version=" + COMPUTE_API)
                .map(vm -> Machine.of(vm, ""));
        Flux<Machine> scaleSetVms = arm.list(scope + "/providers/Microsoft.Compute/virtualMachineScaleSets?api-version="
                        + COMPUTE_API)
                .concatMap(scaleSet -> scaleSetMachines(arm, scaleSet));
        return Flux.concat(vms, scaleSetVms)
                // Interface reads dominate a refresh: a few run in parallel, targets stay in listing order.
                .flatMapSequential(m -> target(arm, nics, m), NIC_CONCURRENCY)
                .collectList()
                .map(targets -> {
                    log.debug("Azure discovery completed targets={}", targets.size());
                    return List.of(new TargetGroup("", targets, Labels.EMPTY));
                });
    }

    private Flux<Machine> scaleSetMachines(ArmClient arm, JsonNode scaleSet) {
        String id = Json.text(scaleSet.path("id"));
        String name = Json.text(scaleSet.path("name"));
        ResourceId rid = ResourceId.parse(id);
        return arm.list("/subscriptions/" + config.subscriptionId() + "/resourceGroups/" + rid.resourceGroup()
                        + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + name
                        + "/virtualMachines?api-version=" + COMPUTE_API)
                .map(vm -> Machine.of(vm, name));
    }

    /** The machine's target, or empty when it has none (see the class comment). */
    private Mono<Labels> target(ArmClient arm, NicCache nics, Machine vm) {
        LabelsBuilder b;
        try {
            b = labels(vm);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        return Flux.fromIterable(vm.nics)
                .concatMap(nicId -> networkInterface(arm, nics, vm, nicId).defaultIfEmpty(MISSING)
                        .flatMap(nic -> decide(nic, nicId, vm, b)))
                // Like Prometheus, the first interface that decides wins: gone, deallocated or primary.
                .next()
                .flatMap(decision -> decision.target == null ? Mono.empty() : Mono.just(decision.target));
    }

    private Mono<Decision> decide(JsonNode nic, String nicId, Machine vm, LabelsBuilder b) {
        if (nic == MISSING) {
            log.warn("Network interface does not exist machine={} nic={}", vm.name, nicId);
            return Mono.just(Decision.NONE);
        }
        JsonNode props = nic.path("properties");
        if (!props.isObject()) {
            return Mono.empty();
        }
        JsonNode primary = props.path("primary");
        if (primary.isMissingNode() || primary.isNull()) {
            // Azure reports no primary flag on the interfaces of a deallocated machine.
            log.debug("Skipping deallocated virtual machine machine={}", vm.name);
            return Mono.just(Decision.NONE);
        }
        if (!primary.asBoolean()) {
            return Mono.empty();
        }
        List<JsonNode> ipConfigs = Json.items(props.path("ipConfigurations"));
        if (ipConfigs.isEmpty()) {
            return Mono.empty();
        }
        JsonNode ip = ipConfigs.get(0).path("properties");
        String publicIp = Json.at(ip, "publicIPAddress", "properties", "ipAddress");
        String privateIp = Json.text(ip.path("privateIPAddress"));
        if (privateIp.isEmpty()) {
            return Mono.error(new IllegalStateException("unable to find a private IP for VM " + vm.name));
        }
        b.set(MACHINE_PUBLIC_IP, publicIp);
        b.set(MACHINE_PRIVATE_IP, privateIp);
        b.set("__address__", hostPort(privateIp, config.port()));
        return Mono.just(new Decision(b.build()));
    }

    /** The interface from the cache or Resource Manager; empty when it does not exist (not cached). */
    private Mono<JsonNode> networkInterface(ArmClient arm, NicCache nics, Machine vm, String nicId) {
        JsonNode cached = nics.get(nicId);
        if (cached != null) {
            return Mono.just(cached);
        }
        ResourceId nic = ResourceId.parse(nicId);
        String rgPath = "/subscriptions/" + config.subscriptionId() + "/resourceGroups/" + nic.resourceGroup();
        String path = vm.scaleSet.isEmpty()
                ? rgPath + "/providers/Microsoft.Network/networkInterfaces/" + nic.name() + "?api-version=" + NETWORK_API
                : rgPath + "/providers/Microsoft.Compute/virtualMachineScaleSets/" + vm.scaleSet + "/virtualMachines/"
                        + vm.instanceId + "/networkInterfaces/" + nic.name() + "?api-version=" + VMSS_NETWORK_API;
        return arm.find(path + EXPAND_PUBLIC_IP).doOnNext(found -> nics.put(nicId, found));
    }

    private LabelsBuilder labels(Machine vm) {
        LabelsBuilder b = Labels.builder();
        b.set(SUBSCRIPTION_ID, config.subscriptionId());
        b.set(TENANT_ID, config.tenantId());
        b.set(MACHINE_ID, vm.id);
        b.set(MACHINE_NAME, vm.name);
        b.set(MACHINE_COMPUTER_NAME, vm.computerName);
        b.set(MACHINE_OS_TYPE, vm.osType);
        b.set(MACHINE_LOCATION, vm.location);
        b.set(MACHINE_RESOURCE_GROUP, ResourceId.parse(vm.id).resourceGroup());
        b.set(MACHINE_SIZE, vm.size);
        b.set(MACHINE_SCALE_SET, vm.scaleSet);
        vm.tags.forEach((k, v) -> b.set(MACHINE_TAG + sanitize(k), v));
        return b;
    }

    /** Prometheus's label-name sanitising: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}. */
    static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether a machine has a target: {@code target} null means "no target", decided. */
    private record Decision(Labels target) {
        static final Decision NONE = new Decision(null);
    }

    /** The fields of a virtual machine or scale-set instance that become labels. */
    private record Machine(String id, String name, String computerName, String osType, String location, String size,
                           String scaleSet, String instanceId, Map<String, String> tags, List<String> nics) {

        static Machine of(JsonNode vm, String scaleSet) {
            JsonNode p = vm.path("properties");
            Map<String, String> tags = new java.util.LinkedHashMap<>();
            for (var e : vm.path("tags").properties()) {
                tags.put(e.getKey(), Json.text(e.getValue()));
            }
            List<String> nics = new ArrayList<>();
            for (JsonNode n : Json.items(p.path("networkProfile").path("networkInterfaces"))) {
                nics.add(Json.text(n.path("id")));
            }
            return new Machine(Json.text(vm.path("id")), Json.text(vm.path("name")),
                    Json.at(p, "osProfile", "computerName"), Json.at(p, "storageProfile", "osDisk", "osType"),
                    Json.text(vm.path("location")), Json.at(p, "hardwareProfile", "vmSize"), scaleSet,
                    Json.text(vm.path("instanceId")), tags, nics);
        }
    }

    /** The factory registered for {@link AzureSdConfig}. */
    public static final class Factory extends PollingDiscovererFactory<AzureSdConfig> {
        private final AzureEndpoints endpointOverride;
        private final Map<String, String> env;

        /** Production: endpoints from each config's {@code environment}, the process environment for {@code SDK}. */
        public Factory() {
            this(Backoff.RETRY, Schedulers.parallel(), null, System.getenv());
        }

        /**
         * @param endpointOverride where every discoverer sends its requests instead of the Azure cloud (a local fake);
         *                         null to follow each config's {@code environment}
         * @param env              environment variables for the {@code SDK} authentication method
         */
        public Factory(Backoff failureBackoff, Scheduler scheduler, AzureEndpoints endpointOverride,
                       Map<String, String> env) {
            super(AzureSdConfig.class, failureBackoff, scheduler);
            this.endpointOverride = endpointOverride;
            this.env = env;
        }

        @Override
        public Discoverer create(AzureSdConfig config, FailureReporter failures) {
            return new AzureDiscoverer(config, failures, failureBackoff, scheduler, endpointOverride, env);
        }
    }
}
