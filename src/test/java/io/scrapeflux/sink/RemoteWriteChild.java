package io.scrapeflux.sink;

import io.scrapeflux.model.Labels;
import io.scrapeflux.scrape.ScrapeBatch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Child process of {@link RemoteWriteKillTest}: a remote-write queue fed numbered samples forever.
 * Prints "A n" once samples up to n are accepted (write completed), "S n" when n samples were
 * acknowledged by the receiver and "F n" when failed requests reach n. Killed with SIGKILL by the parent.
 */
public final class RemoteWriteChild {

    private RemoteWriteChild() {
    }

    public static void main(String[] args) throws Exception {
        Path storage = Path.of(args[0]);
        String url = args[1];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        RemoteWriteSink sink = RemoteWriteSink.start(RemoteWriteKillTest.config(url), Map.of("replica", "child"), null,
                RemoteWriteSink.Options.defaults(storage));
        Thread reporter = new Thread(() -> {
            long last = 0;
            long lastSent = 0;
            while (true) {
                long f = sink.metrics().requestsFailed.get();
                if (f != last) {
                    out.println("F " + f);
                    last = f;
                }
                long sent = sink.metrics().samplesSent.get();
                if (sent != lastSent) {
                    out.println("S " + sent);
                    lastSent = sent;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        reporter.setDaemon(true);
        reporter.start();
        Labels[] series = new Labels[5];
        for (int i = 0; i < series.length; i++) {
            series[i] = Labels.of("__name__", "kill_test", "s", Integer.toString(i));
        }
        int per = 10;
        for (long n = 0; ; n += per) {
            Labels[] ls = new Labels[per];
            double[] vs = new double[per];
            long[] ts = new long[per];
            for (int i = 0; i < per; i++) {
                long k = n + i;
                ls[i] = series[(int) (k % series.length)];
                vs[i] = k;
                ts[i] = 1_000_000L + k;
            }
            sink.write(new ScrapeBatch(null, ts[0], ls, vs, ts, per)).block(Duration.ofSeconds(60));
            out.println("A " + (n + per - 1));
            Thread.sleep(1);
        }
    }
}
