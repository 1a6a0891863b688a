package io.scrapeflux.exposition;

/**
 * Pull parser for the Prometheus text format ({@code text/plain; version=0.0.4}, and the UTF-8-names
 * variant {@code version=1.0.0}), with the leniency of Prometheus's own lexer: blanks before a line and
 * between tokens, blank lines, free-form {@code #} comments, a missing comma between labels, a trailing
 * comma. Timestamps are integer milliseconds. Every line, the last included, must end with a line feed.
 *
 * <p>Stricter than Prometheus on purpose: an unknown escape in a label value ({@code \t}), a raw line
 * feed inside a quoted string and NUL bytes are errors rather than being kept or ending the body.
 */
public final class PrometheusTextParser extends TextParserBase {

    public PrometheusTextParser() {
        super(false);
    }

    @Override
    public ExpositionParsers.Format format() {
        return ExpositionParsers.Format.PROMETHEUS_TEXT;
    }

    @Override
    Entry endOfInput() {
        return Entry.EOF;
    }

    @Override
    Entry parseLine() throws ExpositionException {
        int p = skipBlanks(pos);
        if (p >= end) {
            pos = p;
            return null;
        }
        byte c = buf[p];
        if (c == '\n') {
            pos = p + 1;
            return null;
        }
        if (c == '#') {
            Entry e = recalledComment();
            if (e == null) {
                e = comment(p);
                rememberComment(e);
            }
            return e;
        }
        if (c == 0) {
            throw fail(p, "NUL byte");
        }
        sample(p);
        return Entry.SERIES;
    }

    private Entry comment(int hashAt) throws ExpositionException {
        int p = hashAt + 1;
        if (p < end && (buf[p] == ' ' || buf[p] == '\t')) {
            int k = skipBlanks(p);
            boolean help = is(k, "HELP");
            if ((help || is(k, "TYPE")) && k + 4 < end && (buf[k + 4] == ' ' || buf[k + 4] == '\t')) {
                return metadata(skipBlanks(k + 4), help);
            }
        }
        int e = lineEnd(p);
        textStart = hashAt;
        textEnd = e;
        textFlags = ByteText.backslashOrNonAscii(buf, hashAt, e) & NON_ASCII;
        pos = e < end ? e + 1 : e;
        entryType = familyType;
        return Entry.COMMENT;
    }

    private Entry metadata(int p, boolean help) throws ExpositionException {
        int q = scanMetaName(p);
        if (q < 0) {
            throw fail(p, "expected a metric name after " + (help ? "HELP" : "TYPE"));
        }
        int e = lineEnd(q);
        if (e >= end) {
            throw fail(e, "missing line feed at the end of the last line");
        }
        if (help) {
            int s = q < e && (buf[q] == ' ' || buf[q] == '\t') ? q + 1 : q;
            setText(s, e);
            entryType = familyType;
            pos = e + 1;
            return Entry.HELP;
        }
        int s = skipBlanks(q);
        int te = e;
        while (te > s && (buf[te - 1] == ' ' || buf[te - 1] == '\t')) {
            te--;
        }
        declareType(s, te, false);
        pos = e + 1;
        return Entry.TYPE;
    }

    private void sample(int p) throws ExpositionException {
        p = skipBlanks(scanSeries(p));
        int vs = p;
        p = numberToken(vs);
        if (p >= 0) {
            value = number;
        } else {
            p = vs;
            while (p < end) {
                byte c = buf[p];
                if (c == ' ' || c == '\t' || c == '\n' || c == '{') {
                    break;
                }
                p++;
            }
            if (p == vs) {
                throw fail(vs, vs >= end ? "missing value (end of input)" : "expected a value after the metric");
            }
            value = parseValue(vs, p, "value");
        }
        p = skipBlanks(p);
        if (p < end && buf[p] != '\n') {
            int ts = p;
            long t = 0;
            while (p < end && buf[p] >= '0' && buf[p] <= '9') {
                int d = buf[p] - '0';
                if (t > (Long.MAX_VALUE - d) / 10) {
                    throw fail(ts, "timestamp out of range");
                }
                t = t * 10 + d;
                p++;
            }
            if (p == ts) {
                throw fail(ts, "expected a timestamp (integer milliseconds) or the end of the line");
            }
            p = skipBlanks(p);
            if (p < end && buf[p] != '\n') {
                throw fail(p, "expected the end of the line after the timestamp");
            }
            hasTimestamp = true;
            timestampMs = t;
        }
        if (p >= end) {
            throw fail(p, "missing line feed at the end of the last line");
        }
        entryType = familyType;
        pos = p + 1;
    }
}
