package io.scrapeflux.discovery.kubernetes;

import java.util.Locale;
import java.util.Optional;

/** The {@code role} of a {@code kubernetes_sd_config}: which kind of object becomes a target group. */
public enum KubernetesRole {
    POD("pod"), NODE("node"), SERVICE("service"), ENDPOINTS("endpoints"), ENDPOINTSLICE("endpointslice"),
    INGRESS("ingress");

    private final String configName;

    KubernetesRole(String configName) {
        this.configName = configName;
    }

    /** The name as written in {@code role:}. */
    public String configName() {
        return configName;
    }

    /** The role for a config name (exact, as Prometheus: roles are lower case), or empty. */
    public static Optional<KubernetesRole> fromConfig(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (KubernetesRole r : values()) {
            if (r.configName.equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
