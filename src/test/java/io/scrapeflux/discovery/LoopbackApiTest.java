package io.scrapeflux.discovery;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every test of a polling discoverer against a fake of its provider's API shares: a WireMock server
 * on loopback (a fresh one per test), the poll loop on a manual clock, and BlockHound watching.
 */
public abstract class LoopbackApiTest {

    protected WireMockServer server;
    protected final PollClock time = new PollClock();

    @BeforeAll
    static void blockHound() {
        Await.blockHound();
    }

    @BeforeEach
    protected void startServer() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    @AfterEach
    protected void stopServer() {
        server.stop();
        time.dispose();
    }
}
