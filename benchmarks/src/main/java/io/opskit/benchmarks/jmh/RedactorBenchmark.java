package io.opskit.benchmarks.jmh;

import io.opskit.core.Redactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The redactor on the path every check output takes (issue 14): an output without a secret must
 * cost one scan and no allocation; one with secrets pays for the masking rules only then.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class RedactorBenchmark {

    /** A typical check output: no trigger, returned as it is. */
    public String cleanOutput = "pool at 85% (17 of 20 active), 3 waiting; p95 182 ms over the last 60 s";

    /** A typical failure: a driver message that carries a URL with a password. */
    public String secretOutput =
            "java.sql.SQLException: FATAL: password authentication failed for jdbc:postgresql://app:hunter2@db:5432/app";

    /** A user-controlled log argument with a forged line and a secret. */
    public String hostileLogLine = "db upgrade\r\nINFO all clear \u001b[2J token=abc123 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9";

    /**
     * A check output without any secret: the pre-scan alone.
     *
     * @return the same text
     */
    @Benchmark
    public String redactCleanOutput() {
        return Redactor.redact(cleanOutput);
    }

    /**
     * A check output with a credential in a JDBC URL: every masking rule runs.
     *
     * @return the redacted text
     */
    @Benchmark
    public String redactSecretOutput() {
        return Redactor.redact(secretOutput);
    }

    /**
     * A log argument with control characters and secrets: redaction and escaping.
     *
     * @return the text, redacted, on one line
     */
    @Benchmark
    public String forLogHostileLine() {
        return Redactor.forLog(hostileLogLine);
    }
}
