package org.artcp.node.wire;

/**
 * The kinds of tunnel frame exchanged between AR-TCP nodes (paper §4–5; format in
 * {@code docs/tunnel-frames.md}). The numeric code is the frame's type byte.
 */
public enum FrameType {
    /** A packet of a causal request message, relayed by the primary with its ordering number (§4.1). */
    REQUEST(1),
    /** A packet of a read-only request message with the scheduling header: duty rank, last causal number (§4.2). */
    READ_ONLY(2),
    /** A client's pure ACK, relayed with the special number and no reliability (§4.3). */
    PURE_ACK(3),
    /** A positive, cumulative ACK: the sender holds every causal request up to the ordering number (safe delivery). */
    ACK(4),
    /** A negative ACK asking the primary for the causal requests from the ordering number to {@code extra}. */
    NAK(5),
    /** A causal request packet sent again, unicast, to answer a NAK or to fill a gap after an election. */
    RETRANSMIT(6),
    /** Liveness, the sender's contiguous ordering number and, from the primary, the live set and ring epoch. */
    HEARTBEAT(7),
    /** An election ballot: the voter's contiguous ordering number in an election for a new term (§5.2). */
    VOTE(8),
    /** The elected node's announcement: its term, its ordering number (the gap-fill base) and the live set. */
    NEW_PRIMARY(9),
    /** A response packet sent to the aggregator of its response number (§4.1, response control). */
    RESPONSE(10);

    private static final FrameType[] BY_CODE = new FrameType[16];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The type for a type byte, or {@code null} when the byte names no type. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
