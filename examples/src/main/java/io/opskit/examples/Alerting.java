package io.opskit.examples;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.core.notify.AlertmanagerSink;
import io.opskit.core.notify.WebhookSink;
import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The example's alerting wiring (issue #16), apart from the rest of the app: the meters the
 * monitoring/ alert rules read, a signed webhook ({@code OPS_WEBHOOK_URL}, {@code OPS_WEBHOOK_SECRET})
 * and an Alertmanager ({@code OPS_ALERTMANAGER_URL}).
 */
final class Alerting {

    private Alerting() {
    }

    /** Binds the meters and starts the configured sinks; returns what to close on shutdown. */
    static List<AutoCloseable> wire(Ops ops, MeterRegistry registry, MaintenanceMode maintenance, Map<String, String> env) {
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(ops.attach(maintenance));   // maintenance:mode and opskit.maintenance.enabled
        // OpskitHeapHigh and OpskitCpuHigh read jvm.memory.* and process.cpu.usage, which Ops binds (JvmMetrics);
        // OpskitDiskSpaceLow reads disk.free / disk.total
        new DiskSpaceMetrics(new File(System.getProperty("java.io.tmpdir"))).bindTo(registry);

        String service = ops.serviceInfo().serviceId().isEmpty() ? "opskit-example" : ops.serviceInfo().serviceId();
        String webhook = env.getOrDefault("OPS_WEBHOOK_URL", "").trim();
        if (!webhook.isEmpty()) {
            String secret = env.getOrDefault("OPS_WEBHOOK_SECRET", "");
            if (secret.length() < 16) {
                throw new ExampleConfig.BadConfig("OPS_WEBHOOK_SECRET must be set to a secret of 16+ characters when OPS_WEBHOOK_URL is set");
            }
            WebhookSink sink = WebhookSink.builder(uri("OPS_WEBHOOK_URL", webhook)).secret(secret).service(service).build();
            resources.add(sink);
            ops.attach(sink);
        }
        String alertmanager = env.getOrDefault("OPS_ALERTMANAGER_URL", "").trim();
        if (!alertmanager.isEmpty()) {
            AlertmanagerSink sink = AlertmanagerSink.builder(uri("OPS_ALERTMANAGER_URL", alertmanager)).service(service).build();
            resources.add(sink);
            ops.attach(sink);
        }
        return resources;
    }

    private static URI uri(String variable, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not http(s)");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ExampleConfig.BadConfig(variable + " must be an http(s) URL like http://alertmanager:9093, but was '"
                    + io.opskit.core.Redactor.redact(value) + "'");
        }
    }
}
