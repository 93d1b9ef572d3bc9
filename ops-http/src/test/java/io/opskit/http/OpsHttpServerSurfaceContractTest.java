package io.opskit.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.contract.SurfaceContract;
import io.opskit.core.endpoint.contract.SurfaceServer;
import io.opskit.core.maintenance.MaintenanceMode;
import java.net.InetAddress;

/** The operations-surface contract on {@link OpsHttpServer}. */
class OpsHttpServerSurfaceContractTest extends SurfaceContract {

    @Override
    protected SurfaceServer start(Ops ops, OpsSurfaceConfig config, MaintenanceMode maintenance) {
        OpsHttpServer server = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0)
                .surface(config).maintenance(maintenance).build().start();
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

    @Override
    protected MeterRegistry meterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
