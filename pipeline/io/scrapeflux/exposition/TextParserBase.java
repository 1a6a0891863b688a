package io.scrapeflux.exposition;

import io.scrapeflux.model.Labels;
import io.scrapeflux.model.LabelsBuilder;
import java.nio.charset.StandardCharsets;

/**
 * What the Prometheus text and OpenMetrics parsers share: the line-level state machine around
 * {@link #next()}, the label-block scanner, quoted strings, values, and lazy decoding.
 *
 * <p>Scanning records offsets only. A label is five ints in {@link #labels}: name start/end, value
 * start/end and flags telling the decoder whether it may copy bytes straight into a Latin-1 String
 * (the common case) or must unescape or decode UTF-8.
 */
abstract class TextParserBase implements ExpositionParser {

    /** Where the line-level state machine stands between calls to {@link #next()}. */
    enum State {
        /** At the start of a line (or of the body). */
        LINE_START,
        /** The end of the body was reached and reported; every further call reports it again. */
        DONE,
        /** A malformed line was found; every further call rethrows the same error. */
        FAILED
    }

    static final int ESCAPED = 1;
    static final int NON_ASCII = 2;
    static final int QUOTED = 4;

    /** Whether blanks may stand between tokens (text format) or the single spaces of OpenMetrics are required. */
    private final boolean lenientSpacing;
    /** Whether help text may escape double quotes (OpenMetrics) or only backslash and line feed (text). */
    private final boolean helpEscapesQuotes;
    /** Whether {@link #next()} only finds where a series ends and leaves its checks to {@link #checkSeries()}. */
    private boolean deferSeriesChecks;
    /** With deferred checks, the checked comment lines of the previous body (see {@link CommentLineCache}). */
    private CommentLineCache commentLines;
    private final int[] commentResult = new int[CommentLineCache.STRIDE];

    byte[] buf = new byte[0];
    int pos;
    int end;
    int line;
    int lineStart;
    State state = State.DONE;
    private ExpositionException failure;

    // Current sample.
    int seriesStart;
    int seriesEnd;
    private long hash;
    private boolean hashed;
    /** False while the current series was only skipped over (see {@link #deferSeriesChecks}). */
    private boolean seriesChecked = true;
    int nameStart;
    int nameEnd;
    int nameFlags;
    int[] labels = new int[5 * 16];
    int labelCount;
    double value;
    /** The number read by {@link #numberToken} or a caller's fallback. */
    double number;
    boolean hasTimestamp;
    long timestampMs;

    // Current exemplar (OpenMetrics only).
    boolean hasExemplar;
    int[] exemplarLabels = new int[5 * 4];
    int exemplarLabelCount;
    double exemplarValue;
    boolean exemplarHasTimestamp;
    long exemplarTimestampMs;

    // Metadata: the current TYPE/HELP/UNIT entry, and the family of the latest TYPE.
    int metaStart;
    int metaEnd;
    int metaFlags;
    int textStart;
    int textEnd;
    int textFlags;
    MetricType entryType = MetricType.UNKNOWN;
    MetricType familyType = MetricType.UNKNOWN;
    int typedFamilyStart;
    int typedFamilyEnd;

    final FloatParser floats = new FloatParser();
    private final StringCache names = new StringCache();
    private final StringCache bounds = new StringCache();
    private byte[] scratch = new byte[128];
    private String[] decodedNames = new String[16];
    private java.util.Set<String> manyNames;
    private int lastFlags;

    TextParserBase(boolean openMetrics) {
        this.lenientSpacing = !openMetrics;
        this.helpEscapesQuotes = openMetrics;
    }

    @Override
    public void reset(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IndexOutOfBoundsException("slice " + off + "+" + len + " outside array of " + buf.length);
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.line = 0;
        this.lineStart = off;
        this.state = State.LINE_START;
        this.failure = null;
        this.familyType = MetricType.UNKNOWN;
        this.entryType = MetricType.UNKNOWN;
        this.typedFamilyStart = this.typedFamilyEnd = 0;
        if (commentLines != null) {
            commentLines.start();
        }
        clearSample();
    }

    private void clearSample() {
        seriesStart = seriesEnd = 0;
        nameStart = nameEnd = -1;
        labelCount = 0;
        hasTimestamp = false;
        hasExemplar = false;
        exemplarLabelCount = 0;
        hashed = false;
        seriesChecked = true;
    }

    @Override
    public final Entry next() throws ExpositionException {
        if (state == State.DONE) {
            return Entry.EOF;
        }
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            // Every pass of this loop consumes at least one whole line or ends the body, so it ends
            // after at most one pass per byte; the guard turns a broken invariant into an error
            // instead of a hang.
            for (int guard = end - pos + 2; guard > 0; guard--) {
                int before = pos;
                clearSample();
                if (pos >= end) {
                    line++;
                    lineStart = pos;
                    Entry e = endOfInput();
                    state = State.DONE;
                    return e;
                }
                line++;
                lineStart = pos;
                Entry e = parseLine();
                if (state == State.DONE) {
                    return Entry.EOF;
                }
                if (e != null) {
                    return e;
                }
                if (pos <= before) {
                    throw fail(pos, "parser made no progress");
                }
            }
            throw fail(pos, "parser made no progress");
        } catch (ExpositionException e) {
            state = State.FAILED;
            failure = seriesError(e);
            throw failure;
        } catch (RuntimeException e) {
            // A bug must not escape as anything but a scrape error.
            state = State.FAILED;
            failure = new ExpositionException(line, "internal parser error at byte " + pos + ": " + e);
            throw failure;
        }
    }

    @Override
    public void deferSeriesChecks(boolean defer) {
        deferSeriesChecks = defer;
        // A caller that trusts bytes it saw checked before is served the same way for comment lines.
        if (!defer) {
            commentLines = null;
        } else if (commentLines == null) {
            commentLines = new CommentLineCache();
        }
    }

    private static final Entry[] ENTRIES = Entry.values();
    private static final MetricType[] TYPES = MetricType.values();

    /**
     * With deferred checks, the entry of the comment line at {@link #lineStart} when its bytes equal a
     * line that passed every check in the previous body: its state is restored as parsing it would set
     * it, and {@link #pos} moves past it. Null otherwise; the caller then parses the line and hands the
     * result to {@link #rememberComment}.
     */
    Entry recalledComment() {
        if (commentLines == null) {
            return null;
        }
        int i = commentLines.match(buf, lineStart, end);
        if (i < 0) {
            return null;
        }
        int[] r = commentLines.lines();
        int o = i * CommentLineCache.STRIDE;
        int at = lineStart;
        Entry e = ENTRIES[r[o + CommentLineCache.ENTRY]];
        if (e != Entry.COMMENT) {
            metaStart = at + r[o + CommentLineCache.META_START];
            metaEnd = at + r[o + CommentLineCache.META_END];
            metaFlags = r[o + CommentLineCache.META_FLAGS];
        }
        textStart = at + r[o + CommentLineCache.TEXT_START];
        textEnd = at + r[o + CommentLineCache.TEXT_END];
        int flagsAndType = r[o + CommentLineCache.TEXT_FLAGS_AND_TYPE];
        textFlags = flagsAndType & 0xff;
        if (e == Entry.TYPE) {
            familyType = TYPES[flagsAndType >>> 8];
            typedFamilyStart = metaStart;
            typedFamilyEnd = metaEnd;
        }
        entryType = familyType;
        pos = at + r[o + CommentLineCache.LEN];
        return e;
    }

    /** Records the comment line just parsed into entry {@code e} (checks passed) for the next body. */
    void rememberComment(Entry e) {
        if (commentLines == null || pos <= lineStart || buf[pos - 1] != '\n') {
            return; // only whole lines: a line cut off by the end of the body is parsed every time
        }
        int at = lineStart;
        int[] r = commentResult;
        r[CommentLineCache.LEN] = pos - at;
        r[CommentLineCache.ENTRY] = e.ordinal();
        r[CommentLineCache.META_START] = metaStart - at;
        r[CommentLineCache.META_END] = metaEnd - at;
        r[CommentLineCache.META_FLAGS] = metaFlags;
        r[CommentLineCache.TEXT_START] = textStart - at;
        r[CommentLineCache.TEXT_END] = textEnd - at;
        r[CommentLineCache.TEXT_FLAGS_AND_TYPE] = (textFlags & 0xff) | (entryType.ordinal() << 8);
        commentLines.record(buf, at, r);
    }

    @Override
    public void checkSeries() throws ExpositionException {
        if (seriesChecked) {
            return;
        }
        seriesChecked = true;
        int skippedEnd = seriesEnd;
        nameStart = nameEnd = -1;
        labelCount = 0;
        try {
            if (scanSeriesChecked(seriesStart) != skippedEnd) {
                // Only a malformed line ends its series elsewhere: report it as checks in next() would.
                ExpositionException e = lineError();
                throw e != null ? e : fail(seriesStart, "internal parser error: series skipped and checked end apart");
            }
        } catch (ExpositionException e) {
            state = State.FAILED;
            failure = e;
            throw e;
        }
    }

    /** The error of the current line when parsed with every check, or null if it has none. */
    private ExpositionException lineError() {
        boolean deferred = deferSeriesChecks;
        deferSeriesChecks = false;
        pos = lineStart;
        try {
            parseLine();
            return null;
        } catch (ExpositionException e) {
            return e;
        } catch (RuntimeException bug) {
            return null;
        } finally {
            deferSeriesChecks = deferred;
        }
    }

    /**
     * The error to report for a line that failed after its series was only skipped over: the error the
     * line gets with every check, so that the message is the same as with checks in {@link #next()}.
     */
    private ExpositionException seriesError(ExpositionException e) {
        if (seriesChecked) {
            return e;
        }
        seriesChecked = true;
        ExpositionException checked = lineError();
        return checked != null ? checked : e;
    }

    /** What reaching the end of the body means: EOF for text, an error for OpenMetrics. */
    abstract Entry endOfInput() throws ExpositionException;

    /** Parses the line at {@link #pos}; returns its entry, or null for a line that yields none. */
    abstract Entry parseLine() throws ExpositionException;

    // ---------------------------------------------------------------- scanning helpers

    ExpositionException fail(int at, String what) {
        int col = Math.max(0, at - lineStart) + 1;
        return new ExpositionException(line, "column " + col + ": " + what + " in " + ByteText.excerpt(buf, lineStart, end));
    }

    int skipBlanks(int p) {
        while (p < end && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** Skips blanks in the text format; in OpenMetrics there are none to skip. */
    int gap(int p) {
        return lenientSpacing ? skipBlanks(p) : p;
    }

    /** End of the metric name starting at {@code p}, which must hold a name-start byte. */
    int scanMetricName(int p) {
        byte[] b = buf;
        int end = this.end;
        p++;
        while (p < end && ByteText.METRIC_PART[b[p] & 0xff]) {
            p++;
        }
        return p;
    }

    /**
     * Scans the quoted string whose opening quote is at {@code p}; returns the offset after the closing
     * quote and leaves its flags in {@link #lastFlags}. Allows escapes {@code \\ \" \n} only, rejects raw
     * line feeds, NUL bytes and malformed UTF-8.
     */
    int scanQuoted(int p, String what) throws ExpositionException {
        int open = p;
        int flags = 0;
        p++;
        byte[] b = buf;
        int end = this.end;
        for (;;) {
            p = ByteText.skipQuotedPlain(b, p, end);
            if (p >= end) {
                throw fail(open, "unterminated " + what + " (no closing quote)");
            }
            byte c = buf[p];
            if (c == '"') {
                lastFlags = flags;
                return p + 1;
            }
            if (c == '\\') {
                if (p + 1 >= end) {
                    throw fail(open, "unterminated " + what + " (no closing quote)");
                }
                byte d = buf[p + 1];
                if (d != '\\' && d != '"' && d != 'n') {
                    if (d == '\n') {
                        throw fail(open, "unterminated " + what + " (no closing quote)");
                    }
                    throw fail(p, "invalid escape sequence \\" + (d >= 0x20 && d < 0x7f ? String.valueOf((char) d)
                            : String.format("x%02x", d & 0xff)) + " in " + what + " (only \\\\, \\\" and \\n are allowed)");
                }
                flags |= ESCAPED;
                p += 2;
            } else if (c == '\n') {
                throw fail(open, "unterminated " + what + " (line ends before the closing quote)");
            } else if (c == 0) {
                throw fail(p, "NUL byte in " + what);
            } else {
                int n = ByteText.utf8SequenceLength(buf, p, end);
                if (n < 0) {
                    throw fail(p, "invalid UTF-8 in " + what);
                }
                flags |= NON_ASCII;
                p += n;
            }
        }
    }

    /**
     * Scans a label block whose {@code '{'} was just consumed ({@code p} is after it); returns the offset
     * after the closing {@code '}'}. A quoted string standing alone is the metric name (UTF-8 names);
     * not allowed in exemplars. The text format tolerates blanks anywhere and a missing comma, as
     * Prometheus's lexer does; OpenMetrics requires exactly {@code name="value"} joined by commas. A
     * trailing comma is accepted in both.
     */
    int scanLabels(int p, boolean exemplar) throws ExpositionException {
        int open = p - 1;
        for (;;) {
            p = gap(p);
            if (p >= end) {
                throw fail(open, "unterminated label set (no closing '}')");
            }
            byte c = buf[p];
            if (c == '}') {
                return p + 1;
            }
            int ns;
            int ne;
            int nf;
            if (c == '"') {
                int q = scanQuoted(p, "quoted name");
                ns = p + 1;
                ne = q - 1;
                nf = lastFlags | QUOTED;
                p = q;
            } else if (ByteText.LABEL_START[c & 0xff]) {
                byte[] b = buf;
                int end = this.end;
                int q = p + 1;
                while (q < end && ByteText.LABEL_PART[b[q] & 0xff]) {
                    q++;
                }
                if (q + 1 < end && b[q] == '=' && b[q + 1] == '"') {
                    // The common shape name="value": no blanks to skip, no metric-name case to consider.
                    int v = scanQuoted(q + 1, "label value");
                    addLabel(exemplar, p, q, 0, q + 2, v - 1, lastFlags);
                    p = gap(v);
                    if (p < end && b[p] == ',') {
                        p++;
                    } else if (!lenientSpacing && (p >= end || b[p] != '}')) {
                        throw fail(p, "expected ',' or '}' after label value");
                    }
                    continue;
                }
                ns = p;
                ne = q;
                nf = 0;
                p = q;
            } else {
                throw fail(p, c == '\n' ? "unterminated label set (no closing '}')" : "expected a label name or '}'");
            }
            p = gap(p);
            if (p >= end) {
                throw fail(open, "unterminated label set (no closing '}')");
            }
            c = buf[p];
            if ((nf & QUOTED) != 0 && (c == ',' || c == '}')) {
                if (exemplar) {
                    throw fail(ns - 1, "expected a label name, not a metric name, in exemplar labels");
                }
                if (nameStart >= 0) {
                    throw fail(ns - 1, "metric name set twice");
                }
                nameStart = ns;
                nameEnd = ne;
                nameFlags = nf;
                p++;
                if (c == '}') {
                    return p;
                }
                continue;
            }
            if (c != '=') {
                throw fail(p, "expected '=' after label name");
            }
            p = gap(p + 1);
            if (p >= end || buf[p] != '"') {
                throw fail(p, "expected a quoted label value");
            }
            int q = scanQuoted(p, "label value");
            addLabel(exemplar, ns, ne, nf, p + 1, q - 1, lastFlags);
            p = gap(q);
            if (p < end && buf[p] == ',') {
                p++;
            } else if (!lenientSpacing && (p >= end || buf[p] != '}')) {
                throw fail(p, "expected ',' or '}' after label value");
            }
        }
    }

    private void addLabel(boolean exemplar, int ns, int ne, int nf, int vs, int ve, int vf) {
        int[] a = exemplar ? exemplarLabels : labels;
        int i = (exemplar ? exemplarLabelCount : labelCount) * 5;
        if (i + 5 > a.length) {
            a = java.util.Arrays.copyOf(a, a.length * 2);
            if (exemplar) {
                exemplarLabels = a;
            } else {
                labels = a;
            }
        }
        a[i] = ns;
        a[i + 1] = ne;
        // Value flags ride in the second byte of the flags slot to keep five ints per label.
        a[i + 2] = nf | (vf << 8);
        a[i + 3] = vs;
        a[i + 4] = ve;
        if (exemplar) {
            exemplarLabelCount++;
        } else {
            labelCount++;
        }
    }

    /**
     * Scans a sample's series (metric name, label block, or both) starting at {@code p}; records its
     * bytes and returns the offset after it. With {@link #deferSeriesChecks}, a series that starts with
     * its metric name is only skipped over when that can be done (see {@link #skipSeries}).
     */
    int scanSeries(int p) throws ExpositionException {
        if (deferSeriesChecks) {
            int q = skipSeries(p);
            if (q >= 0) {
                return q;
            }
            nameStart = nameEnd = -1;
            labelCount = 0;
        }
        return scanSeriesChecked(p);
    }

    /**
     * Finds the end of the series at {@code p} without checking it: the name up to the first byte no
     * name can hold, then the label block up to its first {@code '}'} outside quotes. Returns -1 when the
     * series does not start with a metric name, its block holds an escape, or the input ends; the caller
     * then checks in full. (A block running past its line is malformed; the check on a miss says so.)
     *
     * <p>Why this is enough for a cache: for a well-formed series the skip ends exactly where the full
     * scan does (name bytes lie in {@code '0'..'z'} and what follows a name outside it; outside quotes
     * neither {@code '"'} nor {@code '}'} may occur). And whether bytes equal to a series that once
     * passed the full scan pass it again depends on those bytes only (the scan never looks past the
     * closing brace, nor past the byte after a bare name). So when the skipped bytes equal a series the
     * cache checked on first sight with a parser of this format, they are valid here too; anything else
     * reaches {@link #checkSeries()} through {@link #labels}, which reports what checks in {@link #next()}
     * would have.
     */
    private int skipSeries(int p) {
        byte[] b = buf;
        int end = this.end;
        if (!ByteText.METRIC_START[b[p] & 0xff]) {
            return -1;
        }
        int q = ByteText.skipNameLoosely(b, p, end);
        seriesStart = p;
        nameStart = p;
        nameEnd = q;
        nameFlags = 0;
        int brace = gap(q);
        if (brace >= end || b[brace] != '{') {
            seriesChecked = false;
            seriesEnd = q;
            return q;
        }
        int e = ByteText.skipLabelBlock(b, brace + 1, end);
        if (e < 0) {
            return -1;
        }
        seriesChecked = false;
        seriesEnd = e;
        return e;
    }

    /** {@link #scanSeries} with every check. */
    private int scanSeriesChecked(int p) throws ExpositionException {
        seriesStart = p;
        byte c = buf[p];
        if (c != '{') {
            if (!ByteText.METRIC_START[c & 0xff]) {
                throw fail(p, "expected a metric name, '{' or '#'");
            }
            int q = scanMetricName(p);
            nameStart = p;
            nameEnd = q;
            nameFlags = 0;
            seriesEnd = q;
            p = q;
            int brace = gap(q);
            if (brace < end && buf[brace] == '{') {
                p = scanLabels(brace + 1, false);
                seriesEnd = p;
            }
        } else {
            p = scanLabels(p + 1, false);
            seriesEnd = p;
        }
        if (nameStart < 0) {
            throw fail(seriesStart, "metric name not set");
        }
        return p;
    }

    /**
     * Reads the number at {@code s} in one pass when it is a plain decimal ending at a space or line feed
     * (or a tab, in the text format): nearly every value and timestamp. Leaves it in {@link #number} and
     * returns its end; -1 for anything else, which the caller delimits and parses with {@link #parseValue}.
     */
    int numberToken(int s) {
        double v = floats.parsePrefix(buf, s, end);
        if (floats.ok) {
            int q = floats.stop;
            if (q < end && (buf[q] == ' ' || buf[q] == '\n' || (buf[q] == '\t' && lenientSpacing))) {
                number = v;
                return q;
            }
        }
        return -1;
    }

    /** Parses the value token [{@code s}, {@code e}) or fails naming {@code what}. */
    double parseValue(int s, int e, String what) throws ExpositionException {
        double v = floats.parse(buf, s, e);
        if (!floats.ok) {
            throw fail(s, "invalid " + what + " \"" + new String(buf, s, Math.min(e - s, 64), StandardCharsets.ISO_8859_1)
                    + "\": " + floats.error);
        }
        return v;
    }

    /** Offset of the line feed ending the line at {@code p}, or {@link #end}; fails on a NUL byte. */
    int lineEnd(int p) throws ExpositionException {
        p = ByteText.skipToLineFeedOrNul(buf, p, end);
        if (p < end && buf[p] == 0) {
            throw fail(p, "NUL byte");
        }
        return p;
    }

    /** Records the metric name of a metadata line starting at {@code p}; returns the offset after it, or -1. */
    int scanMetaName(int p) throws ExpositionException {
        if (p < end && buf[p] == '"') {
            int q = scanQuoted(p, "quoted metric name");
            metaStart = p + 1;
            metaEnd = q - 1;
            metaFlags = lastFlags | QUOTED;
            return q;
        }
        if (p < end && ByteText.METRIC_START[buf[p] & 0xff]) {
            int q = scanMetricName(p);
            metaStart = p;
            metaEnd = q;
            metaFlags = 0;
            return q;
        }
        return -1;
    }

    /** Checks help text [{@code s}, {@code e}) and records it. */
    void setText(int s, int e) throws ExpositionException {
        int flags = ByteText.backslashOrNonAscii(buf, s, e); // ESCAPED = 1, NON_ASCII = 2
        if ((flags & NON_ASCII) != 0) {
            int bad = ByteText.firstInvalidUtf8(buf, s, e);
            if (bad >= 0) {
                throw fail(bad, "invalid UTF-8 in help text");
            }
        }
        textStart = s;
        textEnd = e;
        textFlags = flags;
    }

    /** Records the TYPE line's type word [{@code s}, {@code e}) for the metadata just scanned. */
    void declareType(int s, int e, boolean openMetrics) throws ExpositionException {
        MetricType t = typeOf(s, e, openMetrics);
        if (t == null) {
            throw fail(s, "invalid metric type " + ByteText.excerpt(buf, s, e) + (openMetrics
                    ? " (expected counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown)"
                    : " (expected counter, gauge, histogram, summary or untyped)"));
        }
        familyType = t;
        entryType = t;
        typedFamilyStart = metaStart;
        typedFamilyEnd = metaEnd;
        textStart = s;
        textEnd = e;
        textFlags = 0;
    }

    /** Matches a metric type name in [{@code s}, {@code e}); null when unknown. */
    MetricType typeOf(int s, int e, boolean openMetrics) {
        switch (e - s) {
            case 4:
                return is(s, "info") && openMetrics ? MetricType.INFO : null;
            case 5:
                return is(s, "gauge") ? MetricType.GAUGE : null;
            case 7:
                if (is(s, "counter")) {
                    return MetricType.COUNTER;
                }
                if (is(s, "summary")) {
                    return MetricType.SUMMARY;
                }
                if (is(s, "untyped") && !openMetrics) {
                    return MetricType.UNKNOWN;
                }
                return is(s, "unknown") && openMetrics ? MetricType.UNKNOWN : null;
            case 8:
                return is(s, "stateset") && openMetrics ? MetricType.STATESET : null;
            case 9:
                return is(s, "histogram") ? MetricType.HISTOGRAM : null;
            case 14:
                return is(s, "gaugehistogram") && openMetrics ? MetricType.GAUGEHISTOGRAM : null;
            default:
                return null;
        }
    }

    boolean is(int s, String ascii) {
        if (s + ascii.length() > end) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[s + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- accessors

    @Override
    public byte[] buffer() {
        return buf;
    }

    @Override
    public int seriesOffset() {
        return seriesStart;
    }

    @Override
    public int seriesLength() {
        return seriesEnd - seriesStart;
    }

    @Override
    public long seriesHash() {
        if (!hashed) {
            hash = SeriesHash.quick(buf, seriesStart, seriesEnd - seriesStart);
            hashed = true;
        }
        return hash;
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    @Override
    public long timestampMs() {
        return timestampMs;
    }

    @Override
    public boolean hasExemplar() {
        return hasExemplar;
    }

    @Override
    public MetricType metricType() {
        return entryType;
    }

    @Override
    public String metricFamily() {
        return decode(metaStart, metaEnd, metaFlags, false);
    }

    @Override
    public String help() {
        if ((textFlags & ESCAPED) == 0) {
            return decode(textStart, textEnd, textFlags, false);
        }
        byte[] out = new byte[textEnd - textStart];
        int n = ByteText.unescape(buf, textStart, textEnd, out, helpEscapesQuotes);
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String unit() {
        return decode(textStart, textEnd, textFlags & ~ESCAPED, false);
    }

    @Override
    public String comment() {
        return decode(textStart, textEnd, textFlags & ~ESCAPED, false);
    }

    @Override
    public int line() {
        return line;
    }

    /** The metric name of the current sample as written (unescaped). */
    String metricName() {
        return decode(nameStart, nameEnd, nameFlags, true);
    }

    @Override
    public void labels(LabelsBuilder into) throws ExpositionException {
        checkSeries();
        into.reset(Labels.EMPTY);
        String metric = metricName();
        if (metric.isEmpty()) {
            throw new ExpositionException(line, "empty metric name");
        }
        decodeLabels(labels, labelCount, into, metric);
    }

    @Override
    public boolean exemplar(Exemplar into) throws ExpositionException {
        if (!hasExemplar) {
            return false;
        }
        LabelsBuilder b = into.labelsBuilder();
        b.reset(Labels.EMPTY);
        decodeLabels(exemplarLabels, exemplarLabelCount, b, null);
        into.set(exemplarValue, exemplarHasTimestamp, exemplarTimestampMs);
        return true;
    }

    private void decodeLabels(int[] a, int count, LabelsBuilder into, String metric) throws ExpositionException {
        if (decodedNames.length < count + 1) {
            decodedNames = new String[Math.max(count + 1, decodedNames.length * 2)];
        }
        String[] seen = decodedNames;
        int n = 0;
        if (metric != null) {
            into.set(Labels.METRIC_NAME, metric);
            seen[n++] = Labels.METRIC_NAME;
        }
        for (int i = 0; i < count; i++) {
            int o = i * 5;
            int flags = a[o + 2];
            String name = decode(a[o], a[o + 1], flags & 0xff, true);
            if (name.isEmpty()) {
                throw new ExpositionException(line, "empty label name");
            }
            if (isDuplicate(seen, n, name)) {
                throw new ExpositionException(line, "duplicate label name \"" + name + "\""
                        + (metric != null ? " in series " + metric : " in exemplar"));
            }
            seen[n++] = name;
            int vs = a[o + 3];
            int ve = a[o + 4];
            int vflags = flags >>> 8;
            String value = metric != null && normalizesBound(name)
                    ? bound(vs, ve, vflags)
                    : decode(vs, ve, vflags, false);
            into.set(name, value);
        }
        java.util.Arrays.fill(seen, 0, n, null);
    }

    /** Linear for the usual handful of labels; a hash set for pathological lines, so they stay O(n). */
    private boolean isDuplicate(String[] seen, int n, String name) {
        if (n <= 32) {
            for (int k = 0; k < n; k++) {
                if (seen[k].equals(name)) {
                    return true;
                }
            }
            return false;
        }
        if (manyNames == null || n == 33) {
            manyNames = new java.util.HashSet<>(java.util.Arrays.asList(seen).subList(0, n));
        }
        return !manyNames.add(name);
    }

    /** Prometheus 3 rewrites {@code le} of histograms and {@code quantile} of summaries in OpenMetrics float form. */
    private boolean normalizesBound(String name) {
        return (familyType == MetricType.HISTOGRAM && name.equals("le"))
                || (familyType == MetricType.SUMMARY && name.equals("quantile"));
    }

    private String bound(int s, int e, int flags) {
        if (flags == 0) {
            String hit = bounds.get(buf, s, e);
            if (hit != null) {
                return hit;
            }
        }
        String raw = decode(s, e, flags, false);
        double v = flags == 0 ? floats.parse(buf, s, e) : Double.NaN;
        String out = flags == 0 && floats.ok ? OpenMetricsFloats.format(v) : raw;
        if (flags == 0) {
            bounds.put(buf, s, e, out);
        }
        return out;
    }

    /** Decodes [{@code s}, {@code e}) per {@code flags}; names go through the cache. */
    String decode(int s, int e, int flags, boolean cache) {
        if (s < 0 || e <= s) {
            return "";
        }
        if ((flags & (ESCAPED | NON_ASCII)) == 0) {
            if (cache && e - s <= StringCache.MAX_KEY) {
                String hit = names.get(buf, s, e);
                if (hit == null) {
                    hit = new String(buf, s, e - s, StandardCharsets.ISO_8859_1);
                    names.put(buf, s, e, hit);
                }
                return hit;
            }
            return new String(buf, s, e - s, StandardCharsets.ISO_8859_1);
        }
        if ((flags & ESCAPED) == 0) {
            return new String(buf, s, e - s, StandardCharsets.UTF_8);
        }
        if (scratch.length < e - s) {
            scratch = new byte[Math.max(e - s, scratch.length * 2)];
        }
        int n = ByteText.unescape(buf, s, e, scratch, true);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }
}
