package io.opskit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code ```java} block of every README compiles against the modules as they are now.
 *
 * <p>A block of statements is compiled as the body of a method that declares no exception: a
 * checked exception must be handled in the snippet, as it must be where a reader pastes it, or
 * said in its first line, a comment such as {@code // in main(String[] args) throws Exception},
 * which then becomes the method's {@code throws} clause. A
 * block that declares types or methods is compiled as the members of a class. Names the snippets
 * take from their surroundings ({@code ops}, {@code dataSource}, {@code server}, ...) are fields of
 * that class ({@link #CONTEXT}); anything else a snippet uses must exist.
 */
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of(System.getProperty("opskit.root", "..")).toAbsolutePath().normalize();

    private static final String IMPORTS = String.join("\n",
            "import io.opskit.core.*;", "import io.opskit.core.checks.*;", "import io.opskit.core.breaker.*;",
            "import io.opskit.core.correlation.*;", "import io.opskit.core.endpoint.*;", "import io.opskit.core.maintenance.*;",
            "import io.opskit.core.notify.*;", "import io.opskit.jdbc.*;", "import io.opskit.redis.*;", "import io.opskit.http.*;",
            "import io.opskit.servlet.*;",
            "import java.io.*;", "import java.net.*;", "import java.net.http.*;", "import java.nio.file.*;", "import java.time.*;", "import java.util.*;",
            "import java.util.concurrent.*;", "import javax.sql.DataSource;",
            "import com.zaxxer.hikari.*;", "import io.lettuce.core.*;", "import io.lettuce.core.api.*;",
            "import io.lettuce.core.resource.*;", "import io.micrometer.core.instrument.*;",
            "import io.micrometer.prometheusmetrics.*;", "import io.github.resilience4j.circuitbreaker.*;",
            "import jakarta.servlet.*;", "import jakarta.servlet.annotation.*;",
            "import org.eclipse.jetty.server.Server;", "import org.eclipse.jetty.ee10.servlet.*;",
            "import org.apache.catalina.Context;", "import org.apache.catalina.startup.Tomcat;",
            "import org.eclipse.jetty.server.ServerConnector;",
            "import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;",
            "import io.micrometer.core.instrument.binder.tomcat.TomcatMetrics;");

    /** What the snippets take from their surroundings: the reader's own objects. */
    private static final String CONTEXT = String.join("\n",
            "  Ops ops; HikariDataSource dataSource; PrometheusMeterRegistry prometheusRegistry; PrometheusMeterRegistry prometheus;",
            "  Server server; ServletContextHandler context; RedisURI redisUri; String webhookSecret; char[] password;",
            "  HttpRequest request; HikariConfig config; DataSource reaperDataSource; DataSource ordersPool; DataSource billingPool;",
            "  RedisClient client; StatefulRedisConnection<String, String> connection; StatefulRedisConnection<String, String> adminConnection;",
            "  MaintenanceMode maintenance; CircuitBreakerRegistry breakerRegistry; com.sun.net.httpserver.HttpHandler myHandler;",
            "  MyRouter myRouter; Payments payments; Object order; Search search; String q; Audit audit; Object event;",
            "  ServerConnector connector; InFlightRequests inFlight; RedisClient redisClient; ServletContext servletContext;",
            "  org.slf4j.Logger log; AutoCloseable embeddedDatabase; Context tomcatContext;",
            "  static Result callPayments() { return Result.pass(); }",
            "  interface Receipt { }",
            "  interface Payments { Receipt charge(Object order); }",
            "  interface Search { String query(String q) throws Exception; }",
            "  interface Audit { void write(Object event); }",
            "  static class ItemsServlet extends jakarta.servlet.http.HttpServlet { }",
            "  /** The reader's router: its template of a request, or null. */",
            "  static class MyRouter { String templateOf(jakarta.servlet.http.HttpServletRequest r) { return null; } }");

    private static final Pattern MEMBERS = Pattern.compile(
            "\\A(\\s*(//[^\\n]*)?\\n)*\\s*(@\\w+(\\([^)]*\\))?\\s+)*((public|protected|private|static|final|abstract)\\s+)*"
                    + "((class|record|interface|enum)\\s|[\\w<>\\[\\], ?]+\\s+\\w+\\s*\\([^)]*\\)\\s*(throws [\\w., ]+)?\\s*\\{)");

    /** The first line's "throws X, Y": the context the snippet says it runs in. */
    private static final Pattern THROWS = Pattern.compile("\\A\\s*//[^\\n]*?\\bthrows\\s+([A-Z]\\w*(\\s*,\\s*[A-Z]\\w*)*)");

    @Test
    void everyReadmeIsFoundAndHasSnippets() {
        List<Path> readmes = Snippets.readmes(ROOT);
        assertThat(readmes).contains(ROOT.resolve("README.md"), ROOT.resolve("ops-jdbc/README.md"));
        assertThat(readmes.stream().mapToInt(r -> Snippets.of(r).size()).sum()).isGreaterThan(10);
    }

    @TestFactory
    List<DynamicTest> everyJavaSnippetCompiles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path readme : Snippets.readmes(ROOT)) {
            for (Snippets.Snippet s : Snippets.of(readme)) {
                tests.add(DynamicTest.dynamicTest(s.label(ROOT), () -> assertCompiles(s)));
            }
        }
        return tests;
    }

    private static void assertCompiles(Snippets.Snippet snippet) {
        boolean members = MEMBERS.matcher(snippet.code()).lookingAt();
        java.util.regex.Matcher declared = THROWS.matcher(snippet.code());
        String throwsClause = declared.find() ? " throws " + declared.group(1) : "";
        String source = IMPORTS + "\n\n@SuppressWarnings(\"all\")\nclass Snippet {\n" + CONTEXT + "\n"
                + (members ? snippet.code() : "  void body()" + throwsClause + " {\n" + snippet.code() + "\n  }") + "\n}\n";
        int offset = (int) (IMPORTS + "\n\n@SuppressWarnings(\"all\")\nclass Snippet {\n" + CONTEXT + "\n").chars()
                .filter(c -> c == '\n').count() + (members ? 0 : 1);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("-proc:none", "-d", System.getProperty("java.io.tmpdir") + "/opskit-readme-snippets",
                "-classpath", System.getProperty("java.class.path"), "-Xlint:none");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, List.of(file)).call();
        String errors = diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> snippet.label(ROOT).replaceFirst(":\\d+$", "") + ":"
                        + (snippet.line() + d.getLineNumber() - offset - 1) + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
        assertThat(ok).as("the snippet at %s does not compile:%n%s", snippet.label(ROOT), errors).isTrue();
    }
}
