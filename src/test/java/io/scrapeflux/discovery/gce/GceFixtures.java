package io.scrapeflux.discovery.gce;

/** {@code instances.list} responses shaped like the Compute Engine API reference (compute#instanceList). */
final class GceFixtures {

    static final String PROJECT = "my-project";
    static final String ZONE = "us-east1-a";
    static final String API = "https://www.googleapis.com/compute/v1/projects/my-project";
    static final String ZONE_URL = API + "/zones/us-east1-a";
    static final String PATH = "/compute/v1/projects/my-project/zones/us-east1-a/instances";

    private GceFixtures() {
    }

    /** Two instances with network interfaces and one without (which has no address and is skipped). */
    static final String PAGE_1 = """
            {
              "kind": "compute#instanceList",
              "id": "projects/my-project/zones/us-east1-a/instances",
              "items": [
                {
                  "kind": "compute#instance",
                  "id": "4567890123456789012",
                  "creationTimestamp": "2024-03-01T10:00:00.000-08:00",
                  "name": "web-1",
                  "tags": {"items": ["http-server", "prometheus"], "fingerprint": "42WmSpB8rSM="},
                  "machineType": "%1$s/machineTypes/e2-medium",
                  "status": "RUNNING",
                  "zone": "%1$s",
                  "canIpForward": false,
                  "networkInterfaces": [
                    {
                      "kind": "compute#networkInterface",
                      "network": "%2$s/global/networks/default",
                      "subnetwork": "%2$s/regions/us-east1/subnetworks/default",
                      "networkIP": "10.142.0.2",
                      "name": "nic0",
                      "accessConfigs": [
                        {"kind": "compute#accessConfig", "type": "ONE_TO_ONE_NAT", "name": "External NAT",
                         "natIP": "34.75.10.20", "networkTier": "PREMIUM"}
                      ],
                      "fingerprint": "a0fxBN5W0Gs=",
                      "stackType": "IPV4_ONLY"
                    },
                    {
                      "kind": "compute#networkInterface",
                      "network": "%2$s/global/networks/backend",
                      "subnetwork": "%2$s/regions/us-east1/subnetworks/backend",
                      "networkIP": "10.200.0.5",
                      "name": "nic1",
                      "fingerprint": "b1fxBN5W0Gs="
                    }
                  ],
                  "metadata": {
                    "kind": "compute#metadata",
                    "fingerprint": "Mvzd0b4DQOI=",
                    "items": [
                      {"key": "env", "value": "prod"},
                      {"key": "startup-script", "value": "#!/bin/bash\\necho ready"},
                      {"key": "no-value"}
                    ]
                  },
                  "labels": {"team": "observability", "cost-center": "cc42"},
                  "labelFingerprint": "6Ok5G5nKxdo=",
                  "selfLink": "%1$s/instances/web-1"
                },
                {
                  "kind": "compute#instance",
                  "id": "1111111111111111111",
                  "name": "provisioning-1",
                  "machineType": "%1$s/machineTypes/e2-small",
                  "status": "PROVISIONING",
                  "zone": "%1$s",
                  "selfLink": "%1$s/instances/provisioning-1"
                }
              ],
              "nextPageToken": "Cg5wYWdlLTI=",
              "selfLink": "%1$s/instances"
            }""".formatted(ZONE_URL, API);

    /** The last page: an instance without tags, labels or public address. */
    static final String PAGE_2 = """
            {
              "kind": "compute#instanceList",
              "id": "projects/my-project/zones/us-east1-a/instances",
              "items": [
                {
                  "kind": "compute#instance",
                  "id": "9876543210987654321",
                  "name": "db-1",
                  "machineType": "%1$s/machineTypes/n2-standard-4",
                  "status": "TERMINATED",
                  "zone": "%1$s",
                  "networkInterfaces": [
                    {
                      "kind": "compute#networkInterface",
                      "network": "%2$s/global/networks/default",
                      "subnetwork": "%2$s/regions/us-east1/subnetworks/default",
                      "networkIP": "10.142.0.7",
                      "name": "nic0",
                      "accessConfigs": [{"kind": "compute#accessConfig", "type": "DIRECT_IPV6", "name": "v6"}]
                    }
                  ],
                  "metadata": {"kind": "compute#metadata", "fingerprint": "x"},
                  "selfLink": "%1$s/instances/db-1"
                }
              ],
              "selfLink": "%1$s/instances"
            }""".formatted(ZONE_URL, API);

    /** A zone with no (matching) instances: Google leaves {@code items} out. */
    static final String EMPTY = """
            {"kind": "compute#instanceList", "id": "projects/my-project/zones/us-east1-a/instances",
             "selfLink": "%s/instances"}""".formatted(ZONE_URL);

    static String error(int code, String reason, String message) {
        return """
                {"error": {"code": %d, "message": "%s",
                  "errors": [{"message": "%s", "domain": "usageLimits", "reason": "%s"}]}}"""
                .formatted(code, message, message, reason);
    }
}
