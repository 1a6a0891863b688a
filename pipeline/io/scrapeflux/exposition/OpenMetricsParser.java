package io.scrapeflux.exposition;

/**
 * Pull parser for OpenMetrics 1.0 text ({@code application/openmetrics-text; version=1.0.0}, also
 * served as {@code version=0.0.1}). Strict where the format is: single spaces between tokens, no blank
 * lines, no comments other than {@code # HELP}, {@code # TYPE}, {@code # UNIT} and the mandatory final
 * {@code # EOF}, after which nothing may follow. Timestamps are seconds (fractions allowed) and are
 * reported in milliseconds, truncated as Prometheus does. Exemplars ({@code # {labels} value [ts]}) are
 * kept as offsets and decoded on request.
 *
 * <p>{@code _created} lines are ordinary samples by default, as in Prometheus 3 without the
 * {@code created-timestamp-zero-ingestion} feature; {@link #OpenMetricsParser(boolean)} can skip them
 * (for counters, histograms, summaries and gauge histograms) as Prometheus does with that feature on.
 */
public final class OpenMetricsParser extends TextParserBase {

    private final boolean skipCreatedSeries;

    public OpenMetricsParser() {
        this(false);
    }

    public OpenMetricsParser(boolean skipCreatedSeries) {
        super(true);
        this.skipCreatedSeries = skipCreatedSeries;
    }

    @Override
    public ExpositionParsers.Format format() {
        return ExpositionParsers.Format.OPENMETRICS;
    }

    @Override
    Entry endOfInput() throws ExpositionException {
        throw new ExpositionException(line, "data does not end with # EOF");
    }

    @Override
    Entry parseLine() throws ExpositionException {
        byte c = buf[pos];
        if (c == '#') {
            return comment(pos);
        }
        if (c == '\n') {
            throw fail(pos, "empty line (not allowed in OpenMetrics)");
        }
        if (c == 0) {
            throw fail(pos, "NUL byte");
        }
        sample(pos);
        if (skipCreatedSeries && isCreatedSeries()) {
            checkSeries(); // no caller sees this sample, so no caller will check it
            return null;
        }
        return Entry.SERIES;
    }

    private Entry comment(int p) throws ExpositionException {
        if (p + 1 < end && buf[p + 1] == ' ') {
            int k = p + 2;
            if (is(k, "EOF") && (k + 3 == end || buf[k + 3] == '\n')) {
                int after = k + 3 < end ? k + 4 : k + 3;
                if (after < end) {
                    line++;
                    lineStart = after;
                    throw fail(after, "unexpected data after # EOF");
                }
                pos = after;
                state = State.DONE;
                return Entry.EOF;
            }
            Entry kind = is(k, "HELP ") ? Entry.HELP : is(k, "TYPE ") ? Entry.TYPE : is(k, "UNIT ") ? Entry.UNIT : null;
            if (kind != null) {
                return metadata(k + 5, kind);
            }
        }
        throw fail(p, "invalid comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)");
    }

    private Entry metadata(int p, Entry kind) throws ExpositionException {
        int q = scanMetaName(p);
        if (q < 0) {
            throw fail(p, "expected a metric name after " + kind);
        }
        if (q >= end || buf[q] != ' ') {
            throw fail(q, q < end && buf[q] == '\n' ? "expected a space and text after the metric name in " + kind
                    : "expected a space after the metric name in " + kind);
        }
        int s = q + 1;
        int e = lineEnd(s);
        if (e >= end) {
            throw fail(e, "data does not end with # EOF");
        }
        pos = e + 1;
        switch (kind) {
            case HELP -> {
                setText(s, e);
                entryType = familyType;
            }
            case TYPE -> {
                declareType(s, e, true);
            }
            default -> {
                setText(s, e);
                int u = e - s;
                if (u > 0) {
                    int m = metaEnd - metaStart;
                    boolean suffix = m > u && buf[metaEnd - u - 1] == '_'
                            && java.util.Arrays.equals(buf, metaEnd - u, metaEnd, buf, s, e);
                    if (!suffix) {
                        throw fail(s, "unit \"" + unit() + "\" is not a suffix of metric \"" + metricFamily() + "\"");
                    }
                }
                entryType = familyType;
            }
        }
        return kind;
    }

    private void sample(int p) throws ExpositionException {
        p = scanSeries(p);
        if (p >= end || buf[p] != ' ') {
            throw fail(p, p >= end ? "data does not end with # EOF" : "expected a space and the value after the metric");
        }
        p = number(p + 1, "expected a value after the metric", "value");
        value = number;
        if (p < end && buf[p] == ' ' && !exemplarAhead(p)) {
            int ts = p + 1;
            p = number(ts, "expected a timestamp, an exemplar or the end of the line", "timestamp");
            timestampMs = millis(ts, number, "timestamp");
            hasTimestamp = true;
        }
        if (p < end && buf[p] == ' ') {
            if (!exemplarAhead(p)) {
                throw fail(p, "expected an exemplar (\" # {\") or the end of the line");
            }
            p = exemplar(p + 4);
        }
        if (p >= end) {
            throw fail(p, "data does not end with # EOF");
        }
        if (buf[p] != '\n') {
            throw fail(p, "expected the end of the line");
        }
        entryType = familyType;
        pos = p + 1;
    }

    /**
     * Reads the number token at {@code s} into {@link #number}; returns its end. Fails with
     * {@code missing} when there is none, naming {@code what} when it is not a number.
     */
    private int number(int s, String missing, String what) throws ExpositionException {
        int e = numberToken(s);
        if (e >= 0) {
            return e;
        }
        e = token(s);
        if (e == s) {
            throw fail(s, missing);
        }
        number = parseValue(s, e, what);
        return e;
    }

    /** A timestamp in seconds (read at {@code s}) as milliseconds, truncated as Prometheus's {@code int64(ts * 1000)}. */
    private long millis(int s, double seconds, String what) throws ExpositionException {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw fail(s, "invalid " + what + " (NaN or Inf)");
        }
        return (long) (seconds * 1000);
    }

    private boolean exemplarAhead(int p) {
        return p + 3 < end && buf[p + 1] == '#' && buf[p + 2] == ' ' && buf[p + 3] == '{';
    }

    /** End of a token that runs to the next space or line feed. */
    private int token(int p) {
        while (p < end) {
            byte c = buf[p];
            if (c == ' ' || c == '\n') {
                break;
            }
            p++;
        }
        return p;
    }

    private int exemplar(int p) throws ExpositionException {
        p = scanLabels(p, true);
        if (p >= end || buf[p] != ' ') {
            throw fail(p, "expected a space and the exemplar value after the exemplar labels");
        }
        p = number(p + 1, "expected an exemplar value", "exemplar value");
        exemplarValue = number;
        exemplarHasTimestamp = false;
        if (p < end && buf[p] == ' ') {
            int ts = p + 1;
            p = number(ts, "expected an exemplar timestamp or the end of the line", "exemplar timestamp");
            exemplarTimestampMs = millis(ts, number, "exemplar timestamp");
            exemplarHasTimestamp = true;
        }
        hasExemplar = true;
        return p;
    }

    /** Whether the current sample is {@code <family>_created} of a family that has a created time. */
    private boolean isCreatedSeries() {
        switch (familyType) {
            case COUNTER, HISTOGRAM, SUMMARY, GAUGEHISTOGRAM -> {
                int f = typedFamilyEnd - typedFamilyStart;
                return nameEnd - nameStart == f + 8
                        && java.util.Arrays.equals(buf, nameStart, nameStart + f, buf, typedFamilyStart, typedFamilyEnd)
                        && is(nameStart + f, "_created");
            }
            default -> {
                return false;
            }
        }
    }
}
