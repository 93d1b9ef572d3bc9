package io.opskit.core;

import io.opskit.core.internal.JsonValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable outcome of one run of a {@link HealthCheck}: a status, an optional human
 * output, an optional observed value with its unit, a small map of details, when it was
 * observed and how long the check took.
 *
 * <pre>{@code
 * return Result.warn("pool at 85%").withObservedValue(85.0, "percent").withDetail("active", 17);
 * }</pre>
 *
 * <p>Every {@code with…} method returns a new instance. A result can never break a view: the
 * output is redacted and capped at 2,048 characters ("… N more"); details are copied as JSON
 * values (strings, numbers, booleans, lists and maps of them, at most 4 levels deep and 64
 * entries wide), and anything else becomes its redacted string.
 */
public final class Result {

    private static final Result PASS = new Result(Status.PASS, "", null, "", Map.of(), Instant.EPOCH, Duration.ZERO);

    private final Status status;
    private final String output;
    private final Object observedValue;
    private final String observedUnit;
    private final Map<String, Object> details;
    private final Instant time;
    private final Duration duration;

    private Result(Status status, String output, Object observedValue, String observedUnit,
                   Map<String, Object> details, Instant time, Duration duration) {
        this.status = status;
        this.output = output;
        this.observedValue = observedValue;
        this.observedUnit = observedUnit;
        this.details = details;
        this.time = time;
        this.duration = duration;
    }

    /** A passing result with no output. */
    public static Result pass() {
        return PASS;
    }

    /** A passing result with a human output. */
    public static Result pass(String output) {
        return of(Status.PASS, output);
    }

    /** A warning with a human output saying what is of concern. */
    public static Result warn(String output) {
        return of(Status.WARN, output);
    }

    /** A failure with a human output saying what failed. */
    public static Result fail(String output) {
        return of(Status.FAIL, output);
    }

    /** A failure whose output is the exception's class and message, redacted. */
    public static Result fail(Throwable error) {
        Objects.requireNonNull(error, "error");
        return of(Status.FAIL, describe(error));
    }

    /** A result of the given status and output. */
    public static Result of(Status status, String output) {
        Objects.requireNonNull(status, "status");
        return new Result(status, JsonValues.text(output == null ? "" : output), null, "", Map.of(),
                Instant.EPOCH, Duration.ZERO);
    }

    /** The class name and message of an error, redacted: how a thrown exception is reported. */
    public static String describe(Throwable error) {
        String message;
        try {
            message = error.getMessage();
        } catch (RuntimeException e) {
            message = null;         // a getMessage() that throws must not break reporting
        }
        String text = message == null || message.isBlank()
                ? error.getClass().getName()
                : error.getClass().getName() + ": " + message;
        return JsonValues.text(text);
    }

    /** This result with one more detail (replacing a detail of the same key). */
    public Result withDetail(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value of detail " + key);
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(key, Redactor.isSensitiveKey(key) ? Redactor.MASK : JsonValues.sanitize(value));
        return new Result(status, output, observedValue, observedUnit, Collections.unmodifiableMap(copy), time, duration);
    }

    /** This result with all of {@code more} added to its details. */
    public Result withDetails(Map<String, ?> more) {
        Map<String, Object> copy = new LinkedHashMap<>(details);
        more.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "detail key"), Redactor.isSensitiveKey(k) ? Redactor.MASK
                : JsonValues.sanitize(Objects.requireNonNull(v, "value of detail " + k))));
        return new Result(status, output, observedValue, observedUnit, Collections.unmodifiableMap(copy), time, duration);
    }

    /** This result with an observed value (a number or a string) and its unit (e.g. {@code ms}, {@code percent}). */
    public Result withObservedValue(Object value, String unit) {
        Objects.requireNonNull(value, "value");
        Object safe = value instanceof Number ? JsonValues.sanitize(value) : JsonValues.text(String.valueOf(value));
        if (!(safe instanceof Number) && !(safe instanceof String)) {
            safe = JsonValues.text(String.valueOf(safe));
        }
        return new Result(status, output, safe, unit == null ? "" : JsonValues.text(unit), details, time, duration);
    }

    /** This result with another output. */
    public Result withOutput(String newOutput) {
        return new Result(status, JsonValues.text(newOutput == null ? "" : newOutput), observedValue, observedUnit, details, time, duration);
    }

    /** This result with another status, keeping everything else. */
    public Result withStatus(Status newStatus) {
        return new Result(Objects.requireNonNull(newStatus, "status"), output, observedValue, observedUnit, details, time, duration);
    }

    /** This result stamped with when it was observed and how long the check took; the engine does this. */
    public Result withTiming(Instant observedAt, Duration took) {
        return new Result(status, output, observedValue, observedUnit, details,
                Objects.requireNonNull(observedAt, "observedAt"), Objects.requireNonNull(took, "took"));
    }

    /** The status. */
    public Status status() {
        return status;
    }

    /** The human output, if any. */
    public Optional<String> output() {
        return output.isEmpty() ? Optional.empty() : Optional.of(output);
    }

    /** The observed value, if any: a number or a string. */
    public Optional<Object> observedValue() {
        return Optional.ofNullable(observedValue);
    }

    /** The unit of the observed value, if any. */
    public Optional<String> observedUnit() {
        return observedUnit.isEmpty() ? Optional.empty() : Optional.of(observedUnit);
    }

    /** The details, in insertion order; unmodifiable. */
    public Map<String, Object> details() {
        return details;
    }

    /** When the result was observed ({@link Instant#EPOCH} until the engine stamps it). */
    public Instant time() {
        return time;
    }

    /** How long the check took. */
    public Duration duration() {
        return duration;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Result)) {
            return false;
        }
        Result r = (Result) o;
        return status == r.status && output.equals(r.output) && Objects.equals(observedValue, r.observedValue)
                && observedUnit.equals(r.observedUnit) && details.equals(r.details) && time.equals(r.time)
                && duration.equals(r.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, output, observedValue, observedUnit, details, time, duration);
    }

    @Override
    public String toString() {
        return "Result{" + status + (output.isEmpty() ? "" : ", output=" + output)
                + (observedValue == null ? "" : ", observed=" + observedValue + observedUnit)
                + (details.isEmpty() ? "" : ", details=" + details) + '}';
    }
}
