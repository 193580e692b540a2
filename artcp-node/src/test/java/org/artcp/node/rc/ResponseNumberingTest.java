package org.artcp.node.rc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Paper §4.1 on Fig. 2: s1..s6 get the numbers of c1, c3, c4, c4, c6, c6. */
class ResponseNumberingTest {
    @Test
    void fig2() {
        ResponseNumbering n = new ResponseNumbering();
        assertEquals(ResponseNumbering.UNKNOWN, n.responseNumber(1_001));
        n.record(1, 1_000, 1); // c1 SYN
        assertEquals(1, n.responseNumber(1_001)); // s1 SYN-ACK
        n.record(3, 1_001, 100); // c3 update (c2 is a pure ACK: not recorded)
        assertEquals(3, n.responseNumber(1_101)); // s2
        n.record(4, 1_101, 30); // c4 read-only on its duty node
        assertEquals(4, n.responseNumber(1_131)); // s3 (a pure ACK, ignored by RC) and s4
        n.record(6, 1_131, 1); // c6 FIN (c5 pure ACK)
        assertEquals(6, n.responseNumber(1_132)); // s5 ACK, s6 FIN
        assertEquals(3, n.responseNumber(1_101), "a retransmitted s2 keeps its number");
        assertTrue(ResponseNumbering.isPureAck(0x10, 0));
        assertFalse(ResponseNumbering.isPureAck(0x11, 0));
        assertFalse(ResponseNumbering.isPureAck(0x10, 1));
    }

    @Test
    void packetsOfOneMessageMergeAndTheHistoryIsBoundedAndWraps() {
        ResponseNumbering n = new ResponseNumbering();
        n.record(9, 0xFFFF_FFF0L, 10);
        n.record(9, 0xFFFF_FFFAL, 10); // same message, across the 2^32 wrap
        assertEquals(1, n.size());
        assertEquals(9, n.responseNumber(4));
        for (int i = 0; i < 40; i++) {
            n.record(10 + i, 4 + 10L * i, 10);
        }
        assertEquals(ResponseNumbering.CAPACITY, n.size());
        assertEquals(49, n.responseNumber(4 + 400));
        assertEquals(40, n.responseNumber(4 + 310));
    }
}
