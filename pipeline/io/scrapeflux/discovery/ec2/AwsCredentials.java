package io.scrapeflux.discovery.ec2;

import io.scrapeflux.config.Ec2SdConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS credentials and where they come from, in the order of the SDKs' default chain as far as scrapeflux follows it:
 * the config's static keys, then {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (with
 * {@code AWS_SESSION_TOKEN}), then a profile of the shared credentials file. Instance roles (IMDS), container
 * credentials, web identity and SSO are not supported.
 *
 * @param sessionToken null for long-term keys
 */
record AwsCredentials(String accessKeyId, String secretKey, String sessionToken) {

    @Override
    public String toString() {
        return "AwsCredentials[accessKeyId=" + accessKeyId + "]";
    }

    /**
     * Resolves credentials for {@code config}. May read the shared credentials file: call off the event loop.
     *
     * @param env  the process environment (a map in tests)
     * @param home the user's home directory, for {@code ~/.aws/credentials}
     * @throws IOException when no source has credentials, or the credentials file cannot be read
     */
    static AwsCredentials resolve(Ec2SdConfig config, Map<String, String> env, Path home) throws IOException {
        if (config.accessKey() != null && config.secretKey() != null) {
            return new AwsCredentials(config.accessKey(), config.secretKey().reveal(), null);
        }
        String profile = config.profile() != null ? config.profile() : env.get("AWS_PROFILE");
        if (config.profile() == null && notEmpty(env.get("AWS_ACCESS_KEY_ID")) && notEmpty(env.get("AWS_SECRET_ACCESS_KEY"))) {
            String token = env.get("AWS_SESSION_TOKEN");
            return new AwsCredentials(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"),
                    notEmpty(token) ? token : null);
        }
        String fileName = env.get("AWS_SHARED_CREDENTIALS_FILE");
        Path file = notEmpty(fileName) ? Path.of(fileName) : home.resolve(".aws").resolve("credentials");
        String section = notEmpty(profile) ? profile : "default";
        if (!Files.isRegularFile(file)) {
            throw new IOException("no AWS credentials: none in the config, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset"
                    + " and no shared credentials file at " + file);
        }
        Map<String, String> values = profileSection(Files.readAllLines(file), section);
        if (values == null) {
            throw new IOException("no AWS credentials: profile \"" + section + "\" not found in " + file);
        }
        String id = values.get("aws_access_key_id");
        String secret = values.get("aws_secret_access_key");
        if (!notEmpty(id) || !notEmpty(secret)) {
            throw new IOException("no AWS credentials: profile \"" + section + "\" in " + file
                    + " lacks aws_access_key_id or aws_secret_access_key");
        }
        String token = values.get("aws_session_token");
        return new AwsCredentials(id, secret, notEmpty(token) ? token : null);
    }

    /** The {@code key = value} pairs of {@code [name]} in an INI file, or null when the section is absent. */
    static Map<String, String> profileSection(List<String> lines, String name) {
        Map<String, String> out = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                if (out != null) {
                    return out;
                }
                if (line.substring(1, line.length() - 1).strip().equals(name)) {
                    out = new HashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (out != null && eq > 0) {
                out.put(line.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT), line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
