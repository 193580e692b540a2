package org.artcp.bench.mysql;

import java.util.Arrays;
import java.util.List;

/**
 * The pause a crash cost the clients (issue 6): the longest gap between successive responses, over all threads of
 * all clients together, around the crash instant.
 *
 * <p>{@link #around} merges the completion instants of every successful op and looks at those within
 * {@code [crash − window, crash + window]}; of the gaps between successive completions it takes the longest one
 * that ends after the crash, so the gap that spans the crash counts and so does any later one (a client may pause
 * only once the failure detector has acted). The gap from the window's last completion to the next one, if that
 * lies beyond the window, counts too, so a stall longer than the window is measured whole. Where nothing completed
 * before the crash within the window, the window's start stands in for the last completion; where nothing
 * completed after the crash at all, the window's end stands in for the next one, and the stall is then a lower
 * bound.
 *
 * @param gapMicros  {@code toMicros − fromMicros}
 * @param fromMicros the completion that starts the gap (epoch µs)
 * @param toMicros   the completion that ends it
 */
public record Stall(long gapMicros, long fromMicros, long toMicros) {
    public Stall {
        if (gapMicros != toMicros - fromMicros || gapMicros < 0) {
            throw new IllegalArgumentException("a stall from " + fromMicros + " to " + toMicros + " is not "
                    + gapMicros + " µs long");
        }
    }

    static Stall between(long fromMicros, long toMicros) {
        return new Stall(toMicros - fromMicros, fromMicros, toMicros);
    }

    /**
     * The longest gap between responses around a crash.
     *
     * @param ops          every client's ops, in any order; failed ops are not responses
     * @param crashMicros  the instant the fault was injected (epoch µs)
     * @param windowMicros how far before and after the crash to look (&gt; 0)
     */
    public static Stall around(List<Op> ops, long crashMicros, long windowMicros) {
        return around(ops.stream().filter(Op::ok).mapToLong(Op::endMicros).sorted().toArray(), crashMicros, windowMicros);
    }

    /**
     * The same over completion instants alone, sorted ascending (e.g. {@link Op#completionsMicros} of several ops
     * files, merged): a ping-pong's millions of ops need not become objects.
     */
    public static Stall around(long[] completions, long crashMicros, long windowMicros) {
        if (windowMicros <= 0) {
            throw new IllegalArgumentException("the window must be positive: " + windowMicros);
        }
        for (int i = 1; i < completions.length; i++) {
            if (completions[i] < completions[i - 1]) {
                throw new IllegalArgumentException("completions must be sorted: #" + i + " " + completions[i]
                        + " < " + completions[i - 1]);
            }
        }
        long windowStart = crashMicros - windowMicros;
        long windowEnd = crashMicros + windowMicros;

        // the last completion at or before the crash (not before the window), else the window's start
        int firstAfter = upperBound(completions, crashMicros);
        long previous = firstAfter > 0 && completions[firstAfter - 1] >= windowStart
                ? completions[firstAfter - 1] : windowStart;
        if (firstAfter == completions.length) {
            return between(previous, Math.max(previous, windowEnd));
        }
        Stall longest = between(previous, completions[firstAfter]);
        for (int i = firstAfter; i + 1 < completions.length && completions[i] <= windowEnd; i++) {
            Stall gap = between(completions[i], completions[i + 1]);
            if (gap.gapMicros > longest.gapMicros) {
                longest = gap;
            }
        }
        return longest;
    }

    /** The index of the first element greater than {@code value} in a sorted array (its length if none). */
    private static int upperBound(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i < sorted.length && sorted[i] == value) {
            i++;
        }
        return i;
    }
}
