package io.opskit.servlet;

import io.opskit.core.Ops;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.contract.SurfaceServer;
import io.opskit.core.maintenance.MaintenanceMode;
import jakarta.servlet.ServletContainerInitializer;

/** The thin fixture of the surface contract: opskit's servlets in a real container. */
final class SurfaceServers {

    private SurfaceServers() {
    }

    static ServletContainerInitializer opskit(Ops ops, OpsSurfaceConfig config, MaintenanceMode maintenance) {
        return OpsServlets.initializer(ops, OpsServletConfig.builder().surface(config).maintenanceMode(maintenance).build());
    }

    static SurfaceServer wrap(TestServer server) {
        return new SurfaceServer() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
