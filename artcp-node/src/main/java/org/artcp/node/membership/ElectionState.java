package org.artcp.node.membership;

/** The state of one node's part in electing a new primary (paper §5.2). */
public enum ElectionState {
    /** No election under way: the node follows (or is) a primary. */
    IDLE,
    /** Waiting for a ballot from every node it believes alive. */
    COLLECTING,
    /** Every ballot is in and another node won; waiting for its announcement. */
    DECIDED_OTHER,
    /** Every ballot is in and this node won. */
    DECIDED_SELF
}
