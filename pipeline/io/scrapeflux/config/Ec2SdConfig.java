package io.scrapeflux.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code ec2_sd_configs}: lists the instances of one AWS region with EC2's {@code DescribeInstances}.
 *
 * @param region          the AWS region (from the block, else {@code AWS_REGION}/{@code AWS_DEFAULT_REGION})
 * @param endpoint        the EC2 API base URL; null means AWS's public endpoint of {@code region}
 * @param accessKey       static access key id, or null for the credential chain
 * @param secretKey       the secret of {@code accessKey}, or null
 * @param profile         the shared-credentials profile to read, or null
 * @param roleArn         a role to assume with STS, or null
 * @param refreshInterval time between two listings
 * @param port            the port put into {@code __address__}
 * @param filters         EC2 API filters sent with every listing
 * @param http            TLS, proxy and redirect settings of the API client
 */
public record Ec2SdConfig(String region, String endpoint, String accessKey, Secret secretKey, String profile,
                          String roleArn, Duration refreshInterval, int port, List<Filter> filters,
                          HttpClientConfig http) implements SdConfig {

    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(60);
    public static final int DEFAULT_PORT = 80;

    public Ec2SdConfig {
        filters = List.copyOf(filters);
    }

    @Override
    public String mechanism() {
        return "ec2";
    }

    /** One EC2 API filter: instances match when the named attribute equals any of {@code values}. */
    public record Filter(String name, List<String> values) {
        public Filter {
            values = List.copyOf(values);
        }
    }
}
