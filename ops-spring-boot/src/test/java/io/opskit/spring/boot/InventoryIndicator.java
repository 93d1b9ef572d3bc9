package io.opskit.spring.boot;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test support: an application's own indicator (declare it as the bean {@code inventoryHealthIndicator}:
 * the component {@code inventory}, UP with 42 items) that records the threads it runs on.
 */
final class InventoryIndicator implements TestIndicator {

    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    @Override
    public TestHealth answer() {
        threads.add(Thread.currentThread().getName());
        return TestHealth.up().withDetail("items", 42);
    }

    /** The names of the threads it ran on. */
    Set<String> threads() {
        return threads;
    }
}
