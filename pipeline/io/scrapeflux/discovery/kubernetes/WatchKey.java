package io.scrapeflux.discovery.kubernetes;

/**
 * What makes two jobs' watches the same watch: the connection (API server and credentials), the resource,
 * the namespace ("" = all) and the label and field selectors sent to the API server.
 */
record WatchKey(ClientKey client, ResourceKind kind, String namespace, String labelSelector, String fieldSelector) {

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "{server=" + client.describe() + ", namespace="
                + (namespace.isEmpty() ? "<all>" : namespace) + ", label=" + labelSelector + ", field=" + fieldSelector
                + "}";
    }
}
