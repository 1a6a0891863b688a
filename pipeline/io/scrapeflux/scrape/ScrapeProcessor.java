package io.scrapeflux.scrape;

import io.scrapeflux.config.Limits;
import io.scrapeflux.exposition.ExpositionException;
import io.scrapeflux.exposition.ExpositionParser;
import io.scrapeflux.exposition.ExpositionParsers;
import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import io.scrapeflux.model.StaleNaN;
import io.scrapeflux.relabel.GoQuote;
import io.scrapeflux.target.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns one scrape body of one target into a {@link ScrapeBatch}, with Prometheus 3's per-scrape
 * semantics: target labels merged (honor_labels), metric relabeling, timestamps (honor_timestamps),
 * label and sample limits, staleness markers for vanished series and after failures, and the report
 * series ({@code up}, {@code scrape_duration_seconds}, ...).
 *
 * <p>The series cache makes a steady-state scrape a loop of lookup-and-copy: no label decoding, no
 * relabeling, no allocation per sample; only the batch's three column arrays are new. Confined to its
 * loop (the loop's lock guards it); not thread-safe.
 */
final class ScrapeProcessor {

    private static final String EXPORTED_PREFIX = "exported_";
    private static final String RESERVED_PREFIX = "__";

    private static final String[] REPORT_NAMES = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added"};
    private static final String[] EXTRA_REPORT_NAMES = {"scrape_timeout_seconds", "scrape_sample_limit",
        "scrape_body_size_bytes"};

    private final Target target;
    private final LoopSettings settings;
    private final ParserFactory parsers;
    private final SeriesCache cache;
    private final ScrapeMetrics metrics;
    private final Labels[] reportLabels;
    private final double timeoutSeconds;
    private final LabelsBuilder builder = Labels.builder();

    private ExpositionParser parser;
    private String parserContentType;

    // Series emitted by the previous and the current scrape, for staleness; swapped after each scrape.
    private SeriesCache.Entry[] previous = new SeriesCache.Entry[16];
    private int previousCount;
    private SeriesCache.Entry[] current = new SeriesCache.Entry[16];
    private int currentCount;
    private boolean reportEmitted;
    // Series of a predecessor loop (config reload) that this loop has not yet proven alive.
    private Labels[] inherited;

    // Columns of the batch being built.
    private Labels[] outLabels;
    private double[] outValues;
    private long[] outTimestamps;
    private int outCount;

    ScrapeProcessor(Target target, LoopSettings settings, ParserFactory parsers, ScrapeMetrics metrics,
            int cacheMaxEntries) {
        this.target = target;
        this.settings = settings;
        this.parsers = parsers;
        this.metrics = metrics;
        this.cache = new SeriesCache(cacheMaxEntries);
        this.timeoutSeconds = target.timeout().toNanos() / 1e9;
        int reports = REPORT_NAMES.length + (settings.extraScrapeMetrics() ? EXTRA_REPORT_NAMES.length : 0);
        this.reportLabels = new Labels[reports];
        for (int i = 0; i < reports; i++) {
            String name = i < REPORT_NAMES.length ? REPORT_NAMES[i] : EXTRA_REPORT_NAMES[i - REPORT_NAMES.length];
            reportLabels[i] = reportSeriesLabels(target.labels(), name);
        }
    }

    /** Adopts the series a predecessor emitted last, so those that do not come back get staleness markers. */
    void inherit(Labels[] lastSeries) {
        this.inherited = lastSeries.length == 0 ? null : lastSeries;
    }

    /** Final labels of everything this processor emitted in its last scrape (report series included). */
    Labels[] lastSeries() {
        int n = previousCount + (reportEmitted ? reportLabels.length : 0);
        Labels[] out = new Labels[n];
        for (int i = 0; i < previousCount; i++) {
            out[i] = previous[i].labels;
        }
        if (reportEmitted) {
            System.arraycopy(reportLabels, 0, out, previousCount, reportLabels.length);
        }
        return out;
    }

    int cacheSize() {
        return cache.size();
    }

    /**
     * Processes a fetched body.
     *
     * @throws ScrapeFailure when the body cannot be parsed or breaks a limit; the caller then calls
     *                       {@link #failure} with the counts in {@link #lastCounts}
     */
    ScrapeBatch success(byte[] body, int length, String contentType, long timestampMs, double durationSeconds,
            int bodyBytes) {
        long iter = cache.beginScrape();
        startColumns(previousCount + reportLabels.length + 16);
        currentCount = 0;
        total = 0;
        added = 0;
        seriesAdded = 0;
        ScrapeFailure failure = null;
        try {
            ExpositionParser p = parserFor(contentType);
            p.reset(body, 0, length);
            failure = appendSamples(p, iter, timestampMs);
        } catch (ExpositionException e) {
            failure = new ScrapeFailure(e.getMessage());
        }
        if (failure != null) {
            cache.endScrape(false);
            throw failure;
        }
        appendVanished(iter, timestampMs);
        appendInheritedVanished(timestampMs);
        appendReport(timestampMs, 1, durationSeconds, bodyBytes);
        swapSeries();
        if (cache.endScrape(true)) {
            metrics.cacheFlushForced.increment();
        }
        return finishBatch(timestampMs);
    }

    // Counts of the last success attempt, reported even when it failed (as Prometheus does).
    private int total;
    private int added;
    private int seriesAdded;

    /** A failed scrape: staleness markers for everything emitted last time, report series with up=0. */
    ScrapeBatch failure(long timestampMs, double durationSeconds, int bodyBytes, boolean countsFromAttempt) {
        if (!countsFromAttempt) {
            total = 0;
            added = 0;
            seriesAdded = 0;
            if (cache.endScrape(false)) {
                metrics.cacheFlushForced.increment();
            }
        }
        startColumns(previousCount + reportLabels.length + 1);
        for (int i = 0; i < previousCount; i++) {
            append(previous[i].labels, StaleNaN.VALUE, timestampMs);
            previous[i] = null;
        }
        previousCount = 0;
        currentCount = 0;
        appendAllInherited(timestampMs);
        appendReport(timestampMs, 0, durationSeconds, bodyBytes);
        return finishBatch(timestampMs);
    }

    /** The loop stops for good: staleness markers for every series it emitted last, report series included. */
    ScrapeBatch endOfRun(long timestampMs) {
        startColumns(previousCount + reportLabels.length + 1);
        for (int i = 0; i < previousCount; i++) {
            append(previous[i].labels, StaleNaN.VALUE, timestampMs);
            previous[i] = null;
        }
        previousCount = 0;
        appendAllInherited(timestampMs);
        if (reportEmitted) {
            for (Labels l : reportLabels) {
                append(l, StaleNaN.VALUE, timestampMs);
            }
            reportEmitted = false;
        }
        return finishBatch(timestampMs);
    }

    private ScrapeFailure appendSamples(ExpositionParser p, long iter, long timestampMs) throws ExpositionException {
        long sampleLimit = settings.limits().sampleLimit();
        ScrapeFailure failure = null;
        ExpositionParsers.Format format = p.format();
        ExpositionParser.Entry kind;
        while ((kind = p.next()) != ExpositionParser.Entry.EOF) {
            if (kind != ExpositionParser.Entry.SERIES) {
                continue;
            }
            total++;
            if (failure != null) {
                p.checkSeries(); // keep counting samples for scrape_samples_scraped; a malformed one still fails
                continue;
            }
            byte[] buf = p.buffer();
            int off = p.seriesOffset();
            int len = p.seriesLength();
            long hash = p.seriesHash();
            SeriesCache.Entry e = cache.get(buf, off, len, hash);
            if (e == null) {
                Labels prepared = prepare(p);
                if (prepared != null) {
                    String limitError = verifyLabelLimits(prepared, settings.limits());
                    if (limitError != null) {
                        metrics.exceededLabelLimits.increment();
                        failure = new ScrapeFailure(ScrapeFailure.Kind.LABEL_LIMIT, limitError);
                        continue;
                    }
                    seriesAdded++;
                }
                e = cache.put(buf, off, len, hash, prepared);
                e.checkedFormat = format;
            } else {
                if (e.checkedFormat != format) {
                    p.checkSeries(); // the target changed its format since the key was checked
                    e.checkedFormat = format;
                }
                if (e.lastSeen == iter) {
                    metrics.duplicateSamples.increment();
                    continue;
                }
                e.lastSeen = iter;
            }
            if (e.dropped()) {
                continue;
            }
            added++;
            if (sampleLimit > 0 && added > sampleLimit) {
                metrics.exceededSampleLimit.increment();
                failure = new ScrapeFailure(ScrapeFailure.Kind.SAMPLE_LIMIT, "sample limit exceeded");
                continue;
            }
            boolean explicitTimestamp = settings.honorTimestamps() && p.hasTimestamp();
            append(e.labels, p.value(), explicitTimestamp ? p.timestampMs() : timestampMs);
            if (!explicitTimestamp || settings.trackTimestampsStaleness()) {
                e.lastEmitted = iter;
                trackCurrent(e);
            }
        }
        return failure;
    }

    /** Decodes a new series and gives it its final labels; null when metric relabeling drops it. */
    private Labels prepare(ExpositionParser p) throws ExpositionException {
        builder.reset(Labels.EMPTY);
        p.labels(builder);
        Labels scraped = builder.build();
        builder.reset(scraped);
        Labels targetLabels = target.labels();
        if (settings.honorLabels()) {
            for (int i = 0; i < targetLabels.size(); i++) {
                String name = targetLabels.name(i);
                if (!name.startsWith(RESERVED_PREFIX) && !scraped.has(name)) {
                    builder.set(name, targetLabels.value(i));
                }
            }
        } else {
            List<String[]> conflicts = null;
            for (int i = 0; i < targetLabels.size(); i++) {
                String name = targetLabels.name(i);
                if (name.startsWith(RESERVED_PREFIX)) {
                    continue;
                }
                String exposed = scraped.get(name);
                if (!exposed.isEmpty()) {
                    if (conflicts == null) {
                        conflicts = new ArrayList<>(2);
                    }
                    conflicts.add(new String[] {name, exposed});
                }
                builder.set(name, targetLabels.value(i));
            }
            if (conflicts != null) {
                renameConflicts(conflicts);
            }
        }
        Labels merged = builder.build();
        Labels out = settings.metricRelabeler().apply(merged);
        if (out == null || out.isEmpty()) {
            return null;
        }
        if (!out.has(Labels.METRIC_NAME)) {
            throw new ExpositionException(p.line(), "missing metric name (__name__ label)");
        }
        // Kept in the cache for as long as the series lives: its strings are shared with every other
        // series (of any target) that has the same names and values.
        return out.interned();
    }

    /** Keeps a scraped value that clashed with a target label under exported_name (exported_exported_... if taken). */
    private void renameConflicts(List<String[]> conflicts) {
        conflicts.sort(Comparator.comparingInt(c -> c[0].length()));
        for (String[] c : conflicts) {
            String name = c[0];
            do {
                name = EXPORTED_PREFIX + name;
            } while (builder.has(name));
            builder.set(name, c[1]);
        }
    }

    static String verifyLabelLimits(Labels l, Limits limits) {
        String metric = l.get(Labels.METRIC_NAME);
        if (limits.labelLimit() > 0 && l.size() > limits.labelLimit()) {
            return "label_limit exceeded (metric: " + truncate(metric) + ", number of labels: " + l.size()
                    + ", limit: " + limits.labelLimit() + ")";
        }
        for (int i = 0; i < l.size(); i++) {
            String name = l.name(i);
            String value = l.value(i);
            if (limits.labelNameLengthLimit() > 0 && utf8Length(name) > limits.labelNameLengthLimit()) {
                return "label_name_length_limit exceeded (metric: " + truncate(metric) + ", label name: "
                        + truncate(name) + ", length: " + utf8Length(name) + ", limit: "
                        + limits.labelNameLengthLimit() + ")";
            }
            if (limits.labelValueLengthLimit() > 0 && utf8Length(value) > limits.labelValueLengthLimit()) {
                return "label_value_length_limit exceeded (metric: " + truncate(metric) + ", label name: "
                        + truncate(name) + ", value: " + GoQuote.quote(truncate(value)) + ", length: " + utf8Length(value)
                        + ", limit: " + limits.labelValueLengthLimit() + ")";
            }
        }
        return null;
    }

    private void appendVanished(long iter, long timestampMs) {
        for (int i = 0; i < previousCount; i++) {
            SeriesCache.Entry e = previous[i];
            if (e.lastEmitted != iter) {
                append(e.labels, StaleNaN.VALUE, timestampMs);
            }
        }
    }

    private void appendInheritedVanished(long timestampMs) {
        if (inherited == null) {
            return;
        }
        Set<Labels> alive = new HashSet<>(Arrays.asList(reportLabels));
        for (int i = 0; i < currentCount; i++) {
            alive.add(current[i].labels);
        }
        for (Labels l : inherited) {
            if (!alive.contains(l)) {
                append(l, StaleNaN.VALUE, timestampMs);
            }
        }
        inherited = null;
    }

    private void appendAllInherited(long timestampMs) {
        if (inherited == null) {
            return;
        }
        Set<Labels> report = new HashSet<>(Arrays.asList(reportLabels));
        for (Labels l : inherited) {
            if (!report.contains(l)) {
                append(l, StaleNaN.VALUE, timestampMs);
            }
        }
        inherited = null;
    }

    private void appendReport(long timestampMs, double up, double durationSeconds, int bodyBytes) {
        append(reportLabels[0], up, timestampMs);
        append(reportLabels[1], durationSeconds, timestampMs);
        append(reportLabels[2], total, timestampMs);
        append(reportLabels[3], added, timestampMs);
        append(reportLabels[4], seriesAdded, timestampMs);
        if (settings.extraScrapeMetrics()) {
            append(reportLabels[5], timeoutSeconds, timestampMs);
            append(reportLabels[6], settings.limits().sampleLimit(), timestampMs);
            append(reportLabels[7], bodyBytes, timestampMs);
        }
        reportEmitted = true;
    }

    private void trackCurrent(SeriesCache.Entry e) {
        if (currentCount == current.length) {
            current = Arrays.copyOf(current, currentCount * 2);
        }
        current[currentCount++] = e;
    }

    private void swapSeries() {
        SeriesCache.Entry[] t = previous;
        Arrays.fill(t, 0, previousCount, null);
        previous = current;
        previousCount = currentCount;
        current = t;
        currentCount = 0;
    }

    private ExpositionParser parserFor(String contentType) throws ExpositionException {
        String ct = contentType == null ? "" : contentType;
        if (parser == null || !ct.equals(parserContentType)) {
            parser = parsers.forContentType(ct, settings.fallbackProtocol());
            // A cache hit proves the series bytes valid; misses are checked when prepare() decodes them.
            parser.deferSeriesChecks(true);
            parserContentType = ct;
        }
        return parser;
    }

    private void startColumns(int capacity) {
        outLabels = new Labels[capacity];
        outValues = new double[capacity];
        outTimestamps = new long[capacity];
        outCount = 0;
    }

    private void append(Labels l, double v, long t) {
        if (outCount == outLabels.length) {
            int n = outCount * 2;
            outLabels = Arrays.copyOf(outLabels, n);
            outValues = Arrays.copyOf(outValues, n);
            outTimestamps = Arrays.copyOf(outTimestamps, n);
        }
        outLabels[outCount] = l;
        outValues[outCount] = v;
        outTimestamps[outCount] = t;
        outCount++;
    }

    private ScrapeBatch finishBatch(long timestampMs) {
        ScrapeBatch b = new ScrapeBatch(target, timestampMs, outLabels, outValues, outTimestamps, outCount);
        metrics.samples.add(outCount);
        outLabels = null;
        outValues = null;
        outTimestamps = null;
        outCount = 0;
        return b;
    }

    /** Report series carry the target's labels; Prometheus never lets them be overridden. */
    private static Labels reportSeriesLabels(Labels targetLabels, String name) {
        LabelsBuilder b = Labels.builder();
        for (int i = 0; i < targetLabels.size(); i++) {
            if (!targetLabels.name(i).startsWith(RESERVED_PREFIX)) {
                b.set(targetLabels.name(i), targetLabels.value(i));
            }
        }
        b.set(Labels.METRIC_NAME, name);
        return b.build();
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Go's {@code %.50s}: at most 50 characters (code points). */
    private static String truncate(String s) {
        if (s.codePointCount(0, s.length()) <= 50) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, 50));
    }
}
