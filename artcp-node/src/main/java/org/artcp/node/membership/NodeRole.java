package org.artcp.node.membership;

/** The role a node plays in the cluster (paper §3, §5.2). Transitions live in {@code NodeCore} only. */
public enum NodeRole {
    /** Owns the portal: checks client requests, numbers causal ones, schedules read-only ones. */
    PRIMARY,
    /** Follows the primary: orders and delivers what it relays, takes turns as aggregator. */
    BACKUP,
    /** Its primary failed: exchanging ballots to elect the next one; delivers nothing new meanwhile. */
    CANDIDATE,
    /** Won the election: bringing every survivor up to its ordering number before numbering anew. */
    RECOVERING_PRIMARY,
    /** Stopped for good (crash-stop); accepts no input. */
    STOPPED
}
