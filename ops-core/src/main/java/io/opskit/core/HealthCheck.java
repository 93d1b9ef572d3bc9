package io.opskit.core;

/**
 * One health check. The engine runs it in the background under its timeout; it never runs on a
 * request thread. A thrown exception is a {@link Status#FAIL} whose output is the exception's
 * class and message, passed through the {@link Redactor}.
 *
 * <pre>{@code
 * HealthCheck db = () -> connection.isValid(2) ? Result.pass() : Result.fail("connection invalid");
 * }</pre>
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Runs the check once. Implementations should honour thread interruption: the engine
     * interrupts a check that passed its deadline.
     *
     * @return the result, never {@code null}
     * @throws Exception any failure, reported as {@link Status#FAIL}
     */
    Result check() throws Exception;
}
