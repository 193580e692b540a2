package org.artcp.node.membership;

/**
 * A heartbeat failure detector on injected time (Chandra and Toueg, cited as [5] in the paper):
 * a peer not heard from for {@code timeoutNs} is suspected, and a suspicion is final (crash-stop:
 * the node is excluded and never readmitted). Every authenticated frame from a peer counts as
 * hearing from it; nodes send a heartbeat every {@code intervalNs} so that silence means a crash.
 *
 * <p>The paper assumes a perfect detector (§3). This one is perfect when the timeout exceeds the
 * longest gap between two arrivals from a live peer: {@code (k + 1) * interval + maxDelay} on links
 * that lose at most {@code k} consecutive frames and delay at most {@code maxDelay}. The simulation
 * keeps its links inside that bound; a deployment chooses the timeout with the same arithmetic.
 */
public final class FailureDetector {
    private final int selfRank;
    private final long timeoutNs;
    private final long[] lastHeardNs;
    private final boolean[] heardOnce;
    private int liveMask;
    private final long pauseThresholdNs;
    private long lastPollNs;
    private long localPauses;

    /**
     * @param clusterSize number of ranks (at most 16)
     * @param selfRank this node's rank, never suspected
     * @param timeoutNs silence after which a peer is declared failed
     * @param nowNs the time at start; every peer counts as heard then (pass a later instant for a start-up
     *        grace: a peer's first frame ends its grace, from then on its silence counts)
     */
    public FailureDetector(int clusterSize, int selfRank, long timeoutNs, long nowNs) {
        this(clusterSize, selfRank, timeoutNs, nowNs, Long.MAX_VALUE);
    }

    /**
     * @param pauseThresholdNs a gap between two {@link #poll}s longer than this is a pause of this node
     *        (descheduled, a collection, a stop signal): peers' silence during it does not count, since
     *        this node was not listening (their frames wait in its socket). {@code Long.MAX_VALUE}: off.
     */
    public FailureDetector(int clusterSize, int selfRank, long timeoutNs, long nowNs, long pauseThresholdNs) {
        if (timeoutNs <= 0 || pauseThresholdNs <= 0) {
            throw new IllegalArgumentException("timeout and pause threshold must be positive");
        }
        this.pauseThresholdNs = pauseThresholdNs;
        this.lastPollNs = nowNs;
        this.selfRank = selfRank;
        this.timeoutNs = timeoutNs;
        this.lastHeardNs = new long[clusterSize];
        this.heardOnce = new boolean[clusterSize];
        java.util.Arrays.fill(lastHeardNs, nowNs);
        this.liveMask = (1 << clusterSize) - 1;
    }

    /** Records that {@code rank} was heard from at {@code nowNs}. */
    public void onHeard(int rank, long nowNs) {
        if (nowNs - lastHeardNs[rank] > 0 || !heardOnce[rank]) {
            // The first frame from a peer ends its start-up grace: from then on its silence counts.
            lastHeardNs[rank] = nowNs;
            heardOnce[rank] = true;
        }
    }

    /** Pauses of this node that suspended the count of peers' silence ({@link #FailureDetector(int, int, long, long, long)}). */
    public long localPauses() {
        return localPauses;
    }

    /** Whether {@code rank} is still considered alive. */
    public boolean isAlive(int rank) {
        return (liveMask & (1 << rank)) != 0;
    }

    /** Bit r set while rank r is considered alive. */
    public int liveMask() {
        return liveMask;
    }

    /** Excludes {@code rank} on other evidence (another node's announcement); returns whether it was alive. */
    public boolean exclude(int rank) {
        if (rank == selfRank || !isAlive(rank)) {
            return false;
        }
        liveMask &= ~(1 << rank);
        return true;
    }

    /**
     * Declares failed every live peer silent for longer than the timeout.
     *
     * @return the mask of ranks newly declared failed by this call (0 if none)
     */
    public int poll(long nowNs) {
        long gap = nowNs - lastPollNs;
        lastPollNs = nowNs;
        if (gap > pauseThresholdNs) {
            localPauses++;
            for (int r = 0; r < lastHeardNs.length; r++) {
                if (lastHeardNs[r] - nowNs < 0) { // not in a start-up grace (those lie ahead)
                    long shifted = lastHeardNs[r] + gap;
                    lastHeardNs[r] = shifted - nowNs > 0 ? nowNs : shifted;
                }
            }
            return 0; // the frames that waited are read before the next poll
        }
        int failed = 0;
        for (int r = 0; r < lastHeardNs.length; r++) {
            if (r != selfRank && isAlive(r) && nowNs - lastHeardNs[r] > timeoutNs) {
                failed |= 1 << r;
            }
        }
        liveMask &= ~failed;
        return failed;
    }
}
