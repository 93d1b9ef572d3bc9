/**
 * opskit for Redis through Lettuce: PING, memory, hit-ratio and connection checks, the connection
 * watchdog and the fleet-wide maintenance flag.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.opskit.redis {
    exports io.opskit.redis;

    requires transitive io.opskit.core;
    requires transitive lettuce.core;
    requires reactor.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
}
