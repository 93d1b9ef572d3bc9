package io.opskit.core.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * {@code POST /ops/jfr?duration=PT30S&settings=profile} for operators: a Java Flight Recorder
 * recording of the given duration (default and maximum configurable) with the JDK's
 * {@code default} (low overhead) or {@code profile} settings, answered when it ends as a
 * {@code .jfr} file that {@code jfr summary} and JDK Mission Control read, then deleted. The
 * request waits for the recording; one recording at a time (409 otherwise).
 */
final class JfrEndpoint {

    private static final Semaphore ONE_AT_A_TIME = new Semaphore(1);

    private JfrEndpoint() {
    }

    static OpsEndpoint create(OpsSurfaceConfig config) {
        Path dir = config.dumpDirectory().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        return OpsEndpoint.of("/ops/jfr", Map.of("POST", Role.OPERATOR), request -> {
            Duration duration = config.jfrDuration();
            if (request.param("duration").isPresent()) {
                try {
                    duration = Duration.parse(request.param("duration").get());
                } catch (DateTimeParseException e) {
                    duration = Duration.ZERO;
                }
                if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(config.jfrMaxDuration()) > 0) {
                    return OpsResponses.error(400, "duration must be an ISO-8601 duration from PT1S to "
                            + config.jfrMaxDuration() + ", e.g. PT30S");
                }
            }
            String settings = request.param("settings").orElse("default");
            if (!"default".equals(settings) && !"profile".equals(settings)) {
                return OpsResponses.error(400, "settings must be 'default' or 'profile'");
            }
            return record(dir, duration, settings);
        });
    }

    private static EndpointResponse record(Path dir, Duration duration, String settings) throws Exception {
        if (!FlightRecorder.isAvailable()) {
            return OpsResponses.error(501, "Java Flight Recorder is not available in this JVM");
        }
        if (!ONE_AT_A_TIME.tryAcquire()) {
            return OpsResponses.error(409, "a recording is already running: wait for it to finish");
        }
        Path file = null;
        try {
            Path tmp = Files.createTempDirectory(dir, "opskit-jfr");
            file = tmp.resolve("recording-" + ProcessHandle.current().pid() + ".jfr");
            try (Recording recording = new Recording(Configuration.getConfiguration(settings))) {
                recording.setName("opskit-" + settings);
                recording.setToDisk(true);
                recording.setDuration(duration);
                CompletableFuture<Void> stopped = new CompletableFuture<>();
                FlightRecorderListener listener = new FlightRecorderListener() {
                    @Override
                    public void recordingStateChanged(Recording r) {
                        if (r.getId() == recording.getId()
                                && (r.getState() == RecordingState.STOPPED || r.getState() == RecordingState.CLOSED)) {
                            stopped.complete(null);
                        }
                    }
                };
                FlightRecorder.addListener(listener);
                try {
                    recording.start();
                    stopped.get(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
                } finally {
                    FlightRecorder.removeListener(listener);
                }
                recording.dump(file);
            }
            return FileBody.response(file, "application/octet-stream", file.getFileName().toString(), ONE_AT_A_TIME::release);
        } catch (IOException | ParseException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            FileBody.deleteQuietly(file);
            ONE_AT_A_TIME.release();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }
}
