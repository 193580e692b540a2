package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Fault labels, and names {@link Faults} refuses before it looks for a cluster (no root, no testbed needed). */
class FaultStateTest {
    @Test
    void labelsJoinEveryFault() {
        assertEquals("-", FaultState.NONE.label());
        assertTrue(FaultState.NONE.none());
        assertEquals("killed", FaultState.NONE.withKilled("t").label());
        assertEquals("paused+cut+loss 0.5%", FaultState.NONE.withPaused("t").withCut("t").withLoss(0.5).label());
        assertEquals("loss 5%", FaultState.NONE.withLoss(5).label());
        assertEquals("loss 0.01%", FaultState.NONE.withLoss(0.01).label());
        assertEquals("-", FaultState.NONE.withPaused("t").withPaused(null).label());
    }

    @Test
    void badNodeNamesAreRefusedFirst() {
        for (String bad : new String[] {"node0", "node5", "client1", "node", "NODE1", "node12"}) {
            ClusterException e = assertThrows(ClusterException.class, () -> Faults.pause(bad));
            assertEquals("'" + bad + "' is not a node: use node1 to node4", e.getMessage());
        }
        assertThrows(ClusterException.class, () -> Faults.loss("node1", -1));
        assertThrows(ClusterException.class, () -> Faults.loss("node1", Double.NaN));
    }
}
