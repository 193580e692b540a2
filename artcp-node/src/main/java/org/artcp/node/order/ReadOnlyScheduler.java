package org.artcp.node.order;

/**
 * Round-robin choice of the node that serves a read-only request (paper §4.2): RR-P includes the
 * primary, RR-NP does not (unless no backup is alive, when the primary serves).
 */
public final class ReadOnlyScheduler {
    private final int clusterSize;
    private final boolean includePrimary;
    private int last = -1;

    public ReadOnlyScheduler(int clusterSize, boolean includePrimary) {
        this.clusterSize = clusterSize;
        this.includePrimary = includePrimary;
    }

    /** The next live rank after the last one chosen. */
    public int next(int liveMask, int primaryRank) {
        int eligible = includePrimary ? liveMask : liveMask & ~(1 << primaryRank);
        if (eligible == 0) {
            eligible = 1 << primaryRank;
        }
        for (int step = 1; step <= clusterSize; step++) {
            int r = Math.floorMod(last + step, clusterSize);
            if ((eligible & (1 << r)) != 0) {
                last = r;
                return r;
            }
        }
        return primaryRank;
    }

    public boolean includesPrimary() {
        return includePrimary;
    }
}
