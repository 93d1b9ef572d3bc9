package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Tested versions" table says what this starter's tests run on: for every library the
 * table names and this test class path has, the version here is the one in the column of this Boot
 * line ({@link BootLine#README_COLUMN}). A version bumped in a pom without the table fails here.
 */
class TestedVersionsTest {

    /** A class of each library, by the name of its row. */
    private static final Map<String, String> PROBES = new LinkedHashMap<>();

    static {
        PROBES.put("Spring Boot", "org.springframework.boot.SpringApplication");
        PROBES.put("Spring Framework", "org.springframework.context.ApplicationContext");
        PROBES.put("Micrometer", "io.micrometer.core.instrument.MeterRegistry");
        PROBES.put("Lettuce", "io.lettuce.core.RedisClient");
        PROBES.put("HikariCP", "com.zaxxer.hikari.HikariDataSource");
        PROBES.put("PostgreSQL JDBC", "org.postgresql.Driver");
        PROBES.put("Jackson 2", "com.fasterxml.jackson.databind.ObjectMapper");
        PROBES.put("Tomcat", "org.apache.catalina.startup.Tomcat");
        PROBES.put("resilience4j", "io.github.resilience4j.circuitbreaker.CircuitBreaker");
    }

    @Test
    void theReadmesTableNamesTheVersionsOnThisClassPath() throws Exception {
        // surefire runs in the module's directory; README.md is the repository's
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        for (Map.Entry<String, String> probe : PROBES.entrySet()) {
            String cell = cell(readme, probe.getKey());
            String version = versionOf(Class.forName(probe.getValue()));
            assertThat(cell).as("README.md, Tested versions, row %s, column %d", probe.getKey(), BootLine.README_COLUMN)
                    .containsPattern("(^|[^0-9.])" + Pattern.quote(version) + "($|[^0-9.])");
        }
    }

    private static String cell(List<String> readme, String library) {
        String row = readme.stream().filter(l -> l.startsWith("| " + library + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no Tested versions row for " + library));
        return row.split("\\|")[BootLine.README_COLUMN].trim();
    }

    /** The version of the jar {@code type} comes from: its directory in the Maven repository. */
    private static String versionOf(Class<?> type) throws URISyntaxException {
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        String version = jar.getParent().getFileName().toString();
        assertThat(jar.getFileName().toString()).as("%s comes from a jar of the Maven repository", type.getName())
                .endsWith("-" + version + ".jar");
        return version;
    }
}
