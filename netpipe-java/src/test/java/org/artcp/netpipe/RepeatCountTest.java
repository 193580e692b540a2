package org.artcp.netpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RepeatCountTest {

    @Test
    void firstPointUsesTheWarmUpLatency() {
        // bufflen = start = 1, inc = 1: RUNTM / (1 / 1.0 * tlast)
        double tlast = 27.27e-6;
        assertEquals((int) (0.10 / tlast), RepeatCount.compute(0.10, 1, 1, tlast, 3));
        assertEquals(3667, RepeatCount.compute(0.10, 1, 1, 27.27e-6, 3));
    }

    @Test
    void matchesTheFormulaAcrossTheSchedule() {
        SizeSchedule s = new SizeSchedule(1, 1 << 20, 3);
        int previous = 1;
        double tlast = 5e-6;
        while (s.advance(tlast)) {
            int inc = s.increment();
            double expected = Math.max(0.10 / ((double) previous / (previous - inc + 1.0) * tlast), 3);
            assertEquals((int) expected, RepeatCount.compute(0.10, previous, inc, tlast, 3),
                    "at " + s.bytes() + " bytes");
            previous = s.bytes();
            tlast = 5e-6 + previous * 1e-10;
        }
    }

    @Test
    void neverBelowTheNumberOfTrials() {
        assertEquals(3, RepeatCount.compute(0.10, 8_388_608, 4_194_304, 0.9, 3));
        assertEquals(7, RepeatCount.compute(0.25, 1_000_000, 10, 2.0, 7));
    }

    @Test
    void negativeOrNaNEstimatesFallBackToTrialsAsCsMax() {
        // 2.4 with -l 100: bufflen = 1, inc = 50: the denominator is negative
        assertEquals(7, RepeatCount.compute(0.25, 1, 50, 1e-5, 7));
        assertEquals(3, RepeatCount.compute(0.10, 0, 1, 0.0, 3)); // 0/0 -> NaN
    }

    @Test
    void truncatesLikeC() {
        // 0.10 / (2 / (2 - 1 + 1.0) * 1e-5) = 10000 exactly; 0.10 / 3e-5 = 3333.33 -> 3333
        assertEquals(10000, RepeatCount.compute(0.10, 2, 1, 1e-5, 3));
        assertEquals(3333, RepeatCount.compute(0.10, 1, 1, 3e-5, 3));
    }
}
