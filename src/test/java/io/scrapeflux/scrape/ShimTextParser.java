package io.scrapeflux.scrape;

import io.scrapeflux.exposition.ExpositionException;
import io.scrapeflux.exposition.ExpositionParser;
import io.scrapeflux.exposition.Exemplar;
import io.scrapeflux.model.LabelsBuilder;
import java.nio.charset.StandardCharsets;

/**
 * TEST-ONLY stand-in for the exposition stage's text parser until that branch is merged: just enough
 * of the Prometheus text format ({@code name{a="b"} value [timestamp]}, comments) for scrape tests.
 */
final class ShimTextParser implements ExpositionParser {

    private byte[] buf;
    private int pos;
    private int end;
    private int line;
    private int seriesOff;
    private int seriesLen;
    private int nameEnd;
    private double value;
    private boolean hasTs;
    private long ts;

    static ParserFactory factory() {
        return (contentType, fallback) -> {
            if ((contentType == null || contentType.isEmpty()) && fallback == null) {
                throw new ExpositionException(0, "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target");
            }
            return new ShimTextParser();
        };
    }

    @Override
    public void reset(byte[] b, int off, int len) {
        buf = b;
        pos = off;
        end = off + len;
        line = 0;
    }

    @Override
    public Entry next() throws ExpositionException {
        while (pos < end) {
            int lineStart = pos;
            int lineEnd = lineStart;
            while (lineEnd < end && buf[lineEnd] != '\n') {
                lineEnd++;
            }
            pos = lineEnd + 1;
            line++;
            if (lineEnd == lineStart) {
                continue;
            }
            if (buf[lineStart] == '#') {
                return Entry.COMMENT;
            }
            int p = lineStart;
            while (p < lineEnd && buf[p] != '{' && buf[p] != ' ') {
                p++;
            }
            nameEnd = p;
            if (p < lineEnd && buf[p] == '{') {
                while (p < lineEnd && buf[p] != '}') {
                    p++;
                }
                if (p == lineEnd) {
                    throw new ExpositionException(line, "unterminated label block");
                }
                p++;
            }
            seriesOff = lineStart;
            seriesLen = p - lineStart;
            String[] rest = new String(buf, p, lineEnd - p, StandardCharsets.UTF_8).trim().split(" +");
            try {
                value = Double.parseDouble(rest[0]);
                hasTs = rest.length > 1;
                ts = hasTs ? Long.parseLong(rest[1]) : 0;
            } catch (NumberFormatException e) {
                throw new ExpositionException(line, "bad number " + rest[0]);
            }
            return Entry.SERIES;
        }
        return Entry.EOF;
    }

    @Override
    public byte[] buffer() {
        return buf;
    }

    @Override
    public int seriesOffset() {
        return seriesOff;
    }

    @Override
    public int seriesLength() {
        return seriesLen;
    }

    @Override
    public long seriesHash() {
        long h = 0xcbf29ce484222325L;
        for (int i = seriesOff; i < seriesOff + seriesLen; i++) {
            h ^= buf[i] & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public boolean hasTimestamp() {
        return hasTs;
    }

    @Override
    public long timestampMs() {
        return ts;
    }

    @Override
    public void labels(LabelsBuilder into) throws ExpositionException {
        into.set("__name__", new String(buf, seriesOff, nameEnd - seriesOff, StandardCharsets.UTF_8));
        int p = nameEnd;
        int stop = seriesOff + seriesLen;
        if (p >= stop) {
            return;
        }
        String block = new String(buf, p + 1, stop - p - 2, StandardCharsets.UTF_8);
        for (String pair : block.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new ExpositionException(line, "bad label " + pair);
            }
            String v = pair.substring(eq + 1).trim();
            into.set(pair.substring(0, eq).trim(), v.substring(1, v.length() - 1));
        }
    }

    @Override
    public String metricFamily() {
        return "";
    }

    @Override
    public MetricType metricType() {
        return MetricType.UNKNOWN;
    }

    @Override
    public String help() {
        return "";
    }

    @Override
    public String unit() {
        return "";
    }

    @Override
    public boolean hasExemplar() {
        return false;
    }

    @Override
    public boolean exemplar(Exemplar into) {
        return false;
    }

    @Override
    public int line() {
        return line;
    }
}
