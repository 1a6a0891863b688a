package io.scrapeflux.discovery.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.config.Ec2SdConfig;
import io.scrapeflux.config.HttpClientConfig;
import io.scrapeflux.config.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credential sources in order: config keys, environment, shared credentials file. */
class AwsCredentialsTest {

    @TempDir
    Path home;

    private static Ec2SdConfig config(String accessKey, String secret, String profile) {
        return new Ec2SdConfig("us-east-1", null, accessKey, Secret.of(secret), profile, null,
                Ec2SdConfig.DEFAULT_REFRESH, 80, List.of(), HttpClientConfig.DEFAULT);
    }

    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "ENVKEY",
            "AWS_SECRET_ACCESS_KEY", "envsecret", "AWS_SESSION_TOKEN", "envtoken");

    private void credentialsFile() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), """
                # comment
                [default]
                aws_access_key_id = DEFAULTKEY
                aws_secret_access_key = defaultsecret

                [ops]
                aws_access_key_id=OPSKEY
                aws_secret_access_key=opssecret
                aws_session_token=opstoken
                """);
    }

    @Test
    void configKeysWinOverEverything() throws IOException {
        assertThat(AwsCredentials.resolve(config("CFGKEY", "cfgsecret", null), ENV, home))
                .isEqualTo(new AwsCredentials("CFGKEY", "cfgsecret", null));
    }

    @Test
    void environmentComesNext() throws IOException {
        credentialsFile();
        assertThat(AwsCredentials.resolve(config(null, null, null), ENV, home))
                .isEqualTo(new AwsCredentials("ENVKEY", "envsecret", "envtoken"));
    }

    @Test
    void namedProfileFromTheSharedFile() throws IOException {
        credentialsFile();
        assertThat(AwsCredentials.resolve(config(null, null, "ops"), ENV, home))
                .isEqualTo(new AwsCredentials("OPSKEY", "opssecret", "opstoken"));
        assertThat(AwsCredentials.resolve(config(null, null, null), Map.of(), home))
                .isEqualTo(new AwsCredentials("DEFAULTKEY", "defaultsecret", null));
        assertThat(AwsCredentials.resolve(config(null, null, null), Map.of("AWS_PROFILE", "ops"), home).accessKeyId())
                .isEqualTo("OPSKEY");
    }

    @Test
    void missingCredentialsAreAClearError() throws IOException {
        assertThatThrownBy(() -> AwsCredentials.resolve(config(null, null, null), Map.of(), home))
                .isInstanceOf(IOException.class).hasMessageContaining("no AWS credentials");
        credentialsFile();
        assertThatThrownBy(() -> AwsCredentials.resolve(config(null, null, "nope"), Map.of(), home))
                .hasMessageContaining("profile \"nope\" not found");
        assertThat(new AwsCredentials("K", "secret", null).toString()).doesNotContain("secret");
    }
}
