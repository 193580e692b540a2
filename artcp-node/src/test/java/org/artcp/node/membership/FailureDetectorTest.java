package org.artcp.node.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureDetectorTest {

    @Test
    void suspectsOnlyAfterTheTimeoutOnInjectedTime() {
        FailureDetector fd = new FailureDetector(3, 0, 1_000, 0);
        assertEquals(0, fd.poll(1_000));
        fd.onHeard(1, 900);
        assertEquals(0b100, fd.poll(1_001));
        assertTrue(fd.isAlive(1));
        assertFalse(fd.isAlive(2));
        assertEquals(0, fd.poll(1_900));
        assertEquals(0b010, fd.poll(1_901));
        assertEquals(0b001, fd.liveMask());
    }

    @Test
    void suspicionIsFinalAndSelfIsNeverSuspected() {
        FailureDetector fd = new FailureDetector(2, 1, 10, 0);
        assertEquals(0b01, fd.poll(11));
        fd.onHeard(0, 12);
        assertFalse(fd.isAlive(0), "crash-stop: an excluded node is not readmitted");
        assertTrue(fd.isAlive(1));
        assertFalse(fd.exclude(1));
    }

    @Test
    void aPauseOfThisNodeDoesNotCountAsItsPeersSilence() {
        FailureDetector fd = new FailureDetector(3, 0, 1_000, 0, 200);
        fd.onHeard(1, 100);
        fd.onHeard(2, 100);
        assertEquals(0, fd.poll(150));
        // This node was not scheduled for 5 000 ns: its peers' frames wait in its socket.
        assertEquals(0, fd.poll(5_150));
        assertEquals(1, fd.localPauses());
        fd.onHeard(1, 5_160);
        assertEquals(0, fd.poll(5_200), "the 5 000 ns did not count");
        for (long t = 5_350; t <= 6_050; t += 150) {
            assertEquals(0, fd.poll(t));
        }
        assertEquals(0b100, fd.poll(6_101), "silence while listening counts: rank 2 was silent for 1 001 ns of it");
        assertTrue(fd.isAlive(1));
    }

    @Test
    void aPeersFirstFrameEndsItsStartUpGrace() {
        FailureDetector fd = new FailureDetector(3, 0, 1_000, 10_000); // grace until 10 000
        fd.onHeard(1, 50);
        assertEquals(0, fd.poll(1_000));
        assertEquals(0b010, fd.poll(1_051), "heard once: its silence counts at once");
        assertEquals(0, fd.poll(10_999), "never heard: the grace holds");
        assertEquals(0b100, fd.poll(11_001));
    }
}
