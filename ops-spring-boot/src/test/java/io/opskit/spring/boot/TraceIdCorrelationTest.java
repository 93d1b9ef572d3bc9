package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleTracer;
import jakarta.servlet.Filter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** With Micrometer Tracing, a request without a correlation ID of its own is correlated by its trace id. */
class TraceIdCorrelationTest {

    private static final Map<String, String> TRACE_IDS = new ConcurrentHashMap<>();
    private static ConfigurableApplicationContext app;

    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return MDC.get("correlationId");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hello.class)
    static class App {
        @Bean
        SimpleTracer tracer() {
            return new SimpleTracer();
        }

        /** Stands in for the tracing observation handler: a span in scope around the request, as a tracer bridge opens. */
        @Bean
        FilterRegistrationBean<Filter> tracingFilter(Tracer tracer) {
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((req, res, chain) -> {
                Span span = tracer.nextSpan().name("request").start();
                try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                    TRACE_IDS.put(((jakarta.servlet.http.HttpServletRequest) req).getQueryString(), span.context().traceId());
                    chain.doFilter(req, res);
                } finally {
                    span.end();
                }
            });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }

    @BeforeAll
    static void start() {
        app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aRequestWithoutAnIdIsCorrelatedByItsTraceId() {
        HttpResponse<String> r = TestApps.get(app, "/hello?first", Duration.ofSeconds(5));
        String traceId = TRACE_IDS.get("first");
        assertThat(traceId).isNotBlank();
        assertThat(r.headers().firstValue("X-Correlation-ID")).contains(traceId);
        assertThat(r.body()).isEqualTo(traceId);
    }

    @Test
    void anInboundCorrelationIdStillWins() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + TestApps.port(app) + "/hello?second"))
                .header("X-Correlation-ID", "order-42").timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("X-Correlation-ID")).contains("order-42");
        assertThat(r.body()).isEqualTo("order-42");
        assertThat(TRACE_IDS.get("second")).isNotEqualTo("order-42");
    }
}
