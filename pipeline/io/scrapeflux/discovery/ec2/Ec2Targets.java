package io.scrapeflux.discovery.ec2;

import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns EC2 instances into Prometheus's {@code __meta_ec2_*} target labels. Instances without a private IP have no
 * address and are left out. List-valued labels are joined with {@code ,} and carry a leading and trailing {@code ,}
 * so relabel regexes can match {@code .*,value,.*}.
 */
final class Ec2Targets {

    static final String PREFIX = "__meta_ec2_";
    private static final String SEP = ",";
    private static final Pattern INVALID_LABEL_CHARS = Pattern.compile("[^a-zA-Z0-9_]");

    private Ec2Targets() {
    }

    /** The one group of a region: source is the region name. */
    static TargetGroup group(String region, int port, List<Ec2Xml.Instance> instances, Map<String, String> zoneIds) {
        List<Labels> targets = new ArrayList<>(instances.size());
        for (Ec2Xml.Instance i : instances) {
            if (i.privateIp() != null) {
                targets.add(labels(region, port, i, zoneIds));
            }
        }
        return new TargetGroup(region, targets, Labels.EMPTY);
    }

    static Labels labels(String region, int port, Ec2Xml.Instance i, Map<String, String> zoneIds) {
        LabelsBuilder b = Labels.builder();
        b.set("__address__", joinHostPort(i.privateIp(), port));
        b.set(PREFIX + "instance_id", i.instanceId());
        b.set(PREFIX + "region", region);
        b.set(PREFIX + "owner_id", i.ownerId());
        b.set(PREFIX + "private_ip", i.privateIp());
        b.set(PREFIX + "private_dns_name", i.privateDnsName());
        b.set(PREFIX + "platform", i.platform());
        if (i.publicIp() != null) {
            b.set(PREFIX + "public_ip", i.publicIp());
            b.set(PREFIX + "public_dns_name", i.publicDnsName());
        }
        b.set(PREFIX + "ami", i.imageId());
        b.set(PREFIX + "availability_zone", i.availabilityZone());
        b.set(PREFIX + "availability_zone_id", i.availabilityZone() == null ? null : zoneIds.get(i.availabilityZone()));
        b.set(PREFIX + "instance_state", i.state());
        b.set(PREFIX + "instance_type", i.instanceType());
        b.set(PREFIX + "instance_lifecycle", i.lifecycle());
        b.set(PREFIX + "architecture", i.architecture());
        if (i.vpcId() != null) {
            networkLabels(b, i);
        }
        i.tags().forEach((k, v) -> b.set(PREFIX + "tag_" + INVALID_LABEL_CHARS.matcher(k).replaceAll("_"), v));
        return b.build();
    }

    /** VPC instances: subnets of all interfaces (first occurrence order), their IPv6 addresses, and the primary IPv6
     * address of each interface at the position of its device index (gaps stay empty). */
    private static void networkLabels(LabelsBuilder b, Ec2Xml.Instance i) {
        b.set(PREFIX + "vpc_id", i.vpcId());
        b.set(PREFIX + "primary_subnet_id", i.subnetId());
        LinkedHashSet<String> subnets = new LinkedHashSet<>();
        List<String> ipv6 = new ArrayList<>();
        List<String> primaryIpv6 = new ArrayList<>();
        for (Ec2Xml.NetworkInterface eni : i.networkInterfaces()) {
            if (eni.subnetId() == null) {
                continue;
            }
            subnets.add(eni.subnetId());
            for (Ec2Xml.Ipv6 a : eni.ipv6Addresses()) {
                if (a.address() == null) {
                    continue;
                }
                ipv6.add(a.address());
                Integer index = eni.deviceIndex();
                if (a.primary() && index != null && index >= 0) {
                    while (primaryIpv6.size() <= index) {
                        primaryIpv6.add("");
                    }
                    primaryIpv6.set(index, a.address());
                }
            }
        }
        b.set(PREFIX + "subnet_id", SEP + String.join(SEP, subnets) + SEP);
        if (!ipv6.isEmpty()) {
            b.set(PREFIX + "ipv6_addresses", SEP + String.join(SEP, ipv6) + SEP);
        }
        if (!primaryIpv6.isEmpty()) {
            b.set(PREFIX + "primary_ipv6_addresses", SEP + String.join(SEP, primaryIpv6) + SEP);
        }
    }

    /** Go's {@code net.JoinHostPort}: IPv6 hosts get brackets. */
    private static String joinHostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
