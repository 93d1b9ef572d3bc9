package io.opskit.core.notify;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.OpsEvent;
import io.opskit.core.AttachContext;
import io.opskit.core.OpsComponent;
import io.opskit.core.OpsEvents;
import io.opskit.core.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends status changes and actions to a webhook as CloudEvents 1.0 JSON
 * ({@code application/cloudevents+json}), signed with HMAC-SHA256 ({@link WebhookSignature}).
 *
 * <p>It is only a listener: an event is offered to a bounded queue ({@code queueSize}, default
 * 1000) and the listener returns at once; one daemon thread of the sink posts events in order.
 * A failed post (connection error, timeout, 5xx, 429) is retried with exponential backoff
 * ({@code initialBackoff} doubling up to {@code maxBackoff}, {@code maxAttempts} in all); other 4xx
 * answers are not retried. When the queue is full the event is dropped and counted
 * ({@code opskit.notify.dropped{sink="webhook"}}). A receiver that hangs costs each attempt its
 * {@code timeout}, never a check, a probe or another listener.
 *
 * <pre>{@code
 * WebhookSink webhook = WebhookSink.builder(URI.create("https://hooks.example.com/opskit"))
 *         .secret(System.getenv("OPS_WEBHOOK_SECRET")).service("orders").build();
 * ops.attach(webhook);   // listens to the Ops' events, binds opskit.notify.* meters
 * }</pre>
 *
 * <p>Detaching stops listening; {@link #close()} stops the sender too.
 */
public final class WebhookSink implements OpsComponent, MeterBinder, AutoCloseable {

    /** Default capacity of the queue of events waiting to be sent. */
    public static final int DEFAULT_QUEUE_SIZE = 1000;
    /** Default attempts per event, the first included. */
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    /** Default delay before the first retry; it doubles each attempt. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
    /** Default cap of the delay between attempts. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Default bound of one attempt (connect and answer). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);

    private final URI uri;
    private final byte[] secret;
    private final String service;
    private final String instance;
    private final String source;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final boolean actions;
    private final Clock clock;
    private final BlockingQueue<OpsEvent> queue;
    private final HttpClient client;
    private final Thread sender;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile long lastDropWarnNanos;
    private volatile boolean closed;

    private WebhookSink(Builder b) {
        this.uri = b.uri;
        this.secret = b.secret.getBytes(StandardCharsets.UTF_8);
        this.service = b.service;
        this.instance = b.instance;
        this.source = b.source != null ? b.source : "urn:opskit:" + b.service + ":" + b.instance;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.timeout = b.timeout;
        this.actions = b.actions;
        this.clock = b.clock;
        this.queue = new ArrayBlockingQueue<>(b.queueSize);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = new Thread(this::run, "opskit-webhook");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Starts a sink posting to {@code uri}. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Listens to the status changes (and actions, unless turned off) of the Ops' events and binds
     * this sink's meters to its registry.
     *
     * @throws IllegalStateException when this sink is closed
     */
    @Override
    public void attachTo(AttachContext context) {
        for (AutoCloseable s : subscribe(context.ops().events())) {
            context.onDetach(s);
        }
        context.meters(this);
    }

    /** Listens to status changes (and actions, unless turned off) of {@code events}; returns the handles. */
    synchronized List<AutoCloseable> subscribe(OpsEvents events) {
        if (closed) {
            throw new IllegalStateException("this WebhookSink is closed: build a new one");
        }
        List<AutoCloseable> added = new ArrayList<>();
        added.add(events.onStatusChange(this::offer));
        if (actions) {
            added.add(events.onAction(this::offer));
        }
        subscriptions.addAll(added);
        return added;
    }

    /**
     * Queues {@code event} for sending; never blocks. Returns false (and counts the event as
     * dropped) when the queue is full or the sink is closed.
     */
    public boolean offer(OpsEvent event) {
        Objects.requireNonNull(event, "event");
        if (!closed && queue.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastDropWarnNanos > TimeUnit.MINUTES.toNanos(1)) {
            lastDropWarnNanos = now;
            LOG.warn("webhook {}: queue full ({} events), dropped '{}' ({} dropped in all)", Redactor.redact(uri.toString()),
                    queue.size(), event.describe(), dropped.get());
        }
        return false;
    }

    /** Events delivered (answered 2xx). */
    public long delivered() {
        return delivered.get();
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events given up on after their last attempt, or refused with a 4xx. */
    public long failed() {
        return failed.get();
    }

    /** Attempts that were retries. */
    public long retries() {
        return retries.get();
    }

    /** Events waiting in the queue. */
    public int queued() {
        return queue.size();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "opskit.notify.delivered", "Notifications delivered", delivered);
        counter(registry, "opskit.notify.dropped", "Notifications dropped because the sink's queue was full", dropped);
        counter(registry, "opskit.notify.failed", "Notifications given up on after their last attempt", failed);
        Gauge.builder("opskit.notify.queued", queue, BlockingQueue::size).description("Notifications waiting to be sent")
                .tag("sink", "webhook").register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, AtomicLong value) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).tag("sink", "webhook").register(registry);
    }

    private void run() {
        while (!closed) {
            OpsEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                deliver(event);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.warn("webhook {}: could not send '{}': {}", Redactor.redact(uri.toString()), event.describe(),
                        Redactor.redact(String.valueOf(e)));
            }
        }
    }

    private void deliver(OpsEvent event) throws InterruptedException {
        byte[] body = CloudEvents.render(event, source, service, instance);
        long backoff = initialBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                        .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                        .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, clock.instant(), body))
                        .header("User-Agent", "opskit-webhook")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    delivered.incrementAndGet();
                    return;
                }
                if (status / 100 == 4 && status != 408 && status != 429) {
                    failed.incrementAndGet();
                    LOG.warn("webhook {}: refused '{}' with HTTP {}; not retried", Redactor.redact(uri.toString()),
                            event.describe(), status);
                    return;
                }
                problem = "HTTP " + status;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Redactor.redact(e.getMessage()));
            }
            if (attempt >= maxAttempts || closed) {
                failed.incrementAndGet();
                LOG.warn("webhook {}: gave up on '{}' after {} attempts ({})", Redactor.redact(uri.toString()),
                        event.describe(), attempt, problem);
                return;
            }
            retries.incrementAndGet();
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    /** Stops listening and stops the sender; events still queued are not sent. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (AutoCloseable s : subscriptions) {
                try {
                    s.close();
                } catch (Exception e) {
                    // removing a listener does not fail
                }
            }
            subscriptions.clear();
        }
        sender.interrupt();
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Options of a {@link WebhookSink}; every setter validates. */
    public static final class Builder {
        private final URI uri;
        private String secret;
        private String service = "app";
        private String instance = NotifyDefaults.hostName();
        private String source;
        private int queueSize = DEFAULT_QUEUE_SIZE;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean actions = true;
        private Clock clock = Clock.systemUTC();

        private Builder(URI uri) {
            this.uri = NotifyDefaults.httpUri("uri", uri, "URI.create(\"https://hooks.example.com/opskit\")");
        }

        /** The shared secret the HMAC-SHA256 signature is keyed with; required, at least 16 characters. */
        public Builder secret(String value) {
            if (value == null || value.length() < 16) {
                throw new IllegalArgumentException("secret must be at least 16 characters, but was "
                        + (value == null ? "null" : value.length() + " characters")
                        + ": use a random string shared with the receiver, e.g. from `openssl rand -hex 32`");
            }
            this.secret = value;
            return this;
        }

        /** The service named in every event (default {@code app}). */
        public Builder service(String value) {
            this.service = NotifyDefaults.notBlank("service", value, "'orders'");
            return this;
        }

        /** The instance named in every event (default: the host name). */
        public Builder instance(String value) {
            this.instance = NotifyDefaults.notBlank("instance", value, "the pod name");
            return this;
        }

        /** The CloudEvents {@code source} (default {@code urn:opskit:<service>:<instance>}). */
        public Builder source(String value) {
            this.source = NotifyDefaults.notBlank("source", value, "'https://orders.example.com'");
            return this;
        }

        /** Capacity of the queue (default {@value WebhookSink#DEFAULT_QUEUE_SIZE}); events past it are dropped. */
        public Builder queueSize(int value) {
            this.queueSize = NotifyDefaults.atLeast("queueSize", value, 1, "1000");
            return this;
        }

        /** Attempts per event, the first included (default {@value WebhookSink#DEFAULT_MAX_ATTEMPTS}). */
        public Builder maxAttempts(int value) {
            this.maxAttempts = NotifyDefaults.atLeast("maxAttempts", value, 1, "6");
            return this;
        }

        /** Delay before the first retry, doubling each time (default 200 ms). */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = NotifyDefaults.positive("initialBackoff", value, "Duration.ofMillis(200)");
            return this;
        }

        /** Cap of the delay between attempts (default 30 s). */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = NotifyDefaults.positive("maxBackoff", value, "Duration.ofSeconds(30)");
            return this;
        }

        /** Bound of one attempt: connect and answer (default 5 s). */
        public Builder timeout(Duration value) {
            this.timeout = NotifyDefaults.positive("timeout", value, "Duration.ofSeconds(5)");
            return this;
        }

        /** Whether actions (reaper terminations, maintenance switches) are sent too (default true). */
        public Builder actions(boolean value) {
            this.actions = value;
            return this;
        }

        /** The clock signatures are stamped with (default: the system's). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock must not be null: use Clock.systemUTC()");
            return this;
        }

        /**
         * Builds the sink and starts its sender thread.
         *
         * @throws IllegalArgumentException if no secret was set, or maxBackoff is below initialBackoff
         */
        public WebhookSink build() {
            if (secret == null) {
                throw new IllegalArgumentException("secret must be set: webhook deliveries are signed; "
                        + "use secret(System.getenv(\"OPS_WEBHOOK_SECRET\")) with a random string of 16+ characters");
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must not be below initialBackoff, but was " + maxBackoff
                        + " < " + initialBackoff + ": raise maxBackoff");
            }
            return new WebhookSink(this);
        }
    }
}
