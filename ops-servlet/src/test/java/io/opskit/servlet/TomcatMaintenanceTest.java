package io.opskit.servlet;

import jakarta.servlet.ServletContainerInitializer;

/** The hardened maintenance filter on embedded Tomcat 11. */
class TomcatMaintenanceTest extends MaintenanceContractTest {

    @Override
    TestServer start(ServletContainerInitializer setup) throws Exception {
        return TestServer.tomcat(setup);
    }
}
