package io.opskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link InFlightRequests} on real Jetty 12 and Tomcat 11: a shutdown waits for the requests still running. */
class InFlightRequestsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestServer start(String container, InFlightRequests inFlight, CountDownLatch release) throws Exception {
        ServletContainerInitializer setup = (classes, ctx) -> {
            var filter = ctx.addFilter("inFlight", inFlight);
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            ctx.addServlet("held", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    resp.getWriter().write("done");
                }
            }).addMapping("/held");
            var async = ctx.addServlet("async", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                    AsyncContext ac = req.startAsync();
                    ac.setTimeout(30_000);
                    CompletableFuture.runAsync(() -> {
                        try {
                            release.await(20, TimeUnit.SECONDS);
                            ac.getResponse().getWriter().write("done");
                        } catch (InterruptedException | IOException e) {
                            Thread.currentThread().interrupt();
                        }
                        ac.complete();
                    });
                }
            });
            async.setAsyncSupported(true);
            async.addMapping("/async");
            ctx.addServlet("quick", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.getWriter().write("quick");
                }
            }).addMapping("/quick");
        };
        return "jetty".equals(container) ? TestServer.jetty(setup) : TestServer.tomcat(setup);
    }

    private static CompletableFuture<HttpResponse<String>> get(TestServer server, String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void awaitIdleWaitsForARunningRequestAndReturnsOnceItHasAnswered(String container) throws Exception {
        InFlightRequests inFlight = InFlightRequests.create();
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = start(container, inFlight, release)) {
            assertThat(get(server, "/quick").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(inFlight.count()).isZero();

            CompletableFuture<HttpResponse<String>> held = get(server, "/held");
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.count() == 1);
            assertThat(inFlight.awaitIdle(Duration.ofMillis(200))).isFalse();

            CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
                try {
                    return inFlight.awaitIdle(Duration.ofSeconds(20));
                } catch (InterruptedException e) {
                    return false;
                }
            });
            assertThat(idle).isNotDone();
            release.countDown();
            assertThat(idle.get(20, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> answer = held.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("done");
            assertThat(inFlight.count()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty", "tomcat"})
    void anAsyncRequestCountsUntilItCompletes(String container) throws Exception {
        InFlightRequests inFlight = InFlightRequests.create();
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer server = start(container, inFlight, release)) {
            CompletableFuture<HttpResponse<String>> async = get(server, "/async");
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.count() == 1);
            assertThat(inFlight.awaitIdle(Duration.ofMillis(200))).isFalse();   // the servlet returned, the request did not
            release.countDown();
            assertThat(async.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
            assertThat(inFlight.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aNegativeTimeoutIsRejectedWithTheFix() {
        assertThatThrownBy(() -> InFlightRequests.create().awaitIdle(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S").hasMessageContaining("use e.g.");
    }
}
