package io.opskit.servlet;

import jakarta.servlet.ServletContainerInitializer;

/** The ops-servlet contract on embedded Jetty 12 (ee10). */
class JettyOpsServletTest extends OpsServletContractTest {

    @Override
    TestServer start(ServletContainerInitializer setup) throws Exception {
        return TestServer.jetty(setup);
    }

    @Override
    String threadPoolSeries() {
        return "jetty_threads_busy";
    }
}
