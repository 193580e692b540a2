package org.artcp.node.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.artcp.node.order.SerialNumbers;
import org.junit.jupiter.api.Test;

class ElectionTest {

    @Test
    void highestOrderingNumberWins() {
        assertEquals(2, Election.chooseWinner(new long[] {0, 7, 9, 8}, 0b1110));
    }

    @Test
    void tieOnOrderingNumberGoesToTheSmallestRank() {
        assertEquals(1, Election.chooseWinner(new long[] {0, 9, 9, 9}, 0b1110));
        assertEquals(2, Election.chooseWinner(new long[] {0, 9, 9, 9}, 0b1100));
        assertEquals(3, Election.chooseWinner(new long[] {0, 5, 5, 6}, 0b1110));
        assertEquals(-1, Election.chooseWinner(new long[] {0, 5, 5, 6}, 0));
    }

    @Test
    void everyTieBreakOverAllBallotCombinations() {
        // exhaustive over 4 ranks, ballots in {0,1,2}: winner has the max, and no smaller rank has it
        for (int mask = 1; mask < 16; mask++) {
            for (int code = 0; code < 81; code++) {
                long[] b = new long[4];
                int c = code;
                for (int r = 0; r < 4; r++) {
                    b[r] = c % 3;
                    c /= 3;
                }
                int w = Election.chooseWinner(b, mask);
                long max = -1;
                for (int r = 0; r < 4; r++) {
                    if ((mask & (1 << r)) != 0) {
                        max = Math.max(max, b[r]);
                    }
                }
                assertEquals(max, b[w]);
                for (int r = 0; r < w; r++) {
                    if ((mask & (1 << r)) != 0) {
                        assertEquals(true, b[r] < max, "smaller rank " + r + " with the max must win");
                    }
                }
            }
        }
    }

    @Test
    void acrossTheFoldTheUnwrappedNumberDecides() {
        SerialNumbers s = SerialNumbers.withFoldBound(16);
        long ref = 30; // positions 30.. fold to 14, 15, 0, 1
        long a = s.unwrap(15, ref);
        long b = s.unwrap(1, ref);
        assertEquals(2, Election.chooseWinner(new long[] {0, a, b}, 0b110), "1 after the fold beats 15");
    }

    @Test
    void decidesOnlyWithEveryLiveBallotAndWithdrawsFailedOnes() {
        Election e = new Election(4, 1);
        e.start(1, 10, 0b1110);
        assertEquals(ElectionState.COLLECTING, e.state());
        e.onBallot(2, 12);
        assertEquals(ElectionState.COLLECTING, e.state());
        e.onBallot(3, 11);
        assertEquals(ElectionState.DECIDED_OTHER, e.state());
        assertEquals(2, e.winner());
        e.onFailure(2); // the winner dies before announcing: the next best takes over
        assertEquals(3, e.winner());
        e.onFailure(3);
        assertEquals(ElectionState.DECIDED_SELF, e.state());
        assertEquals(1, e.winner());
    }

    @Test
    void aBallotFromANodeNotBelievedAliveIsIgnored() {
        Election e = new Election(3, 1);
        e.start(1, 5, 0b110);
        e.onBallot(0, 99); // the failed primary
        e.onBallot(2, 5);
        assertEquals(ElectionState.DECIDED_SELF, e.state());
    }
}
