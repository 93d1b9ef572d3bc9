package io.opskit.core.endpoint;

import java.util.Map;

/** The endpoint of {@link OpsEndpoint#of}. */
record SimpleEndpoint(String path, Map<String, Role> methods, OpsEndpoint.Handler handler) implements OpsEndpoint {

    @Override
    public EndpointResponse handle(OpsRequest request) throws Exception {
        return handler.handle(request);
    }
}
