/**
 * opskit for HTTP, on the JDK alone: {@link io.opskit.http.HttpEndpointCheck} (the runbook's
 * {@code curl -I https://api…}), {@link io.opskit.http.TlsCertificateCheck} and
 * {@link io.opskit.http.KeyStoreCertificateCheck} (certificate expiry),
 * {@link io.opskit.http.OpsHttpClient} (correlation ID, metrics, a circuit breaker per host and
 * retries on outbound {@code java.net.http} calls) and {@link io.opskit.http.OpsHttpServer} (a
 * standalone management server for {@code /health} and {@code /metrics}).
 */
package io.opskit.http;
