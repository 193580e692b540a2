package org.artcp.orchestrator.cluster;

/**
 * One node as {@code cluster status} sees it: the member recorded at start, its last status (null when
 * there is no readable status file), whether its process is alive, and how old the status is.
 *
 * @param ageMillis how long ago the node wrote its status (-1 without a status)
 */
public record NodeView(Cluster.Member member, NodeStatus status, boolean pidAlive, long ageMillis) {
    /** A status older than this is flagged stale (the node writes every 250 ms by default). */
    public static final long STALE_AFTER_MS = 2_000;

    /** What a row of the status table says about the node. */
    public enum Health {
        /** Alive, status fresh, ready. */
        READY,
        /** Alive, status fresh, not ready yet (setting up its host). */
        STARTING,
        /** Alive, but its status file was written more than {@link #STALE_AFTER_MS} ago. */
        STALE,
        /** Alive, but no status file (yet). */
        NO_STATUS,
        /** The process has exited and its last status says it stopped cleanly. */
        STOPPED,
        /** The process is gone without a final "stopped" status. */
        DEAD,
        /** No node process at all: a one-node cluster runs its application alone, without AR-TCP. */
        STANDALONE;

        /** The word shown in the table: {@code no status}, {@code stale}, … */
        public String label() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    /** Derives the view at {@code nowMillis} (time is a parameter, so tests choose it). */
    public static NodeView of(Cluster.Member member, NodeStatus status, boolean pidAlive, long nowMillis) {
        return new NodeView(member, status, pidAlive, status == null ? -1 : Math.max(0, nowMillis - status.updatedAtMillis()));
    }

    public Health health() {
        if (member.config() == null) {
            return Health.STANDALONE;
        }
        if (!pidAlive) {
            return status != null && status.stopped() ? Health.STOPPED : Health.DEAD;
        }
        if (status == null) {
            return Health.NO_STATUS;
        }
        if (ageMillis > STALE_AFTER_MS) {
            return Health.STALE;
        }
        return status.ready() ? Health.READY : Health.STARTING;
    }
}
