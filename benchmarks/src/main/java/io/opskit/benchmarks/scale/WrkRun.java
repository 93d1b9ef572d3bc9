package io.opskit.benchmarks.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code wrk} as a second process against a URL, with the load benchmark's
 * {@code load/report.lua}, and returns its machine-readable {@code WRK_RESULT} line
 * ({@code requests=… p50_us=… p99_us=… …}), or a line saying why there is none.
 */
final class WrkRun {

    private WrkRun() {
    }

    static String run(String wrk, String script, int threads, int connections, String duration, String url)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(wrk, "-t" + threads, "-c" + connections, "-d" + duration,
                "--timeout", "5s", "--latency", "-s", script, url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                all.append(line).append('\n');
                if (line.startsWith("WRK_RESULT ")) {
                    result = line.substring("WRK_RESULT ".length());
                }
            }
        }
        int rc = p.waitFor();
        if (result == null) {
            System.err.println("wrk exited with " + rc + ":\n" + all);
            return "wrk_failed=" + rc;
        }
        return result;
    }
}
