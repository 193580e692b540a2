package org.artcp.node.membership;

import org.artcp.node.order.SerialNumbers;

/**
 * One node's view of an election of a new primary (paper §5.2): "the one with highest ordering
 * number will be chosen ... if more than one backup satisfies this criterion, the one with the
 * smallest rank number will be elected."
 *
 * <p>A node's ordering number here is its <em>contiguous</em> one: it holds every causal request up
 * to it, so the winner can bring every survivor up to its number (gap fill). The decision is made
 * only once a ballot has arrived from every node this node believes alive; ballots of nodes that
 * fail are withdrawn. With a perfect failure detector every live node then computes the same
 * winner. Pure: no time, no I/O.
 */
public final class Election {
    private final int selfRank;
    private final long[] ballot;
    private int ballotMask;
    private int liveMask;
    private long term;
    private ElectionState state = ElectionState.IDLE;
    private int winner = -1;

    public Election(int clusterSize, int selfRank) {
        this.selfRank = selfRank;
        this.ballot = new long[clusterSize];
    }

    /**
     * Picks the winner among the ballots in {@code mask}: highest ordering number, then smallest
     * rank; -1 for an empty mask. Ballots are unwrapped positions ({@link SerialNumbers#unwrap}), so
     * they compare with {@code >} even across the fold.
     */
    public static int chooseWinner(long[] orderingNumbers, int mask) {
        int best = -1;
        for (int r = 0; r < orderingNumbers.length; r++) {
            if ((mask & (1 << r)) == 0) {
                continue;
            }
            if (best < 0 || orderingNumbers[r] > orderingNumbers[best]) {
                best = r;
            }
        }
        return best;
    }

    /** Starts the election for {@code term}, casting this node's own ballot. */
    public void start(long term, long ownOrderingNumber, int liveMask) {
        this.term = term;
        this.liveMask = liveMask;
        this.ballotMask = 0;
        this.state = ElectionState.COLLECTING;
        this.winner = -1;
        onBallot(selfRank, ownOrderingNumber);
    }

    /** Records a ballot (repeats are harmless: a node's number does not change during an election). */
    public void onBallot(int rank, long orderingNumber) {
        if (state == ElectionState.IDLE || (liveMask & (1 << rank)) == 0) {
            return;
        }
        ballot[rank] = orderingNumber;
        ballotMask |= 1 << rank;
        evaluate();
    }

    /** Withdraws a failed node: its ballot no longer counts and it is no longer waited for. */
    public void onFailure(int rank) {
        liveMask &= ~(1 << rank);
        ballotMask &= ~(1 << rank);
        if (state != ElectionState.IDLE) {
            evaluate();
        }
    }

    /** Ends the election (a primary was accepted). */
    public void finish() {
        state = ElectionState.IDLE;
    }

    private void evaluate() {
        if ((ballotMask & liveMask) != liveMask) {
            state = ElectionState.COLLECTING;
            winner = -1;
            return;
        }
        winner = chooseWinner(ballot, liveMask);
        state = winner == selfRank ? ElectionState.DECIDED_SELF : ElectionState.DECIDED_OTHER;
    }

    public ElectionState state() {
        return state;
    }

    /** The term being elected. */
    public long term() {
        return term;
    }

    /** The decided winner, or -1 while ballots are missing. */
    public int winner() {
        return winner;
    }

    /** The ballot recorded for {@code rank} (meaningful only if {@link #hasBallot}). */
    public long ballotOf(int rank) {
        return ballot[rank];
    }

    public boolean hasBallot(int rank) {
        return (ballotMask & (1 << rank)) != 0;
    }
}
