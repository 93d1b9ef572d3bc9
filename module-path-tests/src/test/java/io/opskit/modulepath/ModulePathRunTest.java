package io.opskit.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ModulePathProbe} launched with {@code java --module-path … -m}: the opskit jars are
 * resolved by their descriptors alone, so a {@code requires}, {@code exports} or {@code provides}
 * missing from one of them fails this test.
 */
class ModulePathRunTest {

    @Test
    void theProbeServesHealthAndTheOperationsSurfaceOnTheModulePath() throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "--module-path", modulePath(),
                // Lettuce is an automatic module and cannot require Netty, whose jars are explicit
                // modules: every application that uses Lettuce on the module path adds them
                "--add-modules", "io.netty.transport",
                "-m", "io.opskit.modulepath/" + ModulePathProbe.class.getName()));
        Path log = Path.of(System.getProperty("opskit.probe.log", "target/probe-output.log"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(exited).as("the probe exits by itself").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("ok modules: ", "ok jdbc: ", "ok redis: ", "ok servlet: ",
                "ok GET /health/ready 200", "ok GET /ops/loggers 200",
                "ok POST /ops/jfr?duration=PT1S 200", "ok POST /ops/heapdump 200", ModulePathProbe.OK);
    }

    /** The probe's classes, then its runtime dependencies (the opskit jars among them), as Maven resolved them. */
    private static String modulePath() throws IOException {
        String classes = System.getProperty("opskit.probe.classes", "target/classes");
        String dependencies = Files.readString(Path.of(System.getProperty("opskit.probe.modulePath",
                "target/probe-module-path.txt"))).trim();
        assertThat(dependencies).contains("ops-core", "ops-http");
        return classes + File.pathSeparator + dependencies;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
