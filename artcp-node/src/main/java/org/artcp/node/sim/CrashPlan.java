package org.artcp.node.sim;

/** Which nodes a scenario crashes, and at which kind of instant. Crash points are chosen by the scenario's seed. */
public enum CrashPlan {
    /** No crash: loss, duplication, reordering, delay and corruption only. */
    NONE(1),
    /** A backup crashes at a random instant. */
    BACKUP_AT_TIME(1),
    /** A backup crashes right after its c-th frame copy (of any type), c chosen by the seed. */
    BACKUP_MID_SEND(1),
    /** The primary crashes at a random instant. */
    PRIMARY_AT_TIME(1),
    /** The primary crashes right after its c-th relayed request frame copy: between the copies of one multicast, or between the packets of one message. */
    PRIMARY_MID_MULTICAST(1),
    /** The primary crashes mid-multicast, then another node crashes during the election (after its j-th frame copy once an election began). */
    PRIMARY_THEN_DURING_ELECTION(3),
    /** A backup crashes at a random instant, later the primary crashes mid-multicast. */
    BACKUP_THEN_PRIMARY(3);

    private final int minNodes;

    CrashPlan(int minNodes) {
        this.minNodes = minNodes;
    }

    /** Whether the plan leaves a survivor in a cluster of {@code nodes}. */
    public boolean appliesTo(int nodes) {
        return nodes >= Math.max(2, minNodes);
    }
}
