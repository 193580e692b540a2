package org.artcp.node.wire;

import java.util.EnumMap;
import java.util.Map;

/** Per-reason counts of dropped frames and refused requests. Single-threaded, like the core that owns it. */
public final class DropCounters {
    private final long[] counts = new long[DropReason.values().length];

    /** Counts one drop. */
    public void increment(DropReason reason) {
        counts[reason.ordinal()]++;
    }

    /** The count for one reason. */
    public long get(DropReason reason) {
        return counts[reason.ordinal()];
    }

    /** The sum over all reasons. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** The non-zero counts, for status output. */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                m.put(DropReason.byOrdinal(i), counts[i]);
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
