package org.artcp.node.cm;

/** Why CM dropped a segment, from the client or from the local stack. Drops are counted, never thrown (DESIGN §4.6). */
public enum SegmentDropReason {
    /** Not a whole IPv4 packet, or not a whole TCP header (truncated, bad lengths, malformed options). */
    MALFORMED,
    /** An IPv4 packet that is not TCP. */
    NOT_TCP,
    /** An IPv4 fragment: the node does not reassemble. */
    FRAGMENT,
    /** The IPv4 header or TCP checksum does not verify. */
    BAD_CHECKSUM,
    /** Not addressed to (client side) or not sent from (local side) the portal IP. */
    NOT_PORTAL,
    /** A flag combination no legal segment carries here (SYN with FIN or RST, a client SYN-ACK, no ACK after the SYN). */
    BAD_FLAGS,
    /** Not a SYN, and no connection in the table has its 4-tuple. */
    NO_CONNECTION,
    /** A SYN on a connection that has another client ISN. */
    SYN_MISMATCH,
    /** A new SYN while the table is full. */
    TABLE_FULL,
    /** The sequence range is outside the receive window. */
    SEQUENCE_OUT_OF_WINDOW,
    /** The ACK number acknowledges data never sent, or lies more than a window behind. */
    ACK_OUT_OF_WINDOW,
    /** The local stack's SYN-ACK (its ISN) is not seen yet: the segment cannot be translated (the client retransmits). */
    AWAITING_LOCAL_SYN_ACK,
    /** New data for, or any segment after a RST on, a connection that is closed. */
    CONNECTION_CLOSED;

    private static final SegmentDropReason[] VALUES = values();

    /** The reason of an ordinal, without a copy per call. */
    public static SegmentDropReason byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
