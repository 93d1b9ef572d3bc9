/**
 * opskit as a Spring Boot starter: auto-configuration of the engine, the checks of what the
 * application has, and Actuator's health answered from opskit's snapshot.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.opskit.spring.boot {
    exports io.opskit.spring.boot;
    // Spring instantiates the package-private nested configurations, injects and binds through
    // reflection from several of its modules (core, beans, context, Boot's binder): opening the
    // package, exported anyway, adds deep reflection on Spring configuration only
    opens io.opskit.spring.boot;

    requires transitive io.opskit.core;
    requires transitive io.opskit.jdbc;
    requires transitive io.opskit.servlet;
    requires static io.opskit.redis;

    // every Boot application has these; the configurations' annotations and interfaces are theirs
    requires transitive spring.core;
    requires transitive spring.beans;
    requires transitive spring.context;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires org.slf4j;
    requires java.sql;

    // what the application may have: each configuration is conditional on its classes (not
    // transitive: "static transitive" would make every reader of this module need them to compile)
    requires static spring.boot.health;
    requires static spring.data.redis;
    requires static micrometer.tracing;
    requires static com.zaxxer.hikari;
    requires static lettuce.core;
    // Actuator (the opskit endpoint, the health answer replay) and Spring MVC's web filters
    requires static spring.boot.actuator;
    requires static spring.boot.actuator.autoconfigure;
    requires static spring.web;
    requires static spring.boot.web.server;
    requires static org.jspecify;
}
