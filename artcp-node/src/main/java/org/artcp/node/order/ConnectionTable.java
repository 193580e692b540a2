package org.artcp.node.order;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What MO remembers per client connection to recognise retransmitted requests: the client sequence
 * number of the last request numbered or scheduled (requests are interactive, paper §3, so one
 * outstanding request per connection suffices), how the last read-only one was scheduled, and the
 * last read-only request this node served. Client sequence numbers are TCP's, compared with
 * {@link SerialNumbers#TCP}.
 */
public final class ConnectionTable {
    /** Per-connection state. */
    public static final class Entry {
        boolean hasSequence;
        long lastSequence;
        boolean lastWasReadOnly;
        int lastDutyRank = -1;
        long lastReadOnlyCausal;
        /** The last read-only request's packets, while it is the connection's last request (for a reschedule). */
        byte[][] lastReadOnlyPackets;
        boolean servedAny;
        long lastServed;

        public boolean hasSequence() {
            return hasSequence;
        }

        public long lastSequence() {
            return lastSequence;
        }

        public boolean lastWasReadOnly() {
            return lastWasReadOnly;
        }

        public int lastDutyRank() {
            return lastDutyRank;
        }
    }

    private final Map<Long, Entry> entries = new HashMap<>();
    private final SerialNumbers tcp = SerialNumbers.TCP;

    /** The entry of a connection, or {@code null} if none was seen. */
    public Entry get(long connectionId) {
        return entries.get(connectionId);
    }

    /** Whether {@code clientSequence} is at or before the last request seen on the connection. */
    public boolean isRepeat(long connectionId, long clientSequence) {
        Entry e = entries.get(connectionId);
        return e != null && e.hasSequence && tcp.lessOrEqual(clientSequence, e.lastSequence);
    }

    /** Records a causal request that this node now holds in order. */
    public void recordCausal(long connectionId, long clientSequence) {
        Entry e = entries.computeIfAbsent(connectionId, k -> new Entry());
        if (!e.hasSequence || tcp.greaterOrEqual(clientSequence, e.lastSequence)) {
            e.hasSequence = true;
            e.lastSequence = clientSequence;
            e.lastWasReadOnly = false;
            e.lastReadOnlyPackets = null;
        }
    }

    /** Records a read-only request scheduled to {@code dutyRank}. */
    public void recordReadOnly(long connectionId, long clientSequence, int dutyRank, long lastCausal) {
        Entry e = entries.computeIfAbsent(connectionId, k -> new Entry());
        if (!e.hasSequence || tcp.greaterOrEqual(clientSequence, e.lastSequence)) {
            if (!e.hasSequence || e.lastSequence != clientSequence || !e.lastWasReadOnly) {
                e.lastReadOnlyPackets = null;
            }
            e.hasSequence = true;
            e.lastSequence = clientSequence;
            e.lastWasReadOnly = true;
            e.lastDutyRank = dutyRank;
            e.lastReadOnlyCausal = lastCausal;
        }
    }

    /** Keeps a complete read-only request's packets while it is the connection's last request. */
    public void rememberReadOnlyPackets(long connectionId, long clientSequence, byte[][] packets) {
        Entry e = entries.get(connectionId);
        if (e != null && e.lastWasReadOnly && e.lastSequence == clientSequence) {
            e.lastReadOnlyPackets = packets;
        }
    }

    /**
     * The connections whose last request is a read-only one scheduled to a rank outside {@code liveMask}
     * and whose packets are known: {@code action} gets the connection, its sequence number and packets.
     */
    public void forEachReadOnlyOnFailed(int liveMask, ReadOnlyAction action) {
        for (Map.Entry<Long, Entry> me : List.copyOf(entries.entrySet())) {
            Entry e = me.getValue();
            if (e.lastWasReadOnly && e.lastReadOnlyPackets != null && e.lastDutyRank >= 0
                    && (liveMask & (1 << e.lastDutyRank)) == 0) {
                action.reschedule(me.getKey(), e.lastSequence, e.lastReadOnlyPackets);
            }
        }
    }

    /** What {@link #forEachReadOnlyOnFailed} does with each request. */
    @FunctionalInterface
    public interface ReadOnlyAction {
        void reschedule(long connectionId, long clientSequence, byte[][] packets);
    }

    /** Whether this node already served read-only request {@code clientSequence} of the connection. */
    public boolean served(long connectionId, long clientSequence) {
        Entry e = entries.get(connectionId);
        return e != null && e.servedAny && tcp.lessOrEqual(clientSequence, e.lastServed);
    }

    /** Records that this node served a read-only request. */
    public void recordServed(long connectionId, long clientSequence) {
        Entry e = entries.computeIfAbsent(connectionId, k -> new Entry());
        e.servedAny = true;
        e.lastServed = clientSequence;
    }

    public int size() {
        return entries.size();
    }
}
