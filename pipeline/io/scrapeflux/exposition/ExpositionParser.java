package io.scrapeflux.exposition;

import io.scrapeflux.model.LabelsBuilder;

/**
 * A pull parser over one scrape body held in bytes, as Prometheus's {@code textparse.Parser}.
 *
 * <p>Call {@link #next()} until it returns {@link Entry#EOF}. Accessors describe the current entry and
 * stay valid until the next call to {@code next()}. Nothing is decoded until asked: the series bytes of
 * a sample are a slice of the input (for the scrape cache's lookup), and labels are decoded into a
 * caller-owned builder only by {@link #labels(LabelsBuilder)}.
 *
 * <p>Errors are {@link ExpositionException}s that name the line and the problem; no other exception
 * escapes. {@code next()} checks each line's structure (quoting, escapes, UTF-8, NUL bytes, values,
 * timestamps); {@link #labels(LabelsBuilder)} adds the checks that need the decoded label set. An instance is not thread-safe and may be {@linkplain #reset reset} to parse another body.
 */
public interface ExpositionParser {

    /**
     * Bits of the NaN a parser returns for a {@code NaN} sample: Prometheus's "normal" NaN, never equal
     * to the staleness marker ({@link io.scrapeflux.model.StaleNaN}).
     */
    long NORMAL_NAN_BITS = 0x7ff8000000000001L;

    /** What {@link #next()} found. */
    enum Entry {
        /** A sample line: series, value, maybe a timestamp and an exemplar. */
        SERIES,
        /** {@code # TYPE}; see {@link #metricFamily()} and {@link #metricType()}. */
        TYPE,
        /** {@code # HELP}; see {@link #metricFamily()} and {@link #help()}. */
        HELP,
        /** {@code # UNIT} (OpenMetrics); see {@link #metricFamily()} and {@link #unit()}. */
        UNIT,
        /** Any other comment line. */
        COMMENT,
        /** End of input ({@code # EOF} in OpenMetrics). */
        EOF
    }

    /** Prometheus's metric types. */
    enum MetricType {
        COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN
    }

    /** Starts parsing {@code len} bytes of {@code buf} from {@code off}; the array is read, never written or kept past the next reset. */
    void reset(byte[] buf, int off, int len);

    Entry next() throws ExpositionException;

    /** The input array the slice accessors point into. */
    byte[] buffer();

    /** Start of the current sample's series bytes (metric name and label block, as written). */
    int seriesOffset();

    /** Length of the current sample's series bytes. */
    int seriesLength();

    /** A 64-bit hash of the series bytes, stable for equal bytes; computed without allocating. */
    long seriesHash();

    double value();

    /**
     * For callers that look series up by their bytes in a cache filled by {@link #labels}: when on,
     * {@link #next()} may only find where a sample's series ends instead of checking it, and the check
     * runs in {@link #labels} or {@link #checkSeries()}. Bytes equal to a series that once passed the
     * check of a parser of the same {@link #format()} are valid wherever they occur, so such a cache hit
     * needs no check; a caller must call one of the two for every other sample (one it has not seen, or
     * saw under another format: the text format accepts spacing OpenMetrics does not). Errors are the
     * same as with checks in {@code next()}. Off by default; a parser may ignore it and always check in
     * {@code next()}. When on, a parser may also take a comment line ({@code # HELP}, {@code # TYPE}, other
     * comments) whose bytes passed its checks in the previous body without checking it again; entries,
     * metadata values and errors stay the same.
     */
    default void deferSeriesChecks(boolean defer) {
    }

    /**
     * Checks the current sample's series if {@link #deferSeriesChecks deferred checks} left it unchecked
     * (otherwise does nothing), failing as {@link #next()} would have.
     */
    default void checkSeries() throws ExpositionException {
    }

    boolean hasTimestamp();

    /** The sample's timestamp in milliseconds (OpenMetrics seconds are converted). */
    long timestampMs();

    /**
     * Decodes the current sample's metric name (as {@code __name__}) and labels into {@code into}, which
     * is cleared first. This is where a label set is checked as a whole (duplicate label names, empty
     * names): a caller that caches series by their bytes decodes each new series once, so every cached
     * series has passed this check. As in Prometheus 3, {@code le} values of histograms and
     * {@code quantile} values of summaries are normalized to the OpenMetrics float form ({@code 1} ->
     * {@code 1.0}), and a label with an empty value is absent.
     */
    void labels(LabelsBuilder into) throws ExpositionException;

    /** Metric family name of the current TYPE/HELP/UNIT entry. */
    String metricFamily();

    /**
     * Type of the current TYPE entry; on other entries, the type most recently declared by a TYPE line
     * ({@link MetricType#UNKNOWN} before any).
     */
    MetricType metricType();

    /** Help text of the current HELP entry, unescaped. */
    String help();

    /** Unit of the current UNIT entry (may be empty). */
    String unit();

    /** Text of the current COMMENT entry, from the {@code #} to the end of the line. */
    default String comment() {
        return "";
    }

    /** The scrape format this parser reads. */
    default ExpositionParsers.Format format() {
        return ExpositionParsers.Format.PROMETHEUS_TEXT;
    }

    /** Whether the current sample carries an exemplar; see {@link #exemplar(Exemplar)}. */
    boolean hasExemplar();

    /** Copies the current sample's exemplar into {@code into}; false when there is none. */
    boolean exemplar(Exemplar into) throws ExpositionException;

    /** 1-based line number of the current entry, for error messages. */
    int line();
}
