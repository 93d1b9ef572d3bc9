package io.opskit.core.endpoint;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /ops/heapdump} for operators, off unless {@link OpsSurfaceConfig.Builder#heapDump(boolean)}
 * turned it on (a heap holds every secret of the process): dumps the live objects to a file in
 * the dump directory, streams it as {@code application/octet-stream}, then deletes it. One dump
 * at a time: a second request while one runs or streams answers 409.
 */
final class HeapDumpEndpoint {

    static final String PATH = "/ops/heapdump";
    private static final Semaphore ONE_AT_A_TIME = new Semaphore(1);   // per JVM: the heap is per JVM

    private HeapDumpEndpoint() {
    }

    static OpsEndpoint create(OpsSurfaceConfig config) {
        Path dir = config.dumpDirectory().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        OpsEndpoint inner = OpsEndpoint.of(PATH, Map.of("POST", Role.OPERATOR), request -> dump(dir));
        return new OpsEndpoint() {
            @Override
            public String path() {
                return PATH;
            }

            @Override
            public Map<String, Role> methods() {
                return inner.methods();
            }

            @Override
            public boolean exposedByDefault() {
                return false;
            }

            @Override
            public EndpointResponse handle(OpsRequest request) throws Exception {
                return inner.handle(request);
            }
        };
    }

    private static EndpointResponse dump(Path dir) throws IOException {
        if (!ONE_AT_A_TIME.tryAcquire()) {
            return OpsResponses.error(409, "a heap dump is already running: wait for it to finish");
        }
        Path file = null;
        try {
            Path tmp = Files.createTempDirectory(dir, "opskit-heap");
            file = tmp.resolve("heap-" + ProcessHandle.current().pid() + ".hprof");
            HotSpotDiagnosticMXBean mx = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            mx.dumpHeap(file.toString(), true);
            return FileBody.response(file, "application/octet-stream", file.getFileName().toString(), ONE_AT_A_TIME::release);
        } catch (IOException | RuntimeException e) {
            FileBody.deleteQuietly(file);
            ONE_AT_A_TIME.release();
            throw e;
        }
    }
}
