package io.scrapeflux.discovery.ec2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads the EC2 Query API's XML responses ({@code DescribeInstances}, {@code DescribeAvailabilityZones}, errors).
 * Every list in them is a wrapper element of {@code <item>}s, and names like {@code subnetId} occur at several depths,
 * so reads go child by child from the root. An absent element reads as null, an empty one as "" (as the AWS SDKs do).
 * Parsing is CPU work on a whole body: call it off the event loop.
 */
final class Ec2Xml {

    private Ec2Xml() {
    }

    /** One network interface of an instance. {@code deviceIndex} is null when the interface is not attached. */
    record NetworkInterface(String subnetId, Integer deviceIndex, List<Ipv6> ipv6Addresses) {
    }

    record Ipv6(String address, boolean primary) {
    }

    /** The fields of one instance that discovery uses; nulls for absent elements. */
    record Instance(String ownerId, String instanceId, String imageId, String state, String instanceType,
                    String availabilityZone, String privateIp, String privateDnsName, String publicIp,
                    String publicDnsName, String platform, String architecture, String lifecycle, String vpcId,
                    String subnetId, List<NetworkInterface> networkInterfaces, Map<String, String> tags) {
    }

    /** One page of {@code DescribeInstances}; {@code nextToken} is null on the last page. */
    record InstancesPage(List<Instance> instances, String nextToken) {
    }

    static InstancesPage instancesPage(byte[] body) throws IOException {
        Element root = parse(body);
        List<Instance> out = new ArrayList<>();
        for (Element reservation : items(child(root, "reservationSet"))) {
            String owner = text(reservation, "ownerId");
            for (Element i : items(child(reservation, "instancesSet"))) {
                out.add(new Instance(owner, text(i, "instanceId"), text(i, "imageId"),
                        text(child(i, "instanceState"), "name"), text(i, "instanceType"),
                        text(child(i, "placement"), "availabilityZone"), text(i, "privateIpAddress"),
                        text(i, "privateDnsName"), text(i, "ipAddress"), text(i, "dnsName"), text(i, "platform"),
                        text(i, "architecture"), text(i, "instanceLifecycle"), text(i, "vpcId"), text(i, "subnetId"),
                        networkInterfaces(child(i, "networkInterfaceSet")), tags(child(i, "tagSet"))));
            }
        }
        String token = text(root, "nextToken");
        return new InstancesPage(out, token == null || token.isEmpty() ? null : token);
    }

    /** {@code DescribeAvailabilityZones}: zone name to zone id (e.g. eu-west-2a to euw2-az2). */
    static Map<String, String> zoneIds(byte[] body) throws IOException {
        Element root = parse(body);
        Map<String, String> out = new LinkedHashMap<>();
        for (Element zone : items(child(root, "availabilityZoneInfo"))) {
            String name = text(zone, "zoneName");
            String id = text(zone, "zoneId");
            if (name != null && id != null) {
                out.put(name, id);
            }
        }
        return out;
    }

    /** STS {@code AssumeRole}: the role's temporary credentials. */
    static AssumeRole.Session assumeRole(byte[] body) throws IOException {
        Element c = child(child(parse(body), "AssumeRoleResult"), "Credentials");
        String id = text(c, "AccessKeyId");
        String secret = text(c, "SecretAccessKey");
        String token = text(c, "SessionToken");
        String expiration = text(c, "Expiration");
        if (id == null || secret == null || token == null || expiration == null) {
            throw new IOException("sts AssumeRole: response lacks credentials");
        }
        try {
            return new AssumeRole.Session(new AwsCredentials(id, secret, token), java.time.Instant.parse(expiration));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("sts AssumeRole: invalid Expiration \"" + expiration + "\"", e);
        }
    }

    /** The first {@code Code} and {@code Message} of an error response, or nulls when the body is not one. */
    static String[] error(byte[] body) {
        try {
            Element root = parse(body);
            var codes = root.getElementsByTagName("Code");
            var messages = root.getElementsByTagName("Message");
            return new String[] {codes.getLength() > 0 ? codes.item(0).getTextContent().strip() : null,
                    messages.getLength() > 0 ? messages.item(0).getTextContent().strip() : null};
        } catch (IOException e) {
            return new String[] {null, null};
        }
    }

    private static List<NetworkInterface> networkInterfaces(Element set) {
        List<NetworkInterface> out = new ArrayList<>();
        for (Element eni : items(set)) {
            String index = text(child(eni, "attachment"), "deviceIndex");
            List<Ipv6> ipv6 = new ArrayList<>();
            for (Element a : items(child(eni, "ipv6AddressesSet"))) {
                ipv6.add(new Ipv6(text(a, "ipv6Address"), "true".equals(text(a, "isPrimaryIpv6"))));
            }
            Integer deviceIndex = null;
            if (index != null && !index.isEmpty()) {
                try {
                    deviceIndex = Integer.valueOf(index);
                } catch (NumberFormatException e) {
                    deviceIndex = null;
                }
            }
            out.add(new NetworkInterface(text(eni, "subnetId"), deviceIndex, ipv6));
        }
        return out;
    }

    private static Map<String, String> tags(Element set) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element tag : items(set)) {
            String key = text(tag, "key");
            String value = text(tag, "value");
            if (key != null && value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static Element parse(byte[] body) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // API responses never need a DTD; refusing one closes the door on entity expansion and external fetches.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            // The default handler also prints to stderr; the exception alone is reported.
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            Document doc = b.parse(new ByteArrayInputStream(body));
            return doc.getDocumentElement();
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException("invalid EC2 API XML: " + e.getMessage(), e);
        }
    }

    /** The direct child element {@code name} of {@code parent}; null when absent (or parent is null). */
    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(localName(e))) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> items(Element set) {
        List<Element> out = new ArrayList<>();
        if (set == null) {
            return out;
        }
        for (Node n = set.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "item".equals(localName(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static String localName(Element e) {
        String n = e.getTagName();
        int colon = n.indexOf(':');
        return colon < 0 ? n : n.substring(colon + 1);
    }
}
