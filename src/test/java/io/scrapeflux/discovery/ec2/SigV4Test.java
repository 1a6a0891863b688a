package io.scrapeflux.discovery.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signer reproduces AWS's published Signature Version 4 example (IAM ListUsers, 2015-08-30T12:36:00Z). */
class SigV4Test {

    private static final AwsCredentials EXAMPLE =
            new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final Instant WHEN = Instant.parse("2015-08-30T12:36:00Z");

    @Test
    void matchesThePublishedExample() {
        Map<String, String> headers = SigV4.sign("GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), new byte[0], EXAMPLE,
                "us-east-1", "iam", WHEN);
        assertThat(headers).containsEntry("X-Amz-Date", "20150830T123600Z")
                .containsEntry("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, "
                        + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
                .doesNotContainKey("X-Amz-Security-Token");
    }

    @Test
    void queryOrderDoesNotChangeTheSignature() {
        Map<String, String> sorted = SigV4.sign("GET", URI.create("https://iam.amazonaws.com/?Version=2010-05-08&Action=ListUsers"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), new byte[0], EXAMPLE,
                "us-east-1", "iam", WHEN);
        assertThat(sorted.get("Authorization")).endsWith("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @Test
    void sessionTokenIsSentAndSigned() {
        Map<String, String> headers = SigV4.sign("POST", URI.create("http://127.0.0.1:8080/"), Map.of(), new byte[0],
                new AwsCredentials("AKID", "secret", "token/1"), "eu-west-1", "ec2", WHEN);
        assertThat(headers).containsEntry("X-Amz-Security-Token", "token/1");
        assertThat(headers.get("Authorization")).contains("SignedHeaders=host;x-amz-date;x-amz-security-token");
    }

    @Test
    void encodesTheRfc3986Way() {
        assertThat(SigV4.encode("aZ09-_.~")).isEqualTo("aZ09-_.~");
        assertThat(SigV4.encode("a b+c/d=*:é")).isEqualTo("a%20b%2Bc%2Fd%3D%2A%3A%C3%A9");
        assertThat(SigV4.canonicalQuery("b=2&a=x%20y&a=1")).isEqualTo("a=1&a=x%20y&b=2");
        assertThat(SigV4.hostHeader(URI.create("https://ec2.us-east-1.amazonaws.com:443/"))).isEqualTo("ec2.us-east-1.amazonaws.com");
        assertThat(SigV4.hostHeader(URI.create("http://127.0.0.1:4566/"))).isEqualTo("127.0.0.1:4566");
    }

    @Test
    void emptyPayloadHash() {
        assertThat(SigV4.hex(SigV4.sha256(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
