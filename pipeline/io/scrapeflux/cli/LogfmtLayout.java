package io.scrapeflux.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.slf4j.event.KeyValuePair;

/** Logback layout writing one logfmt line per event, as Prometheus logs:
 * {@code ts=2026-01-02T03:04:05.678Z level=info logger=... msg="..." key=value err="..."}. */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(160);
        b.append("ts=").append(DateTimeFormatter.ISO_INSTANT.format(event.getInstant().truncatedTo(ChronoUnit.MILLIS)));
        b.append(" level=").append(event.getLevel().toString().toLowerCase(Locale.ROOT));
        b.append(" logger=").append(shortName(event.getLoggerName()));
        b.append(" msg=");
        quote(b, event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                b.append(' ').append(kv.key).append('=');
                value(b, String.valueOf(kv.value));
            }
        }
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            b.append(" err=");
            quote(b, t.getClassName() + ": " + t.getMessage());
        }
        return b.append('\n').toString();
    }

    /** {@code io.scrapeflux.cli.Agent} → {@code cli.Agent}: enough to find the source, short enough to read. */
    static String shortName(String logger) {
        String prefix = "io.scrapeflux.";
        return logger.startsWith(prefix) ? logger.substring(prefix.length()) : logger;
    }

    /** Bare when safe, quoted when it has spaces, quotes, '=' or control characters. */
    static void value(StringBuilder b, String v) {
        if (v.isEmpty()) {
            b.append("\"\"");
            return;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\') {
                quote(b, v);
                return;
            }
        }
        b.append(v);
    }

    static void quote(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        b.append('"');
    }
}
