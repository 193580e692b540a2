package org.artcp.node.membership;

/**
 * The round-robin ring of aggregators (paper §4.1, Fig. 4, and §5.2).
 *
 * <p>The live backups, sorted by rank, hold response ranks 1..n; the aggregator of response number
 * {@code x} is the backup of response rank {@code (x % n) + 1}, i.e. {@code members[x % n]}. When a
 * backup fails, "the backup server immediately after the failed one in the round-robin ring will be
 * chosen" for the duties it had, and a new ring of the survivors governs "the communications after
 * the failure".
 *
 * <p>To make "before" and "after the failure" the same on every node without another agreement
 * round, the primary stamps every causal request with the ring it numbered it under (its mask of live
 * backups, in the request's frames). The aggregator of response number x is then a pure function of
 * x, that stamped ring and the current failures: every node computes the same one. A ring is a
 * bit mask: bit r set means rank r is a member. Ranks are 0..15.
 */
public final class AggregatorRing {
    private int ringMask;

    /** A ring of the backups in {@code backupMask}. */
    public AggregatorRing(int backupMask) {
        this.ringMask = backupMask;
    }

    /** Re-forms the ring over the live backups in {@code backupMask} (after a failure or an election). */
    public void reform(int backupMask) {
        this.ringMask = backupMask;
    }

    /** Excludes a failed backup from the current ring; the failed rank is reclaimed. */
    public void remove(int rank) {
        ringMask &= ~(1 << rank);
    }

    /** The current ring as a mask of ranks. */
    public int ringMask() {
        return ringMask;
    }

    /** The number of backups in the current ring (N - 1 in a healthy N-node cluster). */
    public int size() {
        return Integer.bitCount(ringMask);
    }

    /** The aggregator of response number x in the current ring; -1 when the ring is empty. */
    public int aggregatorFor(long responseNumber) {
        return aggregatorFor(responseNumber, ringMask, ringMask);
    }

    /**
     * The aggregator of response number {@code x} for a request numbered under {@code stampedRing}:
     * the member of response rank {@code (x % n) + 1}; if it is not in {@code liveMask}, the next
     * member in the ring (by rank, wrapping) that is. -1 when no member of the stamped ring is alive
     * (the caller then falls back to the current ring, or to the primary when no backup is left).
     */
    public static int aggregatorFor(long responseNumber, int stampedRing, int liveMask) {
        int n = Integer.bitCount(stampedRing);
        if (n == 0) {
            return -1;
        }
        int designated = nthMember(stampedRing, (int) Long.remainderUnsigned(responseNumber, n));
        for (int step = 0; step < n; step++) {
            int candidate = nthMember(stampedRing, (indexOf(stampedRing, designated) + step) % n);
            if ((liveMask & (1 << candidate)) != 0) {
                return candidate;
            }
        }
        return -1;
    }

    /** The response rank (1-based) of {@code rank} in {@code ring}, or 0 if it is not a member. */
    public static int responseRank(int ring, int rank) {
        return (ring & (1 << rank)) == 0 ? 0 : indexOf(ring, rank) + 1;
    }

    private static int nthMember(int mask, int n) {
        int m = mask;
        for (int i = 0; i < n; i++) {
            m &= m - 1;
        }
        return Integer.numberOfTrailingZeros(m);
    }

    private static int indexOf(int mask, int rank) {
        return Integer.bitCount(mask & ((1 << rank) - 1));
    }
}
