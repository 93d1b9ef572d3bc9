package io.opskit.spring.boot;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code opskit.*} properties. Every part of the auto-configuration can be switched off on its own
 * ({@code opskit.<part>.enabled=false}); {@code opskit.enabled=false} switches off all of it.
 *
 * <p>A JavaBean because that is how Spring Boot binds and documents properties (the
 * configuration processor writes {@code META-INF/spring-configuration-metadata.json} from it);
 * opskit's own configs stay immutable: these values are read once, when the beans are built.
 */
@ConfigurationProperties("opskit")
public class OpsProperties {

    /** Whether opskit is auto-configured at all. */
    private boolean enabled = true;
    /** The serviceId of the health document; defaults to spring.application.name. */
    private String serviceId;
    /** The version of the health document; defaults to the build version of BuildProperties when present. */
    private String version;
    /** The releaseId of the health document. */
    private String releaseId = "";
    /** Worker threads that run checks in parallel. */
    private int threads = Ops.DEFAULT_THREADS;
    /** Per-check settings keyed by contributor or check name, '/' for ':' ({@code db}, {@code [db/primary]}, {@code [disk/space]}, ...). */
    private final Map<String, Check> checks = new LinkedHashMap<>();
    private final Actuator actuator = new Actuator();
    private final Lifecycle lifecycle = new Lifecycle();
    private final Switch system = new Switch();
    private final Jdbc jdbc = new Jdbc();
    private final Redis redis = new Redis();
    private final Switch breakers = new Switch();
    private final Maintenance maintenance = new Maintenance();
    private final Correlation correlation = new Correlation();
    private final HttpMetrics httpMetrics = new HttpMetrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getServiceId() {
        return serviceId;
    }

    public void setServiceId(String serviceId) {
        this.serviceId = serviceId;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    public String getReleaseId() {
        return releaseId;
    }

    public void setReleaseId(String releaseId) {
        this.releaseId = releaseId;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public Map<String, Check> getChecks() {
        return checks;
    }

    public Actuator getActuator() {
        return actuator;
    }

    public Lifecycle getLifecycle() {
        return lifecycle;
    }

    public Switch getSystem() {
        return system;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Redis getRedis() {
        return redis;
    }

    public Switch getBreakers() {
        return breakers;
    }

    public Maintenance getMaintenance() {
        return maintenance;
    }

    public Correlation getCorrelation() {
        return correlation;
    }

    public HttpMetrics getHttpMetrics() {
        return httpMetrics;
    }

    /** The settings of one check; unset values keep the check's own defaults. */
    public static class Check {
        /** How long one run may take before it is FAIL ("timed out after ..."). */
        private Duration timeout;
        /** How often the check runs. */
        private Duration interval;
        /** Consecutive failures before the check is reported FAIL. */
        private Integer failureThreshold;
        /** Consecutive successes before a failed check is reported healthy again. */
        private Integer successThreshold;
        /** Whether a FAIL of this check fails its probes (false: WARN at worst). */
        private Boolean critical;

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Integer getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(Integer failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public Integer getSuccessThreshold() {
            return successThreshold;
        }

        public void setSuccessThreshold(Integer successThreshold) {
            this.successThreshold = successThreshold;
        }

        public Boolean getCritical() {
            return critical;
        }

        public void setCritical(Boolean critical) {
            this.critical = critical;
        }

        /** {@code builder} with every value set here applied. */
        CheckRegistration.Builder applyTo(CheckRegistration.Builder builder) {
            if (timeout != null) {
                builder.timeout(timeout);
            }
            if (interval != null) {
                builder.interval(interval);
            }
            if (failureThreshold != null) {
                builder.failureThreshold(failureThreshold);
            }
            if (successThreshold != null) {
                builder.successThreshold(successThreshold);
            }
            if (critical != null) {
                builder.critical(critical);
            }
            return builder;
        }
    }

    /** A part that can be switched on and off. */
    public static class Switch {
        /** Whether this part is auto-configured. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * opskit's engine behind Spring Boot Actuator's health endpoint ({@code enabled} switches this bridge), and who
     * may do what on the {@code opskit} Actuator endpoint ({@link OpskitEndpoint}; exposed and switched like every
     * Actuator endpoint, with {@code management.endpoints.web.exposure.include} and {@code management.endpoint.opskit.access}).
     */
    public static class Actuator extends Switch {
        /** The default role of operators on the opskit Actuator endpoint. */
        public static final String DEFAULT_OPERATOR_ROLE = "OPS_OPERATOR";
        /** The default role of viewers on the opskit Actuator endpoint. */
        public static final String DEFAULT_VIEWER_ROLE = "OPS_VIEWER";

        /** Default timeout of an Actuator health indicator run by opskit. */
        private Duration timeout = CheckRegistration.DEFAULT_TIMEOUT;
        /** Default interval of an Actuator health indicator run by opskit. */
        private Duration interval = Duration.ofSeconds(5);
        /** Default consecutive failures before an Actuator health indicator is reported DOWN. */
        private int failureThreshold = CheckRegistration.DEFAULT_FAILURE_THRESHOLD;
        /** Default consecutive successes before it is reported UP again. */
        private int successThreshold = CheckRegistration.DEFAULT_SUCCESS_THRESHOLD;
        /** Whether opskit's own checks (db:connection, redis:*, disk:space, ...) appear in /actuator/health under 'opskit'. */
        private boolean showOpskitChecks = true;
        /** Whether an anonymous GET of /actuator/health replays Actuator's last answer while opskit's snapshot and Boot's availability states are unchanged. */
        private boolean replayAnswers = true;
        /** The role (as Spring Security's hasRole, without ROLE_) that may change things through /actuator/opskit. */
        private String operatorRole = DEFAULT_OPERATOR_ROLE;
        /** The role (as Spring Security's hasRole, without ROLE_) that may read /actuator/opskit. */
        private String viewerRole = DEFAULT_VIEWER_ROLE;
        /** Whether any authenticated user may read /actuator/opskit, also without the viewer role. */
        private boolean authenticatedIsViewer;

        public boolean isReplayAnswers() {
            return replayAnswers;
        }

        public void setReplayAnswers(boolean replayAnswers) {
            this.replayAnswers = replayAnswers;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public int getSuccessThreshold() {
            return successThreshold;
        }

        public void setSuccessThreshold(int successThreshold) {
            this.successThreshold = successThreshold;
        }

        public boolean isShowOpskitChecks() {
            return showOpskitChecks;
        }

        public void setShowOpskitChecks(boolean showOpskitChecks) {
            this.showOpskitChecks = showOpskitChecks;
        }

        public String getOperatorRole() {
            return operatorRole;
        }

        public void setOperatorRole(String operatorRole) {
            this.operatorRole = operatorRole;
        }

        public String getViewerRole() {
            return viewerRole;
        }

        public void setViewerRole(String viewerRole) {
            this.viewerRole = viewerRole;
        }

        public boolean isAuthenticatedIsViewer() {
            return authenticatedIsViewer;
        }

        public void setAuthenticatedIsViewer(boolean authenticatedIsViewer) {
            this.authenticatedIsViewer = authenticatedIsViewer;
        }
    }

    /** opskit's lifecycle bound to Spring's: readiness, drain before graceful shutdown. */
    public static class Lifecycle extends Switch {
        /** How long readiness is refused (while still serving) before the web server's graceful shutdown begins. */
        private Duration drain = Ops.DEFAULT_DRAIN;

        public Duration getDrain() {
            return drain;
        }

        public void setDrain(Duration drain) {
            this.drain = drain;
        }
    }

    /** The application's DataSource: checks, HikariCP watchdog, leak tracking, slow queries, reaper. */
    public static class Jdbc extends Switch {
        /** Whether connections are tracked for leaks (db:connectionLeaks, /ops/leaks). */
        private boolean leaks = true;
        /** Connections held longer than this are leak suspects. */
        private Duration leakThreshold = Duration.ofSeconds(30);
        /** Whether statements are timed (db:responseTime, opskit.db.query, slow queries). */
        private boolean queries = true;
        /** Whether HikariCP pools get the watchdog (hikari:utilization, opskit.db.pool.*). */
        private boolean watchdog = true;
        private final Reaper reaper = new Reaper();

        public boolean isLeaks() {
            return leaks;
        }

        public void setLeaks(boolean leaks) {
            this.leaks = leaks;
        }

        public Duration getLeakThreshold() {
            return leakThreshold;
        }

        public void setLeakThreshold(Duration leakThreshold) {
            this.leakThreshold = leakThreshold;
        }

        public boolean isQueries() {
            return queries;
        }

        public void setQueries(boolean queries) {
            this.queries = queries;
        }

        public boolean isWatchdog() {
            return watchdog;
        }

        public void setWatchdog(boolean watchdog) {
            this.watchdog = watchdog;
        }

        public Reaper getReaper() {
            return reaper;
        }
    }

    /** The idle-connection reaper: opt-in, PostgreSQL pools only. */
    public static class Reaper {
        /** Whether idle sessions of the application's own pool are terminated. */
        private boolean enabled;
        /** Sessions idle longer than this are terminated. */
        private Duration idleTimeout = Duration.ofMinutes(5);
        /** How often the reaper runs. */
        private Duration interval = Duration.ofMinutes(1);
        /** Only report what would be terminated. */
        private boolean dryRun;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public boolean isDryRun() {
            return dryRun;
        }

        public void setDryRun(boolean dryRun) {
            this.dryRun = dryRun;
        }
    }

    /** The application's Lettuce RedisConnectionFactory. */
    public static class Redis extends Switch {
        /** Whether Redis is a cache the application serves without (every Redis check non-critical). */
        private boolean cacheMode = true;

        public boolean isCacheMode() {
            return cacheMode;
        }

        public void setCacheMode(boolean cacheMode) {
            this.cacheMode = cacheMode;
        }
    }

    /** Maintenance mode and its filter. */
    public static class Maintenance extends Switch {
        /** A file whose presence turns maintenance on (its first line is the reason). */
        private Path flagFile;
        /** The operators' bypass secret (16+ characters), sent as header X-Maintenance-Bypass. */
        private String bypassSecret;
        /** Path prefixes that stay reachable during maintenance. */
        private List<String> passThrough = new ArrayList<>(List.of("/actuator/", "/ops/"));
        /** Client networks (CIDR) let through during maintenance. */
        private List<String> allowCidrs = new ArrayList<>();

        public Path getFlagFile() {
            return flagFile;
        }

        public void setFlagFile(Path flagFile) {
            this.flagFile = flagFile;
        }

        public String getBypassSecret() {
            return bypassSecret;
        }

        public void setBypassSecret(String bypassSecret) {
            this.bypassSecret = bypassSecret;
        }

        public List<String> getPassThrough() {
            return passThrough;
        }

        public void setPassThrough(List<String> passThrough) {
            this.passThrough = passThrough;
        }

        public List<String> getAllowCidrs() {
            return allowCidrs;
        }

        public void setAllowCidrs(List<String> allowCidrs) {
            this.allowCidrs = allowCidrs;
        }
    }

    /** The correlation-ID filter. */
    public static class Correlation extends Switch {
        /** Whether the current trace id (Micrometer Tracing) is the correlation ID of a request that carries none. */
        private boolean useTraceId = true;

        public boolean isUseTraceId() {
            return useTraceId;
        }

        public void setUseTraceId(boolean useTraceId) {
            this.useTraceId = useTraceId;
        }
    }

    /** opskit's own HTTP server metrics filter. */
    public static class HttpMetrics extends Switch {
        // enabled: whether opskit's HttpMetricsFilter records http.server.requests; it backs off
        // whenever Spring's observation filter records them, so the two never clash
    }
}
