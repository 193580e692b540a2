package org.artcp.node.cm;

/**
 * What {@link ConnectionManager} decided about one segment. One instance per manager and direction,
 * overwritten by the next call (no allocation per segment): read it before passing the next segment.
 */
public final class SegmentDecision {
    /** The kinds of decision. */
    public enum Kind {
        /** Dropped: see {@link #dropReason()}. The segment is left as it was. */
        DROP,
        /** A client SYN, FIN, RST or data (the generic classifier): translated in place for the local stack, to be ordered and delivered. */
        CAUSAL,
        /** Client data the classifier calls read-only: checked, NOT translated; MO schedules it, then {@link ConnectionManager#onReadOnlyScheduled}. */
        READ_ONLY,
        /** A client segment with no payload, SYN, FIN or RST: translated in place, relayed without reliability (paper §4.3). */
        PURE_ACK,
        /** A local-stack segment with payload, SYN, FIN or RST: translated in place for the client, for RC under its response number. */
        RESPONSE,
        /** A local-stack pure ACK: translated in place for the client; RC ignores it (paper §4.1). */
        PURE_ACK_RESPONSE
    }

    Kind kind;
    SegmentDropReason dropReason;
    long connectionKey;
    ConnectionState state;
    boolean duplicate;
    long responseNumber;
    long sequenceNumber;
    long acknowledgmentNumber;
    int sequenceLength;
    boolean readOnlyResponse;

    void reset() {
        kind = Kind.DROP;
        dropReason = null;
        connectionKey = 0;
        state = null;
        duplicate = false;
        responseNumber = org.artcp.node.rc.ResponseNumbering.UNKNOWN;
        sequenceNumber = 0;
        acknowledgmentNumber = 0;
        sequenceLength = 0;
        readOnlyResponse = false;
    }

    public Kind kind() {
        return kind;
    }

    /** Why the segment was dropped; {@code null} unless {@link #kind()} is DROP. */
    public SegmentDropReason dropReason() {
        return dropReason;
    }

    /** The connection's key ({@link ConnectionKey}); 0 when the segment was dropped before it was known. */
    public long connectionKey() {
        return connectionKey;
    }

    /** The connection's state after the segment; {@code null} when there is no connection. */
    public ConnectionState state() {
        return state;
    }

    /** Whether a client segment carried no new sequence space (a retransmission). */
    public boolean duplicate() {
        return duplicate;
    }

    /** For a local-stack segment with an ACK: its response number (paper §4.1), else {@link org.artcp.node.rc.ResponseNumbering#UNKNOWN}. */
    public long responseNumber() {
        return responseNumber;
    }

    /** The translated sequence number written into the segment. */
    public long sequenceNumber() {
        return sequenceNumber;
    }

    /** The translated ACK number written into the segment (0 if it carries none). */
    public long acknowledgmentNumber() {
        return acknowledgmentNumber;
    }

    /** The segment's length in sequence space. */
    public int sequenceLength() {
        return sequenceLength;
    }

    /**
     * For a local-stack segment: it answers a duty read-only request (the connection's base is one), so
     * it goes straight to the client, not through the aggregator (paper §4.2).
     */
    public boolean readOnlyResponse() {
        return readOnlyResponse;
    }

    @Override
    public String toString() {
        return kind == Kind.DROP ? "DROP " + dropReason
                : kind + " seq=" + sequenceNumber + " ack=" + acknowledgmentNumber + " len=" + sequenceLength
                        + (duplicate ? " dup" : "") + " state=" + state + " rn=" + responseNumber;
    }
}
