package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The starter in a web application that has no database at all: neither HikariCP nor Spring's JDBC
 * support on its classpath. Run in a JVM of its own whose classpath is this test's minus those jars,
 * because a class the starter loads must not need them (a cast to {@code HikariConfig} in
 * {@code OpsDataSources} once made such an application fail to start).
 */
class WithoutDatabaseTest {

    private static final Pattern PORT = Pattern.compile("OPSKIT_TEST_PORT=(\\d+)");

    @Test
    void aWebApplicationWithoutADatabaseStartsAndAnswersHealthFromTheSnapshot() throws Exception {
        String classpath = Arrays.stream(testClasspath().split(File.pathSeparator))
                .filter(entry -> Arrays.stream(BootLine.JDBC_JARS).noneMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classpath).doesNotContain("HikariCP");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process app = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", classpath, NoDatabaseApp.class.getName())
                .redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    Matcher m = PORT.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the application ended without serving"));
        }, "no-database-app-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int p;
            try {
                p = port.get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("did not start:\n" + String.join("\n", output), e);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> health = TestApps.get(p, "/actuator/health", Duration.ofSeconds(5));
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"app\"").contains("UP");
            });
            assertThat(output).noneMatch(l -> l.contains("NoClassDefFoundError") || l.contains("ClassNotFoundException"));
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private static String testClasspath() {
        // surefire runs tests through a manifest-only jar; the real classpath is in this property
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /** The application: Spring MVC with Actuator and the starter, one indicator of its own, no database. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class NoDatabaseApp {

        @Bean
        TestIndicator app() {
            return TestHealth::up;
        }

        public static void main(String[] args) {
            List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                    "spring.main.banner-mode=off", "management.endpoint.health.show-details=always",
                    // the test's classpath has Spring Data Redis; this application has no Redis either
                    "spring.autoconfigure.exclude=" + TestApps.NO_REDIS));
            new SpringApplicationBuilder(NoDatabaseApp.class).properties(properties.toArray(String[]::new))
                    .listeners(event -> {
                        BootLine.startedPort(event).ifPresent(port -> System.out.println("OPSKIT_TEST_PORT=" + port));
                    }).run(args);
        }
    }
}
