package org.artcp.node;

/** The classes of client request the primary relays (paper §4; connection-related and update requests are both causal). */
public enum RequestKind {
    /** A connection-related or update request: numbered, delivered by every node in order. */
    CAUSAL,
    /** A read-only request: served by one node, chosen round-robin, after the causal requests before it. */
    READ_ONLY,
    /** A pure ACK (no payload): relayed to every node with the special number, without reliability. */
    PURE_ACK
}
