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
    STOPPED;

    /**
     * The transition table: whether a node in this role may become {@code next}. A primary only
     * stops (every live node confirmed it, so it is never superseded while alive); a backup becomes a
     * candidate when its primary fails, or follows a newly announced primary; a candidate wins, follows
     * the winner, or moves to a later election; a winner still filling gaps becomes primary or joins a
     * later election.
     */
    public boolean canBecome(NodeRole next) {
        if (next == STOPPED) {
            return true;
        }
        return switch (this) {
            case PRIMARY, STOPPED -> false;
            case BACKUP -> next == CANDIDATE || next == BACKUP;
            case CANDIDATE -> next == CANDIDATE || next == BACKUP || next == RECOVERING_PRIMARY;
            case RECOVERING_PRIMARY -> next == PRIMARY || next == CANDIDATE;
        };
    }
}
