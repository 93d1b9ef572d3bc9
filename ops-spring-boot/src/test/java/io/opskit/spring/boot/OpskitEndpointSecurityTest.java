package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.ActionEvent;
import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The {@code opskit} Actuator endpoint behind Spring Security (HTTP basic, users in memory): roles come from
 * Actuator's security context, opskit's surface authorises and audits with the user's name. Runs in the
 * {@code spring-security} surefire execution, the only one with Spring Security on the class path.
 */
@Tag("spring-security")
class OpskitEndpointSecurityTest {

    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
            return http.securityMatcher(BootSecurity.anyEndpoint())
                    .authorizeHttpRequests(a -> a.requestMatchers("/actuator/opskit/info").permitAll()
                            .requestMatchers(BootSecurity.endpoint(OpskitEndpoint.class)).authenticated()
                            .anyRequest().permitAll())
                    .httpBasic(Customizer.withDefaults())
                    // Actuator's writes are JSON calls of operators' tools, not browser forms
                    .csrf(c -> c.ignoringRequestMatchers(BootSecurity.endpoint(OpskitEndpoint.class)))
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("vera").password("{noop}vera-password").roles("OPS_VIEWER").build(),
                    User.withUsername("otto").password("{noop}otto-password").roles("OPS_OPERATOR").build(),
                    User.withUsername("nina").password("{noop}nina-password").roles("SALES").build());
        }
    }

    @BeforeAll
    static void start() {
        app = TestApps.start(new Class<?>[] {App.class}, "management.endpoints.web.exposure.include=health,opskit",
                "management.endpoint.opskit.access=unrestricted",
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<byte[]> call(String user, String method, String path, String body) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8));
        return user == null ? TestApps.send(TestApps.port(app), method, path, body)
                : TestApps.send(TestApps.port(app), method, path, body, "Authorization", basic);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static List<ActionEvent> actions(String action, String caller) {
        return app.getBean(Ops.class).events().history().stream()
                .filter(e -> e instanceof ActionEvent a && action.equals(a.action()) && caller.equals(a.details().get("caller")))
                .map(ActionEvent.class::cast).toList();
    }

    @Test
    void anAnonymousCallerIsAskedToLogInBySpringSecurity() {
        HttpResponse<byte[]> r = call(null, "GET", "/actuator/opskit/events", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
    }

    @Test
    void anAnonymousRequestSpringSecurityLetsThroughIsStillRefusedByOpskit() {
        HttpResponse<byte[]> r = call(null, "GET", "/actuator/opskit/info", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(text(r)).contains("authentication required");
        assertThat(actions("refused", "anonymous")).anySatisfy(a -> assertThat(a.details()).containsEntry("path", "/ops/info"));
    }

    @Test
    void aViewerReadsButMayNotActAndTheRefusalNamesThem() {
        HttpResponse<byte[]> read = call("vera", "GET", "/actuator/opskit/events", null);
        assertThat(read.statusCode()).as(text(read)).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).contains("application/json");
        HttpResponse<byte[]> act = call("vera", "POST", "/actuator/opskit/maintenance", "{\"enabled\":true}");
        assertThat(act.statusCode()).as(text(act)).isEqualTo(403);
        assertThat(text(act)).contains("operator role");
        assertThat(app.getBean(MaintenanceMode.class).state().enabled()).isFalse();
        assertThat(actions("refused", "vera")).anySatisfy(a -> assertThat(a.details()).containsEntry("role", "viewer")
                .containsEntry("method", "POST").containsEntry("path", "/ops/maintenance").containsEntry("status", "403"));
    }

    @Test
    void anOperatorActsAndTheAuditNamesThem() {
        try {
            HttpResponse<byte[]> act = call("otto", "POST", "/actuator/opskit/maintenance",
                    "{\"enabled\":true,\"reason\":\"failover drill\"}");
            assertThat(act.statusCode()).as(text(act)).isEqualTo(200);
            assertThat(app.getBean(MaintenanceMode.class).state().enabled()).isTrue();
            assertThat(TestApps.send(TestApps.port(app), "GET", "/anything", null).statusCode()).isEqualTo(503);
            assertThat(actions("operator-action", "otto")).anySatisfy(a -> assertThat(a.details())
                    .containsEntry("role", "operator").containsEntry("path", "/ops/maintenance").containsEntry("status", "200"));
        } finally {
            assertThat(call("otto", "POST", "/actuator/opskit/maintenance", "{\"enabled\":false}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aUserWithoutAnOpskitRoleIsForbidden() {
        HttpResponse<byte[]> r = call("nina", "GET", "/actuator/opskit/events", null);
        assertThat(r.statusCode()).as(text(r)).isEqualTo(403);
        assertThat(actions("refused", "nina")).anySatisfy(a -> assertThat(a.details()).containsEntry("status", "403"));
    }
}
