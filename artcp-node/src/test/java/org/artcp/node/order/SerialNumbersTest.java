package org.artcp.node.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SerialNumbersTest {

    @ParameterizedTest(name = "fold bound {0}")
    @ValueSource(longs = {4, 16, 233, 1L << 31, 1L << 32})
    void nextFoldsToZeroAtTheBound(long bound) {
        SerialNumbers s = SerialNumbers.withFoldBound(bound);
        assertEquals(0, s.next(bound - 1));
        assertEquals(bound - 1, s.add(0, -1));
        assertEquals(1, s.add(bound - 1, 2));
        assertEquals(2, s.distance(bound - 1, 1));
        assertEquals(bound - 2, s.distance(1, bound - 1));
    }

    @ParameterizedTest(name = "fold bound {0}")
    @ValueSource(longs = {4, 16, 233, 1L << 31, 1L << 32})
    void comparisonsHoldAcrossTheFold(long bound) {
        SerialNumbers s = SerialNumbers.withFoldBound(bound);
        long last = bound - 1;
        assertTrue(s.lessThan(last, 0), "M-1 < 0 across the fold");
        assertTrue(s.greaterThan(0, last));
        assertFalse(s.lessThan(0, last));
        assertTrue(s.lessOrEqual(last, last));
        assertFalse(s.lessThan(last, last));
        assertEquals(0, s.max(last, 0));
        assertEquals(last, s.min(last, 0));
        // every number within half the space ahead compares greater, across the fold
        long reach = (bound - 1) / 2;
        for (long d = 1; d <= Math.min(reach, 1000); d++) {
            long a = s.add(last, -d / 2);
            long b = s.add(a, d);
            assertTrue(s.lessThan(a, b), a + " < " + b);
            assertTrue(s.greaterThan(b, a));
        }
    }

    @Test
    void halfwayIsUndefinedAsInRfc1982() {
        SerialNumbers s = SerialNumbers.withFoldBound(16);
        assertFalse(s.lessThan(3, 11));
        assertFalse(s.greaterThan(3, 11));
        assertFalse(s.lessThan(11, 3));
        // odd bound: no undefined pair
        SerialNumbers odd = SerialNumbers.withFoldBound(233);
        assertTrue(odd.lessThan(0, 116));
        assertTrue(odd.greaterThan(0, 117));
    }

    @Test
    void tcpSequenceNumbersWrapAt2To32() {
        SerialNumbers t = SerialNumbers.TCP;
        assertEquals(1L << 32, t.foldBound());
        assertTrue(t.lessThan(0xFFFF_FFF0L, 0x10));
        assertEquals(0x20, t.distance(0xFFFF_FFF0L, 0x10));
        assertEquals(0x5L, t.add(0xFFFF_FFFFL, 6));
    }

    @ParameterizedTest(name = "fold bound {0}")
    @ValueSource(longs = {4, 16, 233, 1L << 32})
    void unwrapInvertsFoldNearTheReference(long bound) {
        SerialNumbers s = SerialNumbers.withFoldBound(bound);
        long reach = (bound - 1) / 2;
        for (long ref : new long[] {0, bound - 1, bound, 5 * bound + 3, 1L << 40}) {
            for (long d = -Math.min(reach, 50); d <= Math.min(reach, 50); d++) {
                long p = ref + d;
                assertEquals(p, s.unwrap(s.fold(p), ref), "position " + p + " near " + ref);
            }
        }
    }

    @Test
    void rejectsBoundsOutsideTheFrameField() {
        assertThrows(IllegalArgumentException.class, () -> SerialNumbers.withFoldBound(3));
        assertThrows(IllegalArgumentException.class, () -> SerialNumbers.withFoldBound((1L << 32) + 1));
        assertFalse(SerialNumbers.withFoldBound(16).isValid(16));
        assertTrue(SerialNumbers.withFoldBound(16).isValid(15));
    }

    @Test
    void sequencerNumbersGrowAndFold() {
        SerialNumbers s = SerialNumbers.withFoldBound(16);
        Sequencer q = new Sequencer(s, 14);
        assertEquals(15, s.fold(q.next()));
        assertEquals(0, s.fold(q.next()));
        assertEquals(0, q.lastAssigned());
        assertEquals(16, q.lastPosition());
        q.resetTo(40);
        assertEquals(9, s.fold(q.next()));
    }
}
