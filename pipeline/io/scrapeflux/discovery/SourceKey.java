package io.scrapeflux.discovery;

/**
 * Identity of a target group inside one job: the provider that found it plus the discoverer's own source id.
 * Two providers of one job may both use source {@code "0"}; the provider keeps them apart.
 *
 * @param provider the running discoverer's name, as Prometheus's {@code <mechanism>/<n>} ({@code file/0})
 * @param source   {@link TargetGroup#source()}
 */
public record SourceKey(String provider, String source) {

    @Override
    public String toString() {
        return provider + "/" + source;
    }
}
