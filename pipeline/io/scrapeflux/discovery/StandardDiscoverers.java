package io.scrapeflux.discovery;

import io.scrapeflux.discovery.azure.AzureDiscoverer;
import io.scrapeflux.discovery.dns.DnsDiscoverer;
import io.scrapeflux.discovery.ec2.Ec2Discoverer;
import io.scrapeflux.discovery.file.FileDiscoverer;
import io.scrapeflux.discovery.gce.GceDiscoverer;
import io.scrapeflux.discovery.http.HttpDiscoverer;
import java.util.List;

/** The mechanisms of this stage with their production settings; add later ones with {@link DiscovererRegistry#with}. */
public final class StandardDiscoverers {

    private StandardDiscoverers() {
    }

    /** static, file, http, dns and the public-cloud discoveries. */
    public static DiscovererRegistry registry() {
        return new DiscovererRegistry(List.of(new StaticDiscoverer.Factory(), new FileDiscoverer.Factory(),
                new HttpDiscoverer.Factory(), new DnsDiscoverer.Factory(),
                new GceDiscoverer.Factory(),
                new AzureDiscoverer.Factory(),
                new Ec2Discoverer.Factory()));
    }
}
