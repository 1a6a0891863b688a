package io.scrapeflux.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binds one {@code ec2_sd_configs} entry with Prometheus's defaults and checks.
 *
 * <p>Where Prometheus asks the instance metadata service for a missing region, scrapeflux only looks at the
 * {@code AWS_REGION} and {@code AWS_DEFAULT_REGION} environment variables: a block without a region is an error
 * otherwise. Settings Prometheus would accept but scrapeflux could not honour are errors, never ignored.
 */
final class Ec2SdBinder {

    private final HttpClientBinder http;
    private final Map<String, String> env;

    Ec2SdBinder(HttpClientBinder http, Map<String, String> env) {
        this.http = http;
        this.env = env;
    }

    Ec2SdConfig bind(Fields f) {
        Problems p = f.problems();
        String region = f.string("region", "");
        String endpoint = f.string("endpoint", "");
        String accessKey = f.string("access_key", "");
        Secret secretKey = f.secret("secret_key");
        String profile = f.string("profile", "");
        String roleArn = f.string("role_arn", "");
        var refresh = SdConfigBinder.orDefault(f.duration("refresh_interval"), Ec2SdConfig.DEFAULT_REFRESH);
        int port = f.integer("port", Ec2SdConfig.DEFAULT_PORT);
        List<Ec2SdConfig.Filter> filters = filters(f);
        HttpClientConfig client = http.bind(f, HttpClientConfig.DEFAULT);
        f.finish();

        if (region.isEmpty()) {
            region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", ""));
            if (region.isEmpty()) {
                p.add(f.location(), "EC2 SD configuration requires a region (scrapeflux does not ask the instance"
                        + " metadata service; set region or AWS_REGION)");
            }
        }
        if (!endpoint.isEmpty() && UrlCheck.httpProblem(endpoint) != null) {
            f.error("endpoint", UrlCheck.httpProblem(endpoint));
        }
        boolean hasSecret = secretKey != null && !secretKey.isEmpty();
        if (!accessKey.isEmpty() && !hasSecret) {
            p.add(f.keyLocation("access_key"), "access_key requires secret_key");
        } else if (accessKey.isEmpty() && hasSecret) {
            p.add(f.keyLocation("secret_key"), "secret_key requires access_key");
        }
        if (client.basicAuth() != null || client.authorization() != null || client.oauth2() != null) {
            p.add(f.location(), "basic_auth, authorization, bearer_token and oauth2 cannot be used in ec2_sd_configs:"
                    + " requests carry an AWS Signature Version 4 Authorization header");
        }
        return new Ec2SdConfig(region, endpoint.isEmpty() ? null : endpoint, accessKey.isEmpty() ? null : accessKey,
                hasSecret ? secretKey : null, profile.isEmpty() ? null : profile, roleArn.isEmpty() ? null : roleArn,
                refresh, port, filters, client);
    }

    private static List<Ec2SdConfig.Filter> filters(Fields f) {
        List<Ec2SdConfig.Filter> out = new ArrayList<>();
        for (YamlNode item : f.items("filters", "filters: a filter cannot be null")) {
            Fields ff = Fields.of(item, item.location(), "filter", f.problems());
            String name = ff.string("name", "");
            List<String> values = ff.stringList("values");
            ff.finish();
            if (name.isEmpty()) {
                f.problems().add(ff.location(), "EC2 SD configuration filter name cannot be empty");
            }
            if (values == null || values.isEmpty()) {
                f.problems().add(ff.keyLocation("values"), "EC2 SD configuration filter values cannot be empty");
            }
            out.add(new Ec2SdConfig.Filter(name, values == null ? List.of() : values));
        }
        return out;
    }
}
