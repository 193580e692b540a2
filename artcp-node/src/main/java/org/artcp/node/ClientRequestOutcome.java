package org.artcp.node;

/** What the primary did with a client request handed to {@link NodeCore#onClientRequest}. */
public enum ClientRequestOutcome {
    /** A causal request was given an ordering number and multicast. */
    SEQUENCED,
    /** A read-only request was given a scheduling header and multicast. */
    SCHEDULED,
    /** A pure ACK was relayed. */
    RELAYED,
    /** A retransmission of a causal request already numbered: nothing new to do (MO recovers losses itself). */
    DUPLICATE,
    /** A retransmission of a read-only request not yet served: relayed again (to a new duty node if the old one failed). */
    RESCHEDULED,
    /** This node is not the primary (or is still filling gaps after its election): the client will retransmit. */
    REFUSED_NOT_PRIMARY,
    /** Too many causal requests are not yet held by every node (the window): the client will retransmit. */
    REFUSED_WINDOW,
    /** Malformed (no packets, too many, or a packet too large for a frame). */
    REFUSED_INVALID
}
