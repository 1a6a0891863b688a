package io.scrapeflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogfmtLayoutTest {

    @Test
    void oneLogfmtLinePerEvent() {
        LoggerContext ctx = new LoggerContext();
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("io.scrapeflux.cli.Agent"), Level.INFO,
                "Scrape job loaded \"a\"\nnext", null, null);
        e.setKeyValuePairs(List.of(new KeyValuePair("job", "node"), new KeyValuePair("labels", "a=b c")));
        String line = new LogfmtLayout().doLayout(e);
        assertThat(line).matches("ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z level=info logger=cli.Agent "
                + "msg=\"Scrape job loaded \\\\\"a\\\\\"\\\\nnext\" job=node labels=\"a=b c\"\n");
    }
}
