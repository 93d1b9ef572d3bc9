package io.opskit.core.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.AttachContext;
import io.opskit.core.OpsComponent;
import io.opskit.core.OpsEvents;
import io.opskit.core.Redactor;
import io.opskit.core.Severity;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns failing checks into alerts posted to Alertmanager's {@code /api/v2/alerts}: a check
 * that turns FAIL is posted at once (labels {@code alertname=OpskitCheckFailing}, {@code service},
 * {@code instance}, {@code check}, {@code severity}, {@code routing}; annotations {@code summary},
 * {@code description} with the check's redacted output, {@code runbook_url}), re-posted every
 * {@code resendInterval} while it fails with {@code endsAt} four intervals ahead (as Prometheus
 * does, so Alertmanager never resolves a live alert by itself), and posted with {@code endsAt}
 * = the recovery time when it recovers. A post that fails is retried on the next interval.
 *
 * <p>Like every listener it runs off the engine: events are handed to the sink's own thread,
 * which does all HTTP; a slow Alertmanager delays nothing else.
 *
 * <pre>{@code
 * AlertmanagerSink alerts = AlertmanagerSink.builder(URI.create("http://alertmanager:9093"))
 *         .service("orders").build();
 * ops.attach(alerts);   // listens to the Ops' status changes, binds opskit.notify.* meters
 * }</pre>
 *
 * <p>Detaching stops listening; {@link #close()} stops the sink's thread too.
 */
public final class AlertmanagerSink implements OpsComponent, MeterBinder, AutoCloseable {

    /** The alert name posted. */
    public static final String ALERT_NAME = "OpskitCheckFailing";
    /** Default interval of re-posting firing alerts. */
    public static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);
    /** Default bound of one post. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Default runbook link. */
    public static final String DEFAULT_RUNBOOK_URL = "https://github.com/opskit/opskit/blob/main/docs/runbook.md#opskitcheckfailing";

    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final String service;
    private final String instance;
    private final String runbookUrl;
    private final Duration resendInterval;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;
    private final ScheduledExecutorService thread;
    // touched only on the sink's thread
    private final Map<String, Alert> firing = new LinkedHashMap<>();
    private final Map<String, Alert> resolving = new LinkedHashMap<>();
    private final AtomicLong posted = new AtomicLong();
    private final AtomicLong failedPosts = new AtomicLong();
    private AutoCloseable subscription = () -> { };
    private volatile boolean closed;
    private long lastFailureLogNanos = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);

    private AlertmanagerSink(Builder b) {
        this.endpoint = b.alertmanager.resolve(b.alertmanager.getPath().endsWith("/") ? "api/v2/alerts" : "/api/v2/alerts");
        this.service = b.service;
        this.instance = b.instance;
        this.runbookUrl = b.runbookUrl;
        this.resendInterval = b.resendInterval;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opskit-alertmanager");
            t.setDaemon(true);
            return t;
        });
        long every = resendInterval.toMillis();
        thread.scheduleWithFixedDelay(this::resend, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts a sink posting to the Alertmanager at {@code alertmanager} (e.g. {@code http://alertmanager:9093}). */
    public static Builder builder(URI alertmanager) {
        return new Builder(alertmanager);
    }

    /**
     * Listens to the status changes of the Ops' events and binds this sink's meters to its registry.
     *
     * @throws IllegalStateException when this sink is closed
     */
    @Override
    public void attachTo(AttachContext context) {
        context.onDetach(subscribe(context.ops().events()));
        context.meters(this);
    }

    /** Listens to the status changes of {@code events}; returns the handle. */
    synchronized AutoCloseable subscribe(OpsEvents events) {
        if (closed) {
            throw new IllegalStateException("this AlertmanagerSink is closed: build a new one");
        }
        subscription = events.onStatusChange(this::accept);
        return subscription;
    }

    /** Takes one status change; returns at once, the post happens on the sink's thread. */
    public void accept(StatusChangeEvent event) {
        Objects.requireNonNull(event, "event");
        try {
            thread.execute(() -> handle(event));
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Successful posts. */
    public long posted() {
        return posted.get();
    }

    /** Failed posts (retried on the next interval). */
    public long failedPosts() {
        return failedPosts.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("opskit.notify.delivered", posted, AtomicLong::get)
                .description("Notifications delivered").tag("sink", "alertmanager").register(registry);
        FunctionCounter.builder("opskit.notify.failed", failedPosts, AtomicLong::get)
                .description("Notifications given up on after their last attempt").tag("sink", "alertmanager").register(registry);
    }

    private void handle(StatusChangeEvent e) {
        if (e.to() == Status.FAIL) {
            Alert before = firing.get(e.check());
            resolving.remove(e.check());
            Alert a = new Alert(e.check(), e.severity(), Redactor.redact(e.output()),
                    before != null ? before.startsAt : e.time(), null);
            firing.put(e.check(), a);
            post(Map.of(e.check(), a));
        } else {
            Alert was = firing.remove(e.check());
            if (was != null) {
                Alert resolved = new Alert(was.check, was.severity, was.output, was.startsAt, e.time());
                resolving.put(e.check(), resolved);
                if (post(Map.of(e.check(), resolved))) {
                    resolving.remove(e.check());
                }
            }
        }
    }

    private void resend() {
        if (firing.isEmpty() && resolving.isEmpty()) {
            return;
        }
        Map<String, Alert> all = new LinkedHashMap<>(firing);
        all.putAll(resolving);
        if (post(all)) {
            resolving.clear();
        }
    }

    private boolean post(Map<String, Alert> alerts) {
        Instant now = clock.instant();
        ArrayNode body = JSON.createArrayNode();
        for (Alert a : alerts.values()) {
            ObjectNode n = body.addObject();
            ObjectNode labels = n.putObject("labels");
            labels.put("alertname", ALERT_NAME);
            labels.put("service", service);
            labels.put("instance", instance);
            labels.put("check", a.check);
            labels.put("severity", a.severity.name());
            labels.put("routing", a.severity.routing());
            ObjectNode annotations = n.putObject("annotations");
            annotations.put("summary", "Check " + a.check + " fails on " + instance);
            annotations.put("description", a.output.isEmpty() ? "Check " + a.check + " reports fail." : a.output);
            annotations.put("runbook_url", runbookUrl);
            n.put("startsAt", a.startsAt.toString());
            n.put("endsAt", (a.endsAt != null ? a.endsAt : now.plus(resendInterval.multipliedBy(4))).toString());
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                posted.incrementAndGet();
                return true;
            }
            failed("HTTP " + response.statusCode() + " " + Redactor.redact(response.body()));
        } catch (IOException e) {
            failed(e.getClass().getSimpleName() + ": " + Redactor.redact(String.valueOf(e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void failed(String why) {
        failedPosts.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastFailureLogNanos > TimeUnit.MINUTES.toNanos(1)) {
            lastFailureLogNanos = now;
            LOG.warn("alertmanager {}: post failed ({}); retrying every {}s", Redactor.redact(endpoint.toString()), why,
                    resendInterval.toSeconds());
        }
    }

    /** Stops listening and stops the sink's thread. Firing alerts expire in Alertmanager at their endsAt. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                subscription.close();
            } catch (Exception e) {
                // removing a listener does not fail
            }
        }
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Alert(String check, Severity severity, String output, Instant startsAt, Instant endsAt) {
    }

    /** Options of an {@link AlertmanagerSink}; every setter validates. */
    public static final class Builder {
        private final URI alertmanager;
        private String service = "app";
        private String instance = NotifyDefaults.hostName();
        private String runbookUrl = DEFAULT_RUNBOOK_URL;
        private Duration resendInterval = DEFAULT_RESEND_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder(URI alertmanager) {
            this.alertmanager = NotifyDefaults.httpUri("alertmanager", alertmanager, "URI.create(\"http://alertmanager:9093\")");
        }

        /** The {@code service} label (default {@code app}). */
        public Builder service(String value) {
            this.service = NotifyDefaults.notBlank("service", value, "'orders'");
            return this;
        }

        /** The {@code instance} label (default: the host name). */
        public Builder instance(String value) {
            this.instance = NotifyDefaults.notBlank("instance", value, "the pod name");
            return this;
        }

        /** The {@code runbook_url} annotation (default: docs/runbook.md#opskitcheckfailing of opskit). */
        public Builder runbookUrl(String value) {
            this.runbookUrl = NotifyDefaults.notBlank("runbookUrl", value, "'https://wiki.example.com/runbooks/orders'");
            return this;
        }

        /**
         * How often firing alerts are posted again (default 1 minute); each post sets endsAt four
         * intervals ahead. Keep it well below Alertmanager's {@code resolve_timeout} (5 minutes).
         */
        public Builder resendInterval(Duration value) {
            this.resendInterval = NotifyDefaults.positive("resendInterval", value, "Duration.ofMinutes(1)");
            return this;
        }

        /** Bound of one post (default 5 s). */
        public Builder timeout(Duration value) {
            this.timeout = NotifyDefaults.positive("timeout", value, "Duration.ofSeconds(5)");
            return this;
        }

        /** The clock endsAt is computed with (default: the system's). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock must not be null: use Clock.systemUTC()");
            return this;
        }

        /** Builds the sink and starts its thread. */
        public AlertmanagerSink build() {
            return new AlertmanagerSink(this);
        }
    }
}
