package org.artcp.node.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AggregatorRingTest {

    @Test
    void paperFormulaInAHealthyCluster() {
        // N = 4: primary 0, backups 1..3 hold response ranks 1..3; x -> rank (x % 3) + 1
        AggregatorRing ring = new AggregatorRing(0b1110);
        for (long x = 0; x < 30; x++) {
            assertEquals((int) (x % 3) + 1, ring.aggregatorFor(x));
        }
        assertEquals(3, ring.size());
    }

    @Test
    void responseRanksFollowTheSortedLiveBackups() {
        assertEquals(1, AggregatorRing.responseRank(0b1010, 1));
        assertEquals(2, AggregatorRing.responseRank(0b1010, 3));
        assertEquals(0, AggregatorRing.responseRank(0b1010, 2));
    }

    /**
     * Every membership change of clusters of 2..6 nodes: for every stamped ring (set of backups when
     * the request was numbered) and every set of survivors, the aggregator is the member of response
     * rank (x % n) + 1 if it is alive, else the next live member of that ring, and -1 only when none
     * is alive; a ring re-formed over the survivors spreads the duty evenly over them.
     */
    @Test
    void everyMembershipChange() {
        for (int nodes = 2; nodes <= 6; nodes++) {
            int all = (1 << nodes) - 1;
            for (int ring = 1; ring <= all; ring++) {
                int[] members = membersOf(ring);
                for (int live = 0; live <= all; live++) {
                    for (long x = 0; x < 3L * members.length + 2; x++) {
                        int a = AggregatorRing.aggregatorFor(x, ring, live);
                        int designatedIndex = (int) (x % members.length);
                        int expected = -1;
                        for (int step = 0; step < members.length; step++) {
                            int candidate = members[(designatedIndex + step) % members.length];
                            if ((live & (1 << candidate)) != 0) {
                                expected = candidate;
                                break;
                            }
                        }
                        assertEquals(expected, a, "x=" + x + " ring=" + Integer.toBinaryString(ring)
                                + " live=" + Integer.toBinaryString(live));
                    }
                }
                // the re-formed ring over any survivors shares the duty evenly
                for (int live = 1; live <= ring; live++) {
                    if ((live & ~ring) != 0) {
                        continue;
                    }
                    AggregatorRing reformed = new AggregatorRing(ring);
                    for (int r : members) {
                        if ((live & (1 << r)) == 0) {
                            reformed.remove(r);
                        }
                    }
                    int n = reformed.size();
                    int[] count = new int[16];
                    for (long x = 0; x < 12L * n; x++) {
                        int a = reformed.aggregatorFor(x);
                        assertTrue((live & (1 << a)) != 0);
                        count[a]++;
                    }
                    for (int r : membersOf(live)) {
                        assertEquals(12, count[r], "even share for rank " + r);
                    }
                }
            }
        }
    }

    @Test
    void deadAggregatorsDutyGoesToTheNextInTheRing() {
        int ring = 0b1110; // backups 1, 2, 3
        int live = 0b1011; // backup 2 failed
        assertEquals(1, AggregatorRing.aggregatorFor(0, ring, live));
        assertEquals(3, AggregatorRing.aggregatorFor(1, ring, live), "2's duty goes to 3");
        assertEquals(3, AggregatorRing.aggregatorFor(2, ring, live));
        live = 0b0011; // 2 and 3 failed: the ring wraps to 1
        assertEquals(1, AggregatorRing.aggregatorFor(2, ring, live));
        assertEquals(-1, AggregatorRing.aggregatorFor(2, ring, 0b0001));
    }

    @Test
    void reformReclaimsTheFailedRank() {
        AggregatorRing r = new AggregatorRing(0b1110);
        r.remove(2);
        assertEquals(0b1010, r.ringMask());
        assertEquals(1, r.aggregatorFor(0));
        assertEquals(3, r.aggregatorFor(1));
        r.reform(0b0110); // after an election: 3 became primary, 1 and 2 are the backups
        assertEquals(1, r.aggregatorFor(0));
        assertEquals(2, r.aggregatorFor(1));
        r.reform(0);
        assertEquals(-1, r.aggregatorFor(5));
    }

    private static int[] membersOf(int mask) {
        int[] m = new int[Integer.bitCount(mask)];
        int i = 0;
        for (int r = 0; r < 16; r++) {
            if ((mask & (1 << r)) != 0) {
                m[i++] = r;
            }
        }
        return m;
    }
}
