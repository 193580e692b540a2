package org.artcp.node.order;

import java.util.HashMap;
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
        }
    }

    /** Records a read-only request scheduled to {@code dutyRank}. */
    public void recordReadOnly(long connectionId, long clientSequence, int dutyRank, long lastCausal) {
        Entry e = entries.computeIfAbsent(connectionId, k -> new Entry());
        if (!e.hasSequence || tcp.greaterOrEqual(clientSequence, e.lastSequence)) {
            e.hasSequence = true;
            e.lastSequence = clientSequence;
            e.lastWasReadOnly = true;
            e.lastDutyRank = dutyRank;
            e.lastReadOnlyCausal = lastCausal;
        }
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
