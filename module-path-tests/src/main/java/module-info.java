/**
 * A program that runs on the module path against the opskit jars: a missing {@code requires},
 * {@code exports}, {@code opens} or {@code provides} in their descriptors fails it.
 */
@SuppressWarnings("requires-automatic")
module io.opskit.modulepath {
    requires io.opskit.core;
    requires io.opskit.jdbc;
    requires io.opskit.redis;
    requires io.opskit.http;
    requires io.opskit.servlet;
    requires com.h2database;
    requires java.naming;   // H2's JdbcDataSource is Referenceable; an automatic module brings no JDK module

    uses jakarta.servlet.ServletContainerInitializer;
}
