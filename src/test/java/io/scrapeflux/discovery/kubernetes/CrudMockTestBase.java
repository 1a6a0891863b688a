package io.scrapeflux.discovery.kubernetes;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh CRUD mock API server and informer pool per test. */
abstract class CrudMockTestBase {

    protected MockApi api;
    protected KubernetesInformerPool pool;

    @BeforeEach
    void startMock() throws Exception {
        api = MockApi.crud();
        pool = new KubernetesInformerPool();
    }

    @AfterEach
    void stopMock() {
        pool.close();
        api.close();
    }
}
