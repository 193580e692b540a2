package org.artcp.netpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The size schedule against NETPIPE.md's lists and NPtcp's own output (see also {@link NptcpInteropTest}). */
class SizeScheduleTest {

    @Test
    void defaultScheduleOf37StartsAsNptcps() {
        List<Integer> sizes = SizeSchedule.sizes(1, Compat.V3_7.defaultEnd(), 3);
        assertEquals(List.of(1, 2, 3, 4, 6, 8, 12, 13, 16, 19, 21, 24, 27, 29, 32, 35, 45, 48, 51, 61, 64, 67, 93, 96,
                99, 125, 128, 131), sizes.subList(0, 28));
    }

    @Test
    void defaultScheduleOf37Has124PointsEndingAt8388611() {
        List<Integer> sizes = SizeSchedule.sizes(1, 10_000_000, 3);
        assertEquals(124, sizes.size());
        assertEquals(8_388_611, sizes.getLast());
        assertEquals(List.of(8_388_605, 8_388_608, 8_388_611), sizes.subList(121, 124));
    }

    @Test
    void noPerturbation() {
        List<Integer> sizes = SizeSchedule.sizes(1, 100, 0);
        assertEquals(List.of(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96), sizes);
    }

    @Test
    void upperBoundIsTestedOnTheCentreSizeOnlyAsInC() {
        // NPtcp -u 4096 measures 4093, 4096 and 4099 (checked against NPtcp's np.out in NptcpInteropTest)
        List<Integer> sizes = SizeSchedule.sizes(1, 4096, 3);
        assertEquals(58, sizes.size());
        assertEquals(List.of(4093, 4096, 4099), sizes.subList(55, 58));
        assertEquals(3075, SizeSchedule.sizes(1, 4095, 3).getLast());
    }

    @Test
    void netpipe24UsesTheSameSequenceWithPerturbation3() {
        List<Integer> sizes = SizeSchedule.sizes(1, Compat.V2_4.defaultEnd(), Compat.DEFAULT_PERTURBATION);
        assertEquals(SizeSchedule.sizes(1, 10_000_000, 3), sizes.subList(0, 124));
        // without the one-second stop it would run until an int overflows; every size stays a valid int
        assertTrue(sizes.getLast() > 1_000_000_000);
        assertEquals(sizes.stream().sorted().toList(), sizes);
    }

    @Test
    void startAboveOneHalvesTheIncrement() {
        // inc = start/2, nq = 1: 100, 150, 200, 300, 400, 600, … with perturbations around them
        List<Integer> sizes = SizeSchedule.sizes(100, 700, 3);
        assertEquals(List.of(97, 100, 103, 147, 150, 153, 197, 200, 203, 297, 300, 303, 397, 400, 403, 597, 600, 603),
                sizes);
    }

    @Test
    void stopsAfterAGroupWhoseTimeReachedOneSecond() {
        SizeSchedule s = new SizeSchedule(1, 10_000_000, 3);
        int n = 0;
        while (s.advance(n < 30 ? 0.5 : 1.0)) {
            n++;
        }
        // the stop test is made only between groups: point 30 (195, the last of 189/192/195)
        // is measured although point 29 already took a second
        assertEquals(31, n);
        assertFalse(s.advance(0.0));
    }

    @Test
    void indexCountsFromZero() {
        SizeSchedule s = new SizeSchedule(1, 10, 3);
        assertTrue(s.advance(0));
        assertEquals(0, s.index());
        assertEquals(1, s.bytes());
        assertEquals(1, s.increment());
    }
}
