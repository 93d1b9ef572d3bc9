package io.opskit.core.maintenance;

import io.opskit.core.ActionEvent;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Ops;
import io.opskit.core.OpsComponent;
import io.opskit.core.OpsEvents;
import io.opskit.core.OpsScheduler;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import io.opskit.core.ScheduledJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance-mode switch of one application: on or off, why, since when, and until when
 * ({@code Retry-After}). Thread-safe; {@link #state()} is one volatile read, so request filters
 * can consult it on every request.
 *
 * <p>Sources, each optional:
 * <ul>
 *   <li>programmatic: {@link #enable(String)}, {@link #enable(String, Duration)}, {@link #disable()};</li>
 *   <li>the environment: {@code MAINTENANCE_MODE=true|false}, read by {@link #start()} and on demand
 *       by {@link #refreshFromEnvironment()};</li>
 *   <li>a flag file: maintenance is on while the file exists (the runbook's "touch a file"); its first
 *       line, if any, is the reason. Polled by a daemon thread this object owns;</li>
 *   <li>a {@link MaintenanceStore} shared by the fleet: programmatic changes are written to it, and
 *       changes made by any instance are applied here.</li>
 * </ul>
 * At {@link #start()} maintenance is on if any source says so. After that, the latest change
 * from any source wins. Every change is logged, published as an {@link ActionEvent} and passed
 * to the {@link #onChange(MaintenanceListener) listeners}.
 *
 * <pre>{@code
 * MaintenanceMode maintenance = MaintenanceMode.builder().flagFile(Path.of("/var/run/app/maintenance")).build();
 * maintenance.start();
 * ops.attach(maintenance);   // maintenance:mode in /health, opskit.maintenance.enabled in /metrics
 * maintenance.enable("database upgrade", Duration.ofMinutes(20));
 * }</pre>
 */
public final class MaintenanceMode implements OpsComponent, AutoCloseable {

    /** The name of the check attaching registers. */
    public static final String CHECK_NAME = "maintenance:mode";
    /** Interval of that check: 5 seconds (reading the state is free). */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

    /** The environment variable read by default. */
    public static final String DEFAULT_ENVIRONMENT_VARIABLE = "MAINTENANCE_MODE";
    /** How often the flag file is checked by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Source name of programmatic changes. */
    public static final String SOURCE_PROGRAMMATIC = "programmatic";
    /** Source name of changes read from the environment. */
    public static final String SOURCE_ENVIRONMENT = "env";
    /** Source name of changes from the flag file. */
    public static final String SOURCE_FILE = "file";

    private static final Logger log = LoggerFactory.getLogger(MaintenanceMode.class);
    private static final int MAX_REASON_LENGTH = 500;

    private final Function<String, String> environment;
    private final Optional<String> environmentVariable;
    private final Optional<Path> flagFile;
    private final Duration pollInterval;
    private final Optional<MaintenanceStore> store;
    private final Clock clock;
    private final OpsEvents events;
    private final CopyOnWriteArrayList<MaintenanceListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private volatile MaintenanceState state;
    private boolean started;
    private boolean closed;
    private boolean flagFilePresent;
    private String flagFileStamp = "";
    private final ScheduledJob poller;
    private AutoCloseable subscription;

    private MaintenanceMode(Builder b) {
        this.environment = b.environment;
        this.environmentVariable = b.environmentVariable;
        this.flagFile = b.flagFile;
        this.pollInterval = b.pollInterval;
        this.store = b.store;
        this.clock = b.clock;
        this.events = b.events;
        this.poller = b.scheduler == null ? ScheduledJob.ownThread("opskit-maintenance-flag-file") : ScheduledJob.on(b.scheduler);
        this.state = new MaintenanceState(false, "", clock.instant(), Optional.empty(), "initial");
    }

    /** A builder: by default reads {@code MAINTENANCE_MODE} from the process environment, no file, no store. */
    public static Builder builder() {
        return new Builder();
    }

    /** The current state (one volatile read). */
    public MaintenanceState state() {
        return state;
    }

    /** Whether maintenance mode is on now. */
    public boolean isEnabled() {
        return state.enabled();
    }

    /** The clock this mode stamps states with. */
    Clock clock() {
        return clock;
    }

    /** Seconds for {@code Retry-After} now, when an expected end is known. */
    public Optional<Long> retryAfterSeconds() {
        return state.retryAfterSeconds(clock.instant());
    }

    /**
     * Reads the sources (environment, flag file, store), subscribes to the store and starts
     * watching the flag file. Idempotent.
     *
     * @throws IllegalStateException when the environment variable holds something other than true/false
     */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        refreshFromEnvironment();
        flagFile.ifPresent(file -> {
            pollFlagFile();
            synchronized (lock) {
                if (!closed) {
                    poller.start("maintenance:flagFile", pollInterval, pollInterval, this::pollFlagFile);
                }
            }
        });
        store.ifPresent(this::attachStore);
    }

    /**
     * Applies {@code MAINTENANCE_MODE} now: {@code true} switches maintenance on, {@code false}
     * off; unset or empty changes nothing.
     *
     * @return the value read, if any
     * @throws IllegalStateException when the variable holds something other than true/false
     */
    public Optional<Boolean> refreshFromEnvironment() {
        if (environmentVariable.isEmpty()) {
            return Optional.empty();
        }
        String name = environmentVariable.get();
        String raw = environment.apply(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        boolean on;
        if (value.equals("true")) {
            on = true;
        } else if (value.equals("false")) {
            on = false;
        } else {
            throw new IllegalStateException(name + " must be true or false, but was '" + Redactor.redact(raw.strip())
                    + "': set " + name + "=true to switch maintenance mode on");
        }
        if (on != state.enabled()) {
            apply(new MaintenanceState(on, on ? name + "=true" : "", clock.instant(), Optional.empty(),
                    SOURCE_ENVIRONMENT));
        }
        return Optional.of(on);
    }

    /** Switches maintenance on with no known end (clients are told a default {@code Retry-After}). */
    public void enable(String reason) {
        set(new MaintenanceState(true, reason, clock.instant(), Optional.empty(), SOURCE_PROGRAMMATIC));
    }

    /** Switches maintenance on, expected to last {@code expectedDuration}. */
    public void enable(String reason, Duration expectedDuration) {
        Objects.requireNonNull(expectedDuration, "expectedDuration");
        if (expectedDuration.isNegative() || expectedDuration.isZero()) {
            throw new IllegalArgumentException("expectedDuration must be positive, but was " + expectedDuration
                    + ": use e.g. Duration.ofMinutes(15)");
        }
        Instant now = clock.instant();
        set(new MaintenanceState(true, reason, now, Optional.of(now.plus(expectedDuration)), SOURCE_PROGRAMMATIC));
    }

    /** Switches maintenance on until {@code expectedEnd}. */
    public void enableUntil(String reason, Instant expectedEnd) {
        Objects.requireNonNull(expectedEnd, "expectedEnd");
        set(new MaintenanceState(true, reason, clock.instant(), Optional.of(expectedEnd), SOURCE_PROGRAMMATIC));
    }

    /** Switches maintenance off. */
    public void disable() {
        set(new MaintenanceState(false, "", clock.instant(), Optional.empty(), SOURCE_PROGRAMMATIC));
    }

    /**
     * Sets {@code newState} as an operator would: locally and, when a store is configured, for the
     * whole fleet. A store that cannot be written is logged; the local state changes anyway.
     */
    public void set(MaintenanceState newState) {
        Objects.requireNonNull(newState, "newState");
        apply(newState);
        store.ifPresent(s -> {
            try {
                s.write(newState);
            } catch (Exception e) {
                log.warn("maintenance mode: could not write the shared store, only this instance changed: {}",
                        Redactor.forLog(String.valueOf(e)));
            }
        });
    }

    /**
     * A health check that shows the maintenance state in {@code /health}: PASS while off, WARN
     * while on (never FAIL: an instance in maintenance still serves its maintenance page, so it
     * stays ready), with reason, source, since and expected end in the details.
     *
     * <p>{@link Ops#attach(OpsComponent...) Attaching} this mode registers it as
     * {@value #CHECK_NAME}.
     */
    public HealthCheck healthCheck() {
        return () -> {
            MaintenanceState s = state;
            if (!s.enabled()) {
                return Result.pass("maintenance mode off").withDetail("source", s.source());
            }
            Result r = Result.warn("maintenance mode on: " + Redactor.redact(s.reason()))
                    .withDetail("source", s.source()).withDetail("since", s.since().toString());
            return s.expectedEnd().map(end -> r.withDetail("expectedEnd", end.toString())).orElse(r);
        };
    }

    /**
     * Registers {@value #CHECK_NAME} (the {@link #healthCheck()}, non-critical, every 5 seconds) and
     * binds {@code opskit.maintenance.enabled} ({@link MaintenanceMetrics}). Starts nothing: call
     * {@link #start()} yourself.
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(CheckRegistration.builder(CHECK_NAME, healthCheck()).critical(false).interval(CHECK_INTERVAL).build());
        context.meters(MaintenanceMetrics.of(this));
    }

    /**
     * Calls {@code listener} on every change from now on.
     *
     * @return a handle that removes the listener when closed
     */
    public AutoCloseable onChange(MaintenanceListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Stops the flag-file poller and the store subscription; the state stays readable. Idempotent. */
    @Override
    public void close() {
        AutoCloseable sub;
        synchronized (lock) {
            closed = true;
            sub = subscription;
            subscription = null;
        }
        poller.close();
        if (sub != null) {
            try {
                sub.close();
            } catch (Exception e) {
                log.warn("maintenance mode: closing the store subscription failed: {}", Redactor.forLog(String.valueOf(e)));
            }
        }
    }

    private void attachStore(MaintenanceStore s) {
        try {
            s.read().filter(MaintenanceState::enabled).ifPresent(this::apply);
        } catch (Exception e) {
            log.warn("maintenance mode: could not read the shared store, keeping the local state: {}",
                    Redactor.forLog(String.valueOf(e)));
        }
        try {
            AutoCloseable sub = s.subscribe(this::apply);
            synchronized (lock) {
                if (!closed) {
                    subscription = sub;
                    return;
                }
            }
            sub.close();
        } catch (Exception e) {
            log.warn("maintenance mode: could not subscribe to the shared store, fleet-wide changes will not be"
                    + " seen: {}", Redactor.forLog(String.valueOf(e)));
        }
    }

    private void pollFlagFile() {
        Path file = flagFile.orElseThrow();
        try {
            boolean present = Files.exists(file);
            String stamp = present ? stampOf(file) : "";
            if (present == flagFilePresent && stamp.equals(flagFileStamp)) {
                return;
            }
            boolean appeared = present && !flagFilePresent;
            flagFilePresent = present;
            flagFileStamp = stamp;
            if (present) {
                // also when only its content changed: an operator writing the reason after creating the
                // file (touch, then echo) must not leave the default reason behind
                String reason = readReason(file);
                if (appeared || (SOURCE_FILE.equals(state.source()) && state.enabled() && !reason.equals(state.reason()))) {
                    apply(new MaintenanceState(true, reason, clock.instant(), Optional.empty(), SOURCE_FILE));
                }
            } else if (state.enabled()) {
                apply(new MaintenanceState(false, "", clock.instant(), Optional.empty(), SOURCE_FILE));
            }
        } catch (RuntimeException e) {
            // a poll must never die: the next tick tries again
            log.warn("maintenance mode: checking the flag file failed: {}", Redactor.forLog(String.valueOf(e)));
        }
    }

    private static String stampOf(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String readReason(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(MAX_REASON_LENGTH), StandardCharsets.UTF_8);
            String firstLine = text.lines().findFirst().orElse("").strip();
            return firstLine.isEmpty() ? "maintenance (flag file " + file.getFileName() + ")" : firstLine;
        } catch (IOException e) {
            return "maintenance (flag file " + file.getFileName() + ")";
        }
    }

    /**
     * Applies a state. One that only repeats the current one (on or off, reason, expected end) is
     * ignored: a store echoing our own write, an operator enabling twice, a poll seeing no change.
     */
    private void apply(MaintenanceState next) {
        synchronized (lock) {
            MaintenanceState previous = state;
            if (sameEffect(previous, next)) {
                return;
            }
            state = next;
            announce(previous, next);
        }
    }

    private static boolean sameEffect(MaintenanceState a, MaintenanceState b) {
        return a.enabled() == b.enabled() && a.reason().equals(b.reason()) && a.expectedEnd().equals(b.expectedEnd());
    }

    private void announce(MaintenanceState previous, MaintenanceState current) {
        String reason = Redactor.redact(current.reason());
        if (current.enabled()) {
            log.warn("maintenance mode ON (source {}): {}{}", Redactor.forLog(current.source()), Redactor.forLog(reason),
                    current.expectedEnd().map(end -> ", expected end " + end).orElse(""));
        } else {
            log.info("maintenance mode OFF (source {})", Redactor.forLog(current.source()));
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("source", current.source());
        current.expectedEnd().ifPresent(end -> details.put("expectedEnd", end.toString()));
        try {
            events.publish(ActionEvent.of("maintenance", current.enabled() ? "enable" : "disable", reason, details));
        } catch (RuntimeException e) {
            log.warn("maintenance mode: publishing the event failed: {}", Redactor.forLog(String.valueOf(e)));
        }
        for (MaintenanceListener listener : listeners) {
            try {
                listener.onChange(previous, current);
            } catch (RuntimeException e) {
                log.warn("maintenance mode: listener {} failed and was skipped: {}", listener.getClass().getName(),
                        Redactor.forLog(String.valueOf(e)));
            }
        }
    }

    /** Builds a {@link MaintenanceMode}; every setter validates at once. */
    public static final class Builder {
        private Function<String, String> environment = System::getenv;
        private Optional<String> environmentVariable = Optional.of(DEFAULT_ENVIRONMENT_VARIABLE);
        private Optional<Path> flagFile = Optional.empty();
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Optional<MaintenanceStore> store = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private OpsEvents events = OpsEvents.NOOP;
        private OpsScheduler scheduler;

        private Builder() {
        }

        /** Where environment variables are looked up (default {@code System::getenv}; tests pass a map). */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** The variable to read (default {@code MAINTENANCE_MODE}). */
        public Builder environmentVariable(String name) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,99}")) {
                throw new IllegalArgumentException("environmentVariable must be a variable name, but was '" + name
                        + "': use e.g. \"" + DEFAULT_ENVIRONMENT_VARIABLE + "\"");
            }
            this.environmentVariable = Optional.of(name);
            return this;
        }

        /** Ignores the environment. */
        public Builder ignoreEnvironment() {
            this.environmentVariable = Optional.empty();
            return this;
        }

        /** Maintenance is on while this file exists (checked every {@link #pollInterval(Duration)}). */
        public Builder flagFile(Path flagFile) {
            Objects.requireNonNull(flagFile, "flagFile");
            if (flagFile.getFileName() == null) {
                throw new IllegalArgumentException("flagFile must name a file, but was '" + flagFile
                        + "': use e.g. Path.of(\"/var/run/myapp/maintenance\")");
            }
            this.flagFile = Optional.of(flagFile);
            return this;
        }

        /** How often the flag file is checked: 10 ms to 1 hour (default 1 s). */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.compareTo(Duration.ofMillis(10)) < 0 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be between 10ms and 1h, but was " + pollInterval
                        + ": use e.g. Duration.ofSeconds(1)");
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** A store shared by the fleet (e.g. ops-redis's). */
        public Builder store(MaintenanceStore store) {
            this.store = Optional.of(Objects.requireNonNull(store, "store"));
            return this;
        }

        /** The clock for {@code since} and {@code Retry-After} (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the flag-file poller runs: pass {@link io.opskit.core.Ops#scheduler()} so that it
         * owns no thread (default: a thread of its own, started only when a flag file is watched).
         */
        public Builder scheduler(OpsScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where changes are published as {@link ActionEvent}s (default nowhere). */
        public Builder events(OpsEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The maintenance mode, off until {@link MaintenanceMode#start()} reads its sources or an operator enables it. */
        public MaintenanceMode build() {
            return new MaintenanceMode(this);
        }
    }
}
