package io.opskit.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free ring of the most recent slow queries: writers claim a slot with one
 * atomic increment and overwrite the oldest entry; readers copy the slots. Memory is fixed by
 * the capacity however many statements are slow.
 */
final class SlowQueryRing {

    private final AtomicReferenceArray<SlowQuery> slots;
    private final AtomicLong next = new AtomicLong();

    /** A ring of {@code capacity} entries. */
    SlowQueryRing(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** Adds an entry, replacing the oldest once full. */
    void add(SlowQuery query) {
        int slot = (int) (next.getAndIncrement() % slots.length());
        slots.set(slot, query);
    }

    /** The entries, slowest first. */
    List<SlowQuery> slowestFirst() {
        List<SlowQuery> out = new ArrayList<>(slots.length());
        for (int i = 0; i < slots.length(); i++) {
            SlowQuery q = slots.get(i);
            if (q != null) {
                out.add(q);
            }
        }
        out.sort(Comparator.comparing(SlowQuery::duration).reversed().thenComparing(SlowQuery::time, Comparator.reverseOrder()));
        return out;
    }

    /** How many slow queries were ever added. */
    long total() {
        return next.get();
    }

    /** Empties the ring. */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }
}
