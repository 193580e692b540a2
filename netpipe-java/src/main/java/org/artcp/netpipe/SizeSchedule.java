package org.artcp.netpipe;

import java.util.ArrayList;
import java.util.List;

/**
 * NetPIPE's message-size schedule (identical in 2.4 and 3.x, {@code netpipe.c} main loop): sizes grow by an
 * increment that doubles every second step, each size optionally flanked by {@code ±perturbation}.
 *
 * <p>The stop test is C's: it is made only between groups of perturbed sizes, on the number of points so far
 * ({@link Compat#MAX_POINTS}), on the previous point's one-way time ({@link Compat#STOP_SECONDS}) and on
 * {@code len <= end}; so {@code -u 4096} still measures 4093, 4096 and 4099. Both sides run the same schedule,
 * which is why they must be given the same {@code -l/-u/-p}.
 */
public final class SizeSchedule {
    private final int end;
    private final int perturbation;
    private long len;
    private int inc;
    private int nq;
    private int pert;
    private int points;
    private boolean inGroup;
    private boolean done;
    private int bytes;

    /**
     * @param start        first size, {@code -l} (≥ 1)
     * @param end          upper bound, {@code -u}
     * @param perturbation {@code -p}; 0 for none (2.4: always 3)
     */
    public SizeSchedule(int start, int end, int perturbation) {
        if (start < 1) {
            throw new IllegalArgumentException("start must be >= 1: " + start);
        }
        this.end = end;
        this.perturbation = Math.max(0, perturbation);
        this.len = start;
        this.inc = start > 1 ? start / 2 : 1;
        this.nq = start > 1 ? 1 : 0;
    }

    /**
     * Moves to the next point.
     *
     * @param lastOneWaySeconds the previous point's one-way time ({@code tlast}); for the first point the
     *                          warm-up latency
     * @return false when the sweep is over
     */
    public boolean advance(double lastOneWaySeconds) {
        if (done) {
            return false;
        }
        if (inGroup) {
            pert += step();
            if (pert <= perturbation) {
                bytes = (int) (len + pert);
                points++;
                return true;
            }
            inGroup = false;
            len += inc;
            nq++;
        }
        if (!(points < Compat.MAX_POINTS && lastOneWaySeconds < Compat.STOP_SECONDS && len <= end)) {
            done = true;
            return false;
        }
        if (nq > 2) {
            inc = (nq % 2) != 0 ? inc + inc : inc;
        }
        if (len + perturbation > Integer.MAX_VALUE) {
            done = true; // C's int would overflow here; a Java array cannot hold it anyway
            return false;
        }
        pert = perturbed() ? -perturbation : 0;
        inGroup = true;
        bytes = (int) (len + pert);
        points++;
        return true;
    }

    private boolean perturbed() {
        return perturbation > 0 && inc > perturbation + 1;
    }

    private int step() {
        return perturbed() ? perturbation : perturbation + 1;
    }

    /** The current point's size in bytes ({@code len + pert}). */
    public int bytes() { return bytes; }

    /** The current increment ({@code inc}), used by {@link RepeatCount}. */
    public int increment() { return inc; }

    /** The current point's index, from 0 ({@code n} in NPtcp's progress lines). */
    public int index() { return points - 1; }

    /** The sizes of a sweep in which no point takes a second; for tests and for previews. */
    public static List<Integer> sizes(int start, int end, int perturbation) {
        SizeSchedule s = new SizeSchedule(start, end, perturbation);
        List<Integer> out = new ArrayList<>();
        while (s.advance(0.0)) {
            out.add(s.bytes());
        }
        return out;
    }
}
