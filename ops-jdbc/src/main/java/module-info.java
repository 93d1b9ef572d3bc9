/**
 * opskit for JDBC: DataSource checks, the Hikari pool watchdog, leak tracking, the query monitor
 * and the idle-connection reaper.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.opskit.jdbc {
    exports io.opskit.jdbc;

    requires transitive io.opskit.core;
    requires transitive java.sql;
    requires net.ttddyy.dsproxy;
    requires org.slf4j;
    requires java.management;

    // optional: the pool watchdog, Hikari metrics and pool sessions take Hikari types, and whoever
    // calls them has Hikari; "static transitive" would make every reader of this module need it to compile
    requires static com.zaxxer.hikari;
}
