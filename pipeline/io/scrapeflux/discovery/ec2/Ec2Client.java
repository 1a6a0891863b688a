package io.scrapeflux.discovery.ec2;

import io.scrapeflux.config.Ec2SdConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** The two EC2 calls discovery needs: {@code DescribeInstances} (all pages) and {@code DescribeAvailabilityZones}. */
final class Ec2Client {

    static final String API_VERSION = "2016-11-15";

    private final AwsQueryClient api;

    Ec2Client(AwsQueryClient api) {
        this.api = api;
    }

    /** AWS's public endpoint of the region unless the config overrides it. */
    static URI endpoint(Ec2SdConfig config) {
        return config.endpoint() != null ? URI.create(config.endpoint())
                : AwsQueryClient.publicEndpoint("ec2", config.region());
    }

    /** Every instance matching {@code filters}, following {@code NextToken} until the last page. */
    Mono<List<Ec2Xml.Instance>> describeInstances(AwsCredentials credentials, List<Ec2SdConfig.Filter> filters) {
        return instancesPage(credentials, filters, null)
                .expand(page -> page.nextToken() == null ? Mono.empty()
                        : instancesPage(credentials, filters, page.nextToken())
                                // A service repeating its token would page forever; the SDKs stop there too.
                                .map(next -> page.nextToken().equals(next.nextToken())
                                        ? new Ec2Xml.InstancesPage(next.instances(), null) : next))
                .concatMapIterable(Ec2Xml.InstancesPage::instances)
                .collectList();
    }

    /** Zone name to zone id of the region. */
    Mono<Map<String, String>> describeAvailabilityZones(AwsCredentials credentials) {
        return api.call("DescribeAvailabilityZones", credentials,
                "Action=DescribeAvailabilityZones&Version=" + API_VERSION, Ec2Xml::zoneIds);
    }

    private Mono<Ec2Xml.InstancesPage> instancesPage(AwsCredentials credentials, List<Ec2SdConfig.Filter> filters,
                                                     String token) {
        return api.call("DescribeInstances", credentials, describeInstancesForm(filters, token), Ec2Xml::instancesPage);
    }

    /** The form body: {@code Filter.N.Name}, {@code Filter.N.Value.M} (1-based) and the paging token. */
    static String describeInstancesForm(List<Ec2SdConfig.Filter> filters, String token) {
        StringBuilder form = new StringBuilder("Action=DescribeInstances&Version=" + API_VERSION);
        for (int n = 0; n < filters.size(); n++) {
            Ec2SdConfig.Filter f = filters.get(n);
            form.append("&Filter.").append(n + 1).append(".Name=").append(SigV4.encode(f.name()));
            for (int m = 0; m < f.values().size(); m++) {
                form.append("&Filter.").append(n + 1).append(".Value.").append(m + 1).append('=')
                        .append(SigV4.encode(f.values().get(m)));
            }
        }
        if (token != null) {
            form.append("&NextToken=").append(SigV4.encode(token));
        }
        return form.toString();
    }
}
