package io.scrapeflux.web;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A target's {@code globalUrl}: its scrape URL with a loopback host replaced by this machine's host
 * name (keeping the port), so a link still points at the right machine when opened from elsewhere, as
 * Prometheus derives it from its external URL.
 */
final class GlobalUrl {

    private final String externalHost;

    GlobalUrl(String externalHost) {
        this.externalHost = externalHost;
    }

    String of(String scrapeUrl) {
        URI u;
        try {
            u = new URI(scrapeUrl);
        } catch (URISyntaxException e) {
            return scrapeUrl;
        }
        String host = u.getHost();
        if (host == null || !isLoopback(host) || u.getRawAuthority() == null) {
            return scrapeUrl;
        }
        String authority = u.getRawAuthority();
        int hostStart = authority.lastIndexOf('@') + 1;
        int portStart = authority.lastIndexOf(':');
        String port = portStart > hostStart && !authority.endsWith("]") ? authority.substring(portStart) : "";
        String replacedAuthority = authority.substring(0, hostStart) + bracketed(externalHost) + port;
        int at = scrapeUrl.indexOf(authority);
        return scrapeUrl.substring(0, at) + replacedAuthority + scrapeUrl.substring(at + authority.length());
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(h);
        if (ip == null) {
            return false;
        }
        if (ip.length == 4) {
            return ip[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }

    /** This machine's name without a DNS lookup: $HOSTNAME, the kernel's hostname, or "localhost". */
    static String localHostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (Exception e) {
            // not Linux: fall through
        }
        return "localhost";
    }
}
