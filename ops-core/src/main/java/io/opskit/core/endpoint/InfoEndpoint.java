package io.opskit.core.endpoint;

import io.opskit.core.Ops;
import io.opskit.core.ServiceInfo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /ops/info} for viewers: the service (id, version, release, description), the build
 * when it provides it ({@code META-INF/build-info.properties} as Spring Boot's and the
 * git-commit-id plugins write it, {@code git.properties}, else the {@code Implementation-Version}
 * of the jar holding the class that owns {@code main}), Java, the OS, the process (PID, start
 * time, uptime) and the opskit version.
 */
final class InfoEndpoint {

    private InfoEndpoint() {
    }

    static OpsEndpoint create(Ops ops) {
        Map<String, Object> build = build();
        String opskit = opskitVersion();
        return OpsEndpoint.of("/ops/info", Map.of("GET", Role.VIEWER), request -> OpsResponses.json(200, info(ops, build, opskit)));
    }

    private static Map<String, Object> info(Ops ops, Map<String, Object> build, String opskit) {
        ServiceInfo s = ops.serviceInfo();
        RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("serviceId", s.serviceId());
        service.put("version", s.version());
        service.put("releaseId", s.releaseId());
        service.put("description", s.description());
        out.put("service", service);
        out.put("build", build);
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("version", System.getProperty("java.version"));
        java.put("vendor", System.getProperty("java.vendor"));
        java.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.put("java", java);
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        os.put("processors", Runtime.getRuntime().availableProcessors());
        out.put("os", os);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("pid", ProcessHandle.current().pid());
        process.put("startTime", Instant.ofEpochMilli(rt.getStartTime()).toString());
        process.put("uptimeSeconds", rt.getUptime() / 1000);
        out.put("process", process);
        out.put("opskit", Map.of("version", opskit));
        return out;
    }

    /** What the build left on the class path; empty when it left nothing. */
    static Map<String, Object> build() {
        Map<String, Object> out = new LinkedHashMap<>();
        Properties bi = load("META-INF/build-info.properties");
        copy(bi, "build.name", out, "name");
        copy(bi, "build.version", out, "version");
        copy(bi, "build.time", out, "time");
        Properties git = load("git.properties");
        copy(git, "git.commit.id", out, "commit");
        copy(git, "git.commit.id.abbrev", out, "commitAbbrev");
        copy(git, "git.branch", out, "branch");
        copy(bi, "build.commit", out, "commit");
        if (!out.containsKey("version")) {
            String v = mainClassVersion();
            if (v != null) {
                out.put("version", v);
            }
        }
        return out;
    }

    private static String mainClassVersion() {
        String command = System.getProperty("sun.java.command", "");
        String main = command.split(" ")[0];
        if (main.isEmpty() || main.endsWith(".jar")) {
            return null;
        }
        try {
            Class<?> c = Class.forName(main, false, Thread.currentThread().getContextClassLoader());
            return c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return null;
        }
    }

    static String opskitVersion() {
        String v = Ops.class.getPackage() == null ? null : Ops.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        Properties pom = load(Ops.class.getClassLoader(), "META-INF/maven/io.opskit/ops-core/pom.properties");
        return pom.getProperty("version", "unknown");
    }

    private static void copy(Properties from, String key, Map<String, Object> to, String as) {
        String v = from.getProperty(key);
        if (v != null && !v.isBlank() && !to.containsKey(as)) {
            to.put(as, v);
        }
    }

    private static Properties load(String resource) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl == null ? InfoEndpoint.class.getClassLoader() : cl, resource);
    }

    private static Properties load(ClassLoader cl, String resource) {
        Properties p = new Properties();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable file is as good as none: info stays without build data
        }
        return p;
    }
}
