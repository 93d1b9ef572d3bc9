package io.opskit.redis;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.HealthCheck;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Redis health checks of one {@link RedisTarget}, each a plain {@link HealthCheck} with a ready
 * {@link CheckRegistration} (component type {@code datastore}), and the INFO figures as Micrometer
 * gauges ({@code opskit.redis.*}).
 *
 * <pre>{@code
 * RedisHealth redis = RedisHealth.builder(RedisTarget.of(connection))
 *         .commandTimeout(Duration.ofMillis(500))
 *         .build();
 * ops.attach(redis);   // the checks below and the opskit.redis.* gauges
 * }</pre>
 *
 * <p>The checks: {@code redis:responseTime} (PING), {@code redis:memory}, {@code redis:hitRatio},
 * {@code redis:connections}, {@code redis:replication}, and for a cluster target {@code redis:cluster}.
 * Gauges show the figures of the latest INFO a check read, so a scrape never talks to Redis.
 *
 * <p>Criticality follows the readiness rule: readiness fails only when this instance cannot serve.
 * By default only {@code redis:responseTime} and {@code redis:cluster} are critical (Redis, or the
 * cluster, does not answer); memory, hit ratio, connections and replication are degradations of a
 * Redis shared by every instance, so their FAIL makes readiness WARN. Where the application serves
 * without Redis (a cache), {@link Builder#cacheMode(boolean) cacheMode(true)} makes every check
 * non-critical; {@link Builder#critical(String, boolean)} overrides one check either way.
 */
public final class RedisHealth implements OpsComponent, MeterBinder {

    /** Default deadline of one Redis command: 1 second. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Default PING time from which {@code redis:responseTime} warns: 250 ms. */
    public static final Duration DEFAULT_SLOW_RESPONSE = Duration.ofMillis(250);
    /** Default memory utilization from which {@code redis:memory} warns: 85%. */
    public static final double DEFAULT_MEMORY_WARN_PERCENT = 85;
    /** Default memory utilization from which {@code redis:memory} fails: 95%. */
    public static final double DEFAULT_MEMORY_FAIL_PERCENT = 95;
    /** Default hit ratio from which {@code redis:hitRatio} passes: 90%. */
    public static final double DEFAULT_HIT_RATIO_PASS_PERCENT = 90;
    /** Default hit ratio from which {@code redis:hitRatio} warns rather than fails: 80%. */
    public static final double DEFAULT_HIT_RATIO_WARN_PERCENT = 80;
    /** Default window of the hit ratio: 5 minutes. */
    public static final Duration DEFAULT_HIT_RATIO_WINDOW = Duration.ofMinutes(5);
    /** Default lookups in the window before the hit ratio is judged: 100. */
    public static final long DEFAULT_HIT_RATIO_MIN_LOOKUPS = 100;
    /** Default client utilization from which {@code redis:connections} warns: 80%. */
    public static final double DEFAULT_CONNECTIONS_WARN_PERCENT = 80;
    /** Default client utilization from which {@code redis:connections} fails: 95%. */
    public static final double DEFAULT_CONNECTIONS_FAIL_PERCENT = 95;
    /** The component type of every registration. */
    public static final String COMPONENT_TYPE = "datastore";
    /** The name of the PING check. */
    public static final String RESPONSE_TIME = "redis:responseTime";
    /** The name of the memory check. */
    public static final String MEMORY = "redis:memory";
    /** The name of the hit ratio check. */
    public static final String HIT_RATIO = "redis:hitRatio";
    /** The name of the client connections check. */
    public static final String CONNECTIONS = "redis:connections";
    /** The name of the replication check. */
    public static final String REPLICATION = "redis:replication";
    /** The name of the cluster check. */
    public static final String CLUSTER = "redis:cluster";
    /** Every check name {@link Builder#critical(String, boolean)} accepts. */
    public static final List<String> CHECK_NAMES = List.of(RESPONSE_TIME, MEMORY, HIT_RATIO, CONNECTIONS, REPLICATION, CLUSTER);
    /** The checks critical by default (outside cache mode): Redis or its cluster does not answer. */
    public static final Set<String> CRITICAL_BY_DEFAULT = Set.of(RESPONSE_TIME, CLUSTER);

    private final RedisTarget target;
    private final Builder config;
    private final InfoCache cache = new InfoCache();
    private final HealthCheck ping;
    private final HealthCheck memory;
    private final HealthCheck hitRatio;
    private final HealthCheck connections;
    private final HealthCheck replication;
    private final HealthCheck cluster;

    private RedisHealth(Builder b) {
        this.target = b.target;
        this.config = b.copy();
        Duration t = b.commandTimeout;
        this.ping = new PingCheck(target, t, b.slowResponse, cache);
        this.memory = new MemoryCheck(target, t, b.memoryLimit, b.memoryWarn, b.memoryFail, cache);
        this.hitRatio = new HitRatioCheck(target, t, b.hitWindow, b.hitMinLookups, b.hitPass, b.hitWarn, cache, b.clock);
        this.connections = new ConnectionsCheck(target, t, b.connectionsWarn, b.connectionsFail, cache);
        this.replication = new ReplicationCheck(target, t, cache);
        this.cluster = new ClusterCheck(target, t);
    }

    /** Starts the checks of {@code target}. */
    public static Builder builder(RedisTarget target) {
        return new Builder(Objects.requireNonNull(target, "target"));
    }

    /**
     * {@code redis:responseTime}: a PING round trip in ms; FAIL on an error or no answer within the command
     * timeout. Critical unless in cache mode.
     */
    public CheckRegistration responseTime() {
        return registration(RESPONSE_TIME, ping);
    }

    /**
     * {@code redis:memory}: memory utilization in percent, with the limit's source and the eviction policy in
     * details. Non-critical by default.
     */
    public CheckRegistration memory() {
        return registration(MEMORY, memory);
    }

    /** {@code redis:hitRatio}: keyspace hit ratio over the window, in percent. Non-critical by default. */
    public CheckRegistration hitRatio() {
        return registration(HIT_RATIO, hitRatio);
    }

    /**
     * {@code redis:connections}: client utilization against {@code maxclients}, blocked and rejected clients.
     * Non-critical by default.
     */
    public CheckRegistration connections() {
        return registration(CONNECTIONS, connections);
    }

    /** {@code redis:replication}: the role, and for a replica its link to the master. Non-critical by default. */
    public CheckRegistration replication() {
        return registration(REPLICATION, replication);
    }

    /** {@code redis:cluster}: {@code CLUSTER INFO} state and slots; for a cluster target. Critical unless in cache mode. */
    public CheckRegistration cluster() {
        return registration(CLUSTER, cluster);
    }

    /** Every registration that fits the target: all of the above, {@code redis:cluster} only for a cluster. */
    public List<CheckRegistration> registrations() {
        List<CheckRegistration> all = new ArrayList<>(List.of(responseTime(), memory(), hitRatio(), connections(), replication()));
        if (target.isCluster()) {
            all.add(cluster());
        }
        return List.copyOf(all);
    }

    /** Whether the check {@code name} (one of {@link #CHECK_NAMES}) fails readiness, as configured. */
    public boolean isCritical(String name) {
        return config.critical(Builder.known(name, "name"));
    }

    /** Whether this was built in cache mode (Redis optional: no check is critical unless overridden). */
    public boolean cacheMode() {
        return config.cacheMode;
    }

    /** The latest INFO figures the checks read, merged across sections. */
    public RedisInfo latestInfo() {
        return cache.info();
    }

    /** Registers {@link #registrations()} and binds the gauges ({@link #bindTo}). */
    @Override
    public void attachTo(AttachContext context) {
        registrations().forEach(context::check);
        context.meters(this);
    }

    /**
     * Registers the gauges: {@code opskit.redis.memory.used|limit|utilization|fragmentation},
     * {@code opskit.redis.clients.connected|blocked|max|rejected}, {@code opskit.redis.keyspace.hits|misses},
     * {@code opskit.redis.keyspace.hit.ratio}, {@code opskit.redis.replicas.connected} and
     * {@code opskit.redis.ping}, with the builder's tags. A figure not read yet is NaN.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = config.tags;
        gauge(registry, tags, "opskit.redis.memory.used", "Memory Redis uses (used_memory)", "bytes", c -> c.number("used_memory"));
        gauge(registry, tags, "opskit.redis.memory.limit", "The memory limit judged against: maxmemory, the configured limit or the host's memory",
                "bytes", InfoCache::memoryLimitBytes);
        gauge(registry, tags, "opskit.redis.memory.utilization", "used_memory / limit, 0 to 1", null, InfoCache::memoryUtilization);
        gauge(registry, tags, "opskit.redis.memory.fragmentation", "mem_fragmentation_ratio", null, c -> c.number("mem_fragmentation_ratio"));
        gauge(registry, tags, "opskit.redis.clients.connected", "Connected clients", "clients", c -> c.number("connected_clients"));
        gauge(registry, tags, "opskit.redis.clients.blocked", "Clients blocked in a blocking command", "clients", c -> c.number("blocked_clients"));
        gauge(registry, tags, "opskit.redis.clients.max", "maxclients", "clients", InfoCache::maxClients);
        gauge(registry, tags, "opskit.redis.keyspace.hit.ratio", "Keyspace hit ratio over the check's window, 0 to 1", null, InfoCache::hitRatio);
        gauge(registry, tags, "opskit.redis.replicas.connected", "Replicas connected to this master", "replicas", c -> c.number("connected_slaves"));
        counter(registry, tags, "opskit.redis.clients.rejected", "Connections rejected because of maxclients", "connections", "rejected_connections");
        counter(registry, tags, "opskit.redis.keyspace.hits", "Successful key lookups", "lookups", "keyspace_hits");
        counter(registry, tags, "opskit.redis.keyspace.misses", "Failed key lookups", "lookups", "keyspace_misses");
        TimeGauge.builder("opskit.redis.ping", cache, TimeUnit.MILLISECONDS, InfoCache::pingMillis)
                .description("Round trip of the latest PING").tags(tags).strongReference(true).register(registry);
    }

    private void gauge(MeterRegistry registry, Tags tags, String name, String description, String unit,
                       ToDoubleFunction<InfoCache> value) {
        Gauge.builder(name, cache, value).description(description).baseUnit(unit).tags(tags).strongReference(true)
                .register(registry);
    }

    private void counter(MeterRegistry registry, Tags tags, String name, String description, String unit, String field) {
        FunctionCounter.builder(name, cache, c -> c.number(field)).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }

    private CheckRegistration registration(String name, HealthCheck check) {
        return CheckRegistration.builder(name, check)
                .componentType(COMPONENT_TYPE)
                .critical(config.critical(name))
                .timeout(config.commandTimeout.multipliedBy(2).plusMillis(500))
                .interval(config.interval)
                .build();
    }

    /** A validating builder; every setter names the field, the bad value and the fix. */
    public static final class Builder {
        private final RedisTarget target;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration slowResponse = DEFAULT_SLOW_RESPONSE;
        private Duration interval = CheckRegistration.DEFAULT_INTERVAL;
        private OptionalLong memoryLimit = OptionalLong.empty();
        private double memoryWarn = DEFAULT_MEMORY_WARN_PERCENT;
        private double memoryFail = DEFAULT_MEMORY_FAIL_PERCENT;
        private double hitPass = DEFAULT_HIT_RATIO_PASS_PERCENT;
        private double hitWarn = DEFAULT_HIT_RATIO_WARN_PERCENT;
        private Duration hitWindow = DEFAULT_HIT_RATIO_WINDOW;
        private long hitMinLookups = DEFAULT_HIT_RATIO_MIN_LOOKUPS;
        private double connectionsWarn = DEFAULT_CONNECTIONS_WARN_PERCENT;
        private double connectionsFail = DEFAULT_CONNECTIONS_FAIL_PERCENT;
        private Tags tags = Tags.empty();
        private Clock clock = Clock.systemUTC();
        private boolean cacheMode;
        private Map<String, Boolean> criticalOverrides = new LinkedHashMap<>();

        private Builder(RedisTarget target) {
            this.target = target;
        }

        /** The deadline of one Redis command, connecting included (default 1 s). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive("commandTimeout", timeout, "Duration.ofMillis(500)");
            return this;
        }

        /** The PING time from which {@code redis:responseTime} warns (default 250 ms). */
        public Builder slowResponse(Duration slow) {
            this.slowResponse = positive("slowResponse", slow, "Duration.ofMillis(250)");
            return this;
        }

        /** The interval of every registration (default 10 s). */
        public Builder interval(Duration interval) {
            this.interval = positive("interval", interval, "Duration.ofSeconds(10)");
            return this;
        }

        /**
         * The memory limit to judge against when Redis has none ({@code maxmemory 0}), e.g. the
         * container's memory limit. Without it the host's memory ({@code total_system_memory}) is used.
         */
        public Builder memoryLimitBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memoryLimitBytes must be positive, but was " + bytes
                        + ": pass the container's limit, e.g. 512L * 1024 * 1024");
            }
            this.memoryLimit = OptionalLong.of(bytes);
            return this;
        }

        /** Memory utilization thresholds in percent (default warn 85, fail 95). */
        public Builder memoryThresholds(double warnPercent, double failPercent) {
            thresholds("memoryThresholds", warnPercent, failPercent, "memoryThresholds(85, 95)");
            this.memoryWarn = warnPercent;
            this.memoryFail = failPercent;
            return this;
        }

        /** Hit ratio thresholds in percent: pass from {@code passPercent}, warn from {@code warnPercent} (default 90, 80). */
        public Builder hitRatioThresholds(double passPercent, double warnPercent) {
            thresholds("hitRatioThresholds", warnPercent, passPercent, "hitRatioThresholds(90, 80)");
            this.hitPass = passPercent;
            this.hitWarn = warnPercent;
            return this;
        }

        /** The window of the hit ratio (default 5 min). */
        public Builder hitRatioWindow(Duration window) {
            this.hitWindow = positive("hitRatioWindow", window, "Duration.ofMinutes(5)");
            return this;
        }

        /** The lookups in the window before the hit ratio is judged (default 100). */
        public Builder hitRatioMinLookups(long lookups) {
            if (lookups < 1) {
                throw new IllegalArgumentException("hitRatioMinLookups must be at least 1, but was " + lookups
                        + ": use e.g. 100 so a handful of lookups is not judged");
            }
            this.hitMinLookups = lookups;
            return this;
        }

        /** Client utilization thresholds in percent against {@code maxclients} (default warn 80, fail 95). */
        public Builder connectionThresholds(double warnPercent, double failPercent) {
            thresholds("connectionThresholds", warnPercent, failPercent, "connectionThresholds(80, 95)");
            this.connectionsWarn = warnPercent;
            this.connectionsFail = failPercent;
            return this;
        }

        /** Tags added to every gauge, e.g. {@code Tags.of("redis", "cache")}; keep them bounded. */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * Redis as an optional cache: the application serves without it (reading its source of
         * truth instead), so no check is critical and a Redis that is down or degraded makes
         * readiness WARN, never FAIL. Default {@code false}: {@code redis:responseTime} and
         * {@code redis:cluster} are critical. Use it with {@link RedisConnectionWatchdog.Builder#critical(boolean)
         * critical(false)} on the watchdog.
         * {@link #critical(String, boolean)} overrides it per check, in either order.
         */
        public Builder cacheMode(boolean value) {
            this.cacheMode = value;
            return this;
        }

        /**
         * Whether the check {@code checkName} fails readiness ({@code true}) or only makes it WARN
         * ({@code false}), overriding the default and {@link #cacheMode(boolean)}.
         *
         * @param checkName one of {@link RedisHealth#CHECK_NAMES}, e.g. {@code "redis:hitRatio"}
         * @throws IllegalArgumentException naming the known checks if {@code checkName} is not one of them
         */
        public Builder critical(String checkName, boolean critical) {
            criticalOverrides.put(known(checkName, "checkName"), critical);
            return this;
        }

        /** The clock of the hit ratio window; for tests. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the checks. */
        public RedisHealth build() {
            return new RedisHealth(this);
        }

        private Builder copy() {
            Builder b = new Builder(target);
            b.commandTimeout = commandTimeout;
            b.slowResponse = slowResponse;
            b.interval = interval;
            b.memoryLimit = memoryLimit;
            b.memoryWarn = memoryWarn;
            b.memoryFail = memoryFail;
            b.hitPass = hitPass;
            b.hitWarn = hitWarn;
            b.hitWindow = hitWindow;
            b.hitMinLookups = hitMinLookups;
            b.connectionsWarn = connectionsWarn;
            b.connectionsFail = connectionsFail;
            b.tags = tags;
            b.clock = clock;
            b.cacheMode = cacheMode;
            b.criticalOverrides = Map.copyOf(criticalOverrides);
            return b;
        }

        private boolean critical(String name) {
            Boolean override = criticalOverrides.get(name);
            if (override != null) {
                return override;
            }
            return !cacheMode && CRITICAL_BY_DEFAULT.contains(name);
        }

        static String known(String checkName, String field) {
            if (checkName != null && CHECK_NAMES.contains(checkName)) {
                return checkName;
            }
            String hint = "";
            if (checkName != null) {
                for (String name : CHECK_NAMES) {
                    if (name.equalsIgnoreCase(checkName) || name.substring("redis:".length()).equalsIgnoreCase(checkName)) {
                        hint = " (did you mean '" + name + "'?)";
                    }
                }
            }
            String fix = RedisConnectionWatchdog.NAME.equals(checkName)
                    ? ": redis:connection is the watchdog's; use RedisConnectionWatchdog.builder(client).critical(...)"
                    : ": use one of " + String.join(", ", CHECK_NAMES);
            throw new IllegalArgumentException(field + " must name a check of RedisHealth, but was '" + checkName + "'" + hint + fix);
        }

        static Duration positive(String field, Duration value, String example) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, but was " + value + ": use e.g. " + example);
            }
            return value;
        }

        private static void thresholds(String field, double lower, double upper, String example) {
            if (!(lower > 0 && lower <= upper && upper <= 100)) {
                throw new IllegalArgumentException(field + " must satisfy 0 < " + lower + " <= " + upper
                        + " <= 100, but does not: use e.g. " + example);
            }
        }
    }
}
