package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Stall#around} over made-up op lists; instants in µs, the crash at 10,000. */
class StallTest {
    private static final long CRASH = 10_000;

    /** An ok op of {@code thread} completing at each instant (each started 50 µs before). */
    private static List<Op> completions(int thread, long... ends) {
        List<Op> ops = new ArrayList<>();
        for (long end : ends) {
            ops.add(Op.ok(thread, Op.APPEND, end - 50, end));
        }
        return ops;
    }

    private static List<Op> merged(List<Op> a, List<Op> b) {
        List<Op> all = new ArrayList<>(b);
        all.addAll(a);
        return all;
    }

    @Test
    void theGapThatSpansTheCrash() {
        List<Op> ops = completions(0, 9_000, 9_500, 9_900, 10_800, 11_000, 11_200);
        assertEquals(new Stall(900, 9_900, 10_800), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void aLongerGapAfterTheCrashWins() {
        // the detector acts a while after the crash: the clients go on, then pause
        List<Op> ops = completions(0, 9_800, 10_100, 10_300, 12_300, 12_400);
        assertEquals(new Stall(2_000, 10_300, 12_300), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void gapsBeforeTheCrashDoNotCount() {
        List<Op> ops = completions(0, 5_100, 8_000, 9_900, 10_100, 10_200);
        assertEquals(new Stall(200, 9_900, 10_100), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void threadsAreMergedSoOneThreadsPauseIsNotTheClientsStall() {
        List<Op> a = completions(0, 9_000, 12_000);
        List<Op> b = completions(1, 9_500, 10_500, 11_500, 12_500);
        assertEquals(new Stall(1_000, 9_500, 10_500), Stall.around(merged(a, b), CRASH, 5_000));
    }

    @Test
    void failedOpsAreNotResponses() {
        List<Op> ops = new ArrayList<>(completions(0, 9_900, 13_000));
        ops.add(Op.failed(0, Op.APPEND, 10_000, 11_000, "Communications link failure"));
        assertEquals(new Stall(3_100, 9_900, 13_000), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void aStallLongerThanTheWindowIsMeasuredWhole() {
        List<Op> ops = completions(0, 9_990, 10_010, 40_000, 40_100);
        assertEquals(new Stall(29_990, 10_010, 40_000), Stall.around(ops, CRASH, 5_000));
        List<Op> first = completions(0, 9_990, 40_000);
        assertEquals(new Stall(30_010, 9_990, 40_000), Stall.around(first, CRASH, 5_000));
    }

    @Test
    void aCompletionExactlyAtTheCrashCountsAsBefore() {
        List<Op> ops = completions(0, 9_000, CRASH, 10_300, 10_400);
        assertEquals(new Stall(300, CRASH, 10_300), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void nothingBeforeTheCrashInTheWindowStartsTheGapAtTheWindowsStart() {
        List<Op> ops = completions(0, 1_000, 10_500, 10_600);
        assertEquals(new Stall(5_500, 5_000, 10_500), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void nothingAfterTheCrashRunsToTheWindowsEnd() {
        List<Op> ops = completions(0, 9_000, 9_800);
        assertEquals(new Stall(5_200, 9_800, 15_000), Stall.around(ops, CRASH, 5_000));
        assertEquals(new Stall(10_000, 5_000, 15_000), Stall.around(List.of(), CRASH, 5_000));
    }

    @Test
    void completionsAfterTheWindowAreNotLookedAt() {
        List<Op> ops = completions(0, 9_900, 10_100, 14_000, 20_000, 60_000);
        // 14,000 → 20,000 starts inside the window and counts; 20,000 → 60,000 starts after it
        assertEquals(new Stall(6_000, 14_000, 20_000), Stall.around(ops, CRASH, 5_000));
    }

    @Test
    void completionInstantsAloneGiveTheSameStall() {
        List<Op> ops = completions(0, 9_000, 9_500, 9_900, 10_800, 11_000, 11_200);
        assertEquals(Stall.around(ops, CRASH, 5_000),
                Stall.around(new long[] {9_000, 9_500, 9_900, 10_800, 11_000, 11_200}, CRASH, 5_000));
        assertThrows(IllegalArgumentException.class, () -> Stall.around(new long[] {9_500, 9_000}, CRASH, 5_000),
                "unsorted completions");
    }

    @Test
    void theWindowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> Stall.around(List.of(), CRASH, 0));
    }
}
