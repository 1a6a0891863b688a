package io.scrapeflux.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Prometheus's web configuration file ({@code --web.config.file}, the exporter-toolkit format): TLS for
 * the listener, basic-auth users with bcrypt hashes and extra response headers. Loading is strict:
 * unknown fields and settings scrapeflux does not implement are errors, never ignored.
 *
 * @param tls             null serves plain HTTP
 * @param basicAuthUsers  user name to bcrypt hash; empty disables authentication
 * @param headers         added to every response
 */
public record WebConfig(Tls tls, Map<String, String> basicAuthUsers, Map<String, String> headers) {

    public static final WebConfig NONE = new WebConfig(null, Map.of(), Map.of());

    public WebConfig {
        basicAuthUsers = Map.copyOf(basicAuthUsers);
        headers = Map.copyOf(headers);
    }

    /** How clients authenticate with certificates, by the exporter-toolkit names. */
    public enum ClientAuth { NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven,
        RequireAndVerifyClientCert }

    /**
     * @param certFile     server certificate chain (PEM)
     * @param keyFile      its private key (PEM, PKCS#8)
     * @param clientAuth   client certificate policy
     * @param clientCaFile CAs that verify client certificates; null when none
     * @param protocols    enabled TLS protocols, from {@code min_version} to {@code max_version}
     */
    public record Tls(Path certFile, Path keyFile, ClientAuth clientAuth, Path clientCaFile, List<String> protocols) {
        public Tls {
            protocols = List.copyOf(protocols);
        }
    }

    private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final List<String> JDK_PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users");
    private static final Set<String> TLS_FIELDS = Set.of("cert_file", "key_file", "client_auth_type",
            "client_ca_file", "min_version", "max_version");
    /** Known to exporter-toolkit but not implemented here: rejected by name so nobody relies on them silently. */
    private static final Set<String> TLS_UNSUPPORTED = Set.of("cert", "key", "client_ca", "cipher_suites",
            "curve_preferences", "prefer_server_cipher_suites", "client_allowed_sans");
    private static final Set<String> HTTP_FIELDS = Set.of("http2", "headers");

    /** Reads and validates a web config file; relative paths in it resolve against its directory. */
    public static WebConfig load(Path file) throws WebConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new WebConfigException(file + ": cannot read web config: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        try {
            return parse(text, dir);
        } catch (WebConfigException e) {
            throw new WebConfigException(file + ": " + e.getMessage());
        }
    }

    /** Parses web config YAML; {@code dir} resolves relative file names. */
    public static WebConfig parse(String yaml, Path dir) throws WebConfigException {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JacksonException e) {
            throw new WebConfigException("invalid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return NONE;
        }
        requireObject(root, "web config");
        checkFields(root, TOP, Set.of(), "web config");
        Tls tls = tls(root.get("tls_server_config"), dir);
        Map<String, String> users = stringMap(root.get("basic_auth_users"), "basic_auth_users");
        for (Map.Entry<String, String> u : users.entrySet()) {
            if (!u.getValue().matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                throw new WebConfigException("basic_auth_users: password of user \"" + u.getKey()
                        + "\" is not a bcrypt hash");
            }
        }
        Map<String, String> headers = Map.of();
        JsonNode http = root.get("http_server_config");
        if (http != null && !http.isNull()) {
            requireObject(http, "http_server_config");
            checkFields(http, HTTP_FIELDS, Set.of(), "http_server_config");
            JsonNode h2 = http.get("http2");
            if (h2 != null && !h2.isNull() && !h2.isBoolean()) {
                throw new WebConfigException("http_server_config.http2 must be true or false");
            }
            headers = stringMap(http.get("headers"), "http_server_config.headers");
        }
        return new WebConfig(tls, users, headers);
    }

    private static Tls tls(JsonNode node, Path dir) throws WebConfigException {
        if (node == null || node.isNull()) {
            return null;
        }
        requireObject(node, "tls_server_config");
        checkFields(node, TLS_FIELDS, TLS_UNSUPPORTED, "tls_server_config");
        String cert = text(node, "cert_file");
        String key = text(node, "key_file");
        if (cert.isEmpty() && key.isEmpty() && node.size() == 0) {
            return null;
        }
        if (cert.isEmpty()) {
            throw new WebConfigException("tls_server_config: missing cert_file");
        }
        if (key.isEmpty()) {
            throw new WebConfigException("tls_server_config: missing key_file");
        }
        String authText = text(node, "client_auth_type");
        ClientAuth auth;
        try {
            auth = authText.isEmpty() ? ClientAuth.NoClientCert : ClientAuth.valueOf(authText);
        } catch (IllegalArgumentException e) {
            throw new WebConfigException("tls_server_config: invalid client_auth_type \"" + authText + "\"");
        }
        String ca = text(node, "client_ca_file");
        if (!ca.isEmpty() && auth == ClientAuth.NoClientCert) {
            throw new WebConfigException("tls_server_config: client_ca_file is set but client_auth_type is NoClientCert");
        }
        if (ca.isEmpty() && (auth == ClientAuth.RequireAndVerifyClientCert || auth == ClientAuth.VerifyClientCertIfGiven)) {
            throw new WebConfigException("tls_server_config: client_auth_type " + auth + " needs client_ca_file");
        }
        int min = version(node, "min_version", "TLS12");
        int max = version(node, "max_version", "TLS13");
        if (min > max) {
            throw new WebConfigException("tls_server_config: min_version is above max_version");
        }
        return new Tls(dir.resolve(cert), dir.resolve(key), auth, ca.isEmpty() ? null : dir.resolve(ca),
                JDK_PROTOCOLS.subList(min, max + 1));
    }

    private static int version(JsonNode node, String field, String dflt) throws WebConfigException {
        String v = text(node, field);
        int i = VERSIONS.indexOf(v.isEmpty() ? dflt : v);
        if (i < 0) {
            throw new WebConfigException("tls_server_config: unknown TLS version \"" + v + "\" for " + field
                    + " (want one of " + VERSIONS + ")");
        }
        return i;
    }

    private static void requireObject(JsonNode node, String where) throws WebConfigException {
        if (!node.isObject()) {
            throw new WebConfigException(where + " must be a mapping");
        }
    }

    private static void checkFields(JsonNode node, Set<String> known, Set<String> unsupported, String where)
            throws WebConfigException {
        for (Iterator<String> it = node.propertyNames().iterator(); it.hasNext(); ) {
            String name = it.next();
            if (unsupported.contains(name)) {
                throw new WebConfigException(where + "." + name + " is not supported by scrapeflux");
            }
            if (!known.contains(name)) {
                throw new WebConfigException("field " + name + " not found in " + where);
            }
        }
    }

    private static String text(JsonNode node, String field) throws WebConfigException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isValueNode() || v.isBoolean()) {
            throw new WebConfigException(field + " must be a string");
        }
        return v.asString();
    }

    private static Map<String, String> stringMap(JsonNode node, String where) throws WebConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        requireObject(node, where);
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw new WebConfigException(where + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }
}
