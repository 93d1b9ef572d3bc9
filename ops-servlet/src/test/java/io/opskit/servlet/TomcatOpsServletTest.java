package io.opskit.servlet;

import jakarta.servlet.ServletContainerInitializer;

/** The ops-servlet contract on embedded Tomcat 11. */
class TomcatOpsServletTest extends OpsServletContractTest {

    @Override
    TestServer start(ServletContainerInitializer setup) throws Exception {
        return TestServer.tomcat(setup);
    }

    @Override
    String threadPoolSeries() {
        return "tomcat_threads_busy_threads";
    }
}
