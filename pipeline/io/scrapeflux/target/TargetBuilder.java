package io.scrapeflux.target;

import io.scrapeflux.config.LabelNames;
import io.scrapeflux.config.PromDuration;
import io.scrapeflux.config.ScrapeConfig;
import io.scrapeflux.discovery.SourceKey;
import io.scrapeflux.discovery.TargetGroup;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import io.scrapeflux.relabel.GoQuote;
import io.scrapeflux.relabel.RelabelChain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns discovered targets into scrape targets for one job, as Prometheus 3's {@code PopulateLabels} and
 * {@code TargetsFromGroup}: merge group and target labels, add the job's defaults ({@code job},
 * {@code __scheme__}, {@code __metrics_path__}, {@code __scrape_interval__}, {@code __scrape_timeout__},
 * {@code __param_<name>}) where absent, run {@code relabel_configs}, check the address, interval and
 * timeout, then keep the labels not starting with {@code __} and default {@code instance} to the address.
 * No default port is added (Prometheus 3).
 *
 * <p>Compiles the job's relabel rules once; immutable and thread-safe.
 */
public final class TargetBuilder {

    static final String ADDRESS = "__address__";
    static final String SCHEME = "__scheme__";
    static final String METRICS_PATH = "__metrics_path__";
    static final String SCRAPE_INTERVAL = "__scrape_interval__";
    static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
    static final String JOB = "job";
    static final String INSTANCE = "instance";

    private final ScrapeConfig job;
    private final RelabelChain relabel;
    private final String interval;
    private final String timeout;

    public TargetBuilder(ScrapeConfig job) {
        this.job = job;
        this.relabel = RelabelChain.compile(job.relabelConfigs(), job.metricNameValidationScheme());
        this.interval = PromDuration.format(job.scrapeInterval());
        this.timeout = PromDuration.format(job.scrapeTimeout());
    }

    /** One-off form of {@link #build(Labels, Labels)}; compiles the job's rules on every call. */
    public static TargetResult build(ScrapeConfig job, Labels targetLabels, Labels groupLabels) {
        return new TargetBuilder(job).build(targetLabels, groupLabels);
    }

    public ScrapeConfig job() {
        return job;
    }

    /** Parses a target's interval or timeout label; the message is Prometheus's. */
    private static Duration duration(String text, String what) {
        Duration d;
        try {
            d = PromDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("error parsing scrape " + what + ": " + e.getMessage(), e);
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("scrape " + what + " cannot be 0");
        }
        return d;
    }

    /** Builds one target from its own labels and its group's labels (the target's win). */
    public TargetResult build(Labels targetLabels, Labels groupLabels) {
        LabelsBuilder b = discovered(targetLabels, groupLabels);
        Labels discovered = b.build();
        if (!relabel.process(b)) {
            return new TargetResult.Dropped(discovered);
        }
        Labels relabeled = b.build();
        String address = relabeled.get(ADDRESS);
        if (address.isEmpty()) {
            return new TargetResult.Failed(discovered, "no address");
        }
        if (address.indexOf('/') >= 0) {
            return new TargetResult.Failed(discovered, GoQuote.quote(address) + " is not a valid hostname");
        }
        String intervalText = relabeled.get(SCRAPE_INTERVAL);
        String timeoutText = relabeled.get(SCRAPE_TIMEOUT);
        Duration interval;
        Duration timeout;
        try {
            interval = duration(intervalText, "interval");
            timeout = duration(timeoutText, "timeout");
        } catch (IllegalArgumentException e) {
            return new TargetResult.Failed(discovered, e.getMessage());
        }
        if (timeout.compareTo(interval) > 0) {
            return new TargetResult.Failed(discovered, "scrape timeout cannot be greater than scrape interval ("
                    + GoQuote.quote(timeoutText) + " > " + GoQuote.quote(intervalText) + ")");
        }
        for (int i = 0; i < relabeled.size(); i++) {
            if (!LabelNames.isValidValue(relabeled.value(i))) {
                return new TargetResult.Failed(discovered, "invalid label value for " + GoQuote.quote(relabeled.name(i))
                        + ": " + GoQuote.quote(relabeled.value(i)));
            }
        }
        String url = ScrapeUrl.build(relabeled, job.params());
        Target target = new Target(job.jobName(), publicLabels(relabeled, address), discovered, url, interval, timeout);
        return new TargetResult.Active(target);
    }

    /** Builds every target of {@code group}, in order. */
    public List<TargetResult> build(TargetGroup group) {
        List<TargetResult> out = new ArrayList<>(group.targets().size());
        for (Labels t : group.targets()) {
            out.add(build(t, group.labels()));
        }
        return out;
    }

    /**
     * Builds all targets of all {@code groups} into the job's target set: duplicates (same labels and
     * URL) collapse into one active target, dropped targets are kept up to {@code keep_dropped_targets}.
     */
    public TargetSet targetSet(List<TargetGroup> groups) {
        JobTargets job = new JobTargets(this);
        for (int i = 0; i < groups.size(); i++) {
            // keyed by position: two groups may share a source id and both count
            job.put(new SourceKey("", Integer.toString(i)), groups.get(i));
        }
        return job.targetSet();
    }

    private LabelsBuilder discovered(Labels targetLabels, Labels groupLabels) {
        LabelsBuilder b = LabelsBuilder.of(targetLabels);
        for (int i = 0; i < groupLabels.size(); i++) {
            if (!targetLabels.has(groupLabels.name(i))) {
                b.set(groupLabels.name(i), groupLabels.value(i));
            }
        }
        setIfAbsent(b, JOB, job.jobName());
        setIfAbsent(b, SCRAPE_INTERVAL, interval);
        setIfAbsent(b, SCRAPE_TIMEOUT, timeout);
        setIfAbsent(b, METRICS_PATH, job.metricsPath());
        setIfAbsent(b, SCHEME, job.scheme());
        Map<String, List<String>> params = job.params();
        if (params != null) {
            params.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    setIfAbsent(b, ScrapeUrl.PARAM_PREFIX + k, v.get(0));
                }
            });
        }
        return b;
    }

    private static void setIfAbsent(LabelsBuilder b, String name, String value) {
        if (value != null && b.get(name).isEmpty()) {
            b.set(name, value);
        }
    }

    /** The labels a target shows: none starting with {@code __}, and {@code instance} defaulting to the address. */
    private static Labels publicLabels(Labels relabeled, String address) {
        LabelsBuilder b = LabelsBuilder.of(relabeled);
        for (int i = b.size() - 1; i >= 0; i--) {
            if (b.name(i).startsWith("__")) {
                b.removeAt(i);
            }
        }
        if (b.get(INSTANCE).isEmpty()) {
            b.set(INSTANCE, address);
        }
        return b.build();
    }
}
