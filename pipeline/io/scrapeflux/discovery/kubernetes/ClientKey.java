package io.scrapeflux.discovery.kubernetes;

import io.scrapeflux.config.HttpClientConfig;

/** The connection part of a {@code kubernetes_sd_config}: equal keys share one fabric8 client. */
record ClientKey(String apiServer, String kubeconfigFile, HttpClientConfig http) {

    String describe() {
        if (apiServer != null) {
            return apiServer;
        }
        return kubeconfigFile != null ? "kubeconfig:" + kubeconfigFile : "in-cluster";
    }
}
