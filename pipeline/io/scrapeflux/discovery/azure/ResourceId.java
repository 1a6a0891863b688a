package io.scrapeflux.discovery.azure;

/**
 * The parts of an Azure resource id ({@code /subscriptions/<s>/resourceGroups/<rg>/providers/<ns>/<type>/<name>...})
 * that discovery needs.
 */
record ResourceId(String resourceGroup, String name) {

    /** @throws IllegalArgumentException when {@code id} is no resource id of a resource group */
    static ResourceId parse(String id) {
        String[] parts = id.split("/");
        if (parts.length < 5 || !parts[0].isEmpty() || !parts[1].equalsIgnoreCase("subscriptions")) {
            throw new IllegalArgumentException("invalid ID '" + id + "': not a resource id");
        }
        for (int i = 3; i + 1 < parts.length; i += 2) {
            if (parts[i].equalsIgnoreCase("resourceGroups")) {
                return new ResourceId(parts[i + 1], parts[parts.length - 1]);
            }
        }
        throw new IllegalArgumentException("invalid ID '" + id + "': no resource group");
    }
}
