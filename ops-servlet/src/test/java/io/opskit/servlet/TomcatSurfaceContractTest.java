package io.opskit.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.contract.SurfaceContract;
import io.opskit.core.endpoint.contract.SurfaceServer;
import io.opskit.core.maintenance.MaintenanceMode;

/** The operations-surface contract on embedded Tomcat 11. */
class TomcatSurfaceContractTest extends SurfaceContract {

    @Override
    protected SurfaceServer start(Ops ops, OpsSurfaceConfig config, MaintenanceMode maintenance) throws Exception {
        return SurfaceServers.wrap(TestServer.tomcat(SurfaceServers.opskit(ops, config, maintenance)));
    }

    @Override
    protected MeterRegistry meterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
