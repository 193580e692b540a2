package org.artcp.node.cm;

import static org.artcp.node.cm.Segments.ACK;
import static org.artcp.node.cm.Segments.CLIENT;
import static org.artcp.node.cm.Segments.NONE;
import static org.artcp.node.cm.Segments.PORTAL;
import static org.artcp.node.cm.Segments.PSH_ACK;
import static org.artcp.node.cm.Segments.SERVER_PORT;
import static org.artcp.node.cm.Segments.SYN;
import static org.artcp.node.cm.Segments.SYN_ACK;
import static org.artcp.node.cm.Segments.assertChecksumsValid;
import static org.artcp.node.cm.Segments.fromClient;
import static org.artcp.node.cm.Segments.fromLocal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.artcp.node.cm.SegmentDecision.Kind;
import org.artcp.node.order.SerialNumbers;
import org.junit.jupiter.api.Test;

/** Read-only requests (paper §4.2) through CM: served here (duty) or elsewhere (negligible, equation 1 shifts). */
class ConnectionManagerReadOnlyTest {
    private static final long SECRET = 77;
    private static final long I = 9_000;
    private static final long L = 123_456;
    private static final long NS = 1_000_000_000L;

    private final ConnectionManager cm = new ConnectionManager(PORTAL, SECRET, 100, NS, NS,
            (key, b, off, len) -> new String(b, off, len, StandardCharsets.US_ASCII).startsWith("SELECT"));

    private static long c(int port, long delta) {
        return SerialNumbers.TCP.add(SequenceTranslator.clusterIsn(SECRET, CLIENT, port, PORTAL, SERVER_PORT, I), delta);
    }

    private SegmentDecision feedClient(byte[] s) {
        return cm.onClientSegment(s, 0, s.length, 7, 0);
    }

    private SegmentDecision feedLocal(byte[] s) {
        return cm.onLocalSegment(s, 0, s.length, 0);
    }

    private void handshake(int p) {
        feedClient(fromClient(p, I, 0, SYN, NONE, ""));
        feedLocal(fromLocal(p, L, I + 1, SYN_ACK, NONE, ""));
        assertEquals(Kind.PURE_ACK, feedClient(fromClient(p, I + 1, c(p, 1), ACK, NONE, "")).kind());
    }

    @Test
    void dutyReadOnlyIsTranslatedOnceScheduled() {
        int p = 50_000;
        handshake(p);
        byte[] ro = fromClient(p, I + 1, c(p, 1), PSH_ACK, NONE, "SELECT 1");
        byte[] untouched = ro.clone();
        assertEquals(Kind.READ_ONLY, feedClient(ro).kind());
        assertArrayEquals(untouched, ro, "not translated before MO scheduled it");
        assertTrue(cm.onReadOnlyScheduled(ro, 0, ro.length, true, 42));
        assertArrayEquals(fromClient(p, I + 1, L + 1, PSH_ACK, NONE, "SELECT 1"), ro);
        assertChecksumsValid(ro);
        SegmentDecision d = feedLocal(fromLocal(p, L + 1, I + 9, PSH_ACK, NONE, "1 row"));
        assertEquals(42, d.responseNumber());
        assertEquals(c(p, 1), d.sequenceNumber());
        assertEquals(I + 9, d.acknowledgmentNumber());
    }

    @Test
    void negligibleReadOnlyShiftsEquationOne() {
        int p = 50_001;
        handshake(p);
        byte[] ro = fromClient(p, I + 1, c(p, 1), PSH_ACK, NONE, "SELECT 1");
        assertEquals(Kind.READ_ONLY, feedClient(ro).kind());
        assertFalse(cm.onReadOnlyScheduled(ro, 0, ro.length, false, 42));
        // Another node answered 400 bytes; the client acknowledges them: legal, and CURR_SEQ locally.
        byte[] ack = fromClient(p, I + 9, c(p, 401), ACK, NONE, "");
        assertEquals(Kind.PURE_ACK, feedClient(ack).kind());
        assertArrayEquals(fromClient(p, I + 1, L + 1, ACK, NONE, ""), ack, "equation 1 moves it back by 8");
        // The next causal request loses the 8 negligible bytes (equation 1).
        byte[] update = fromClient(p, I + 9, c(p, 401), PSH_ACK, NONE, "UPDATE t");
        assertEquals(Kind.CAUSAL, feedClient(update).kind());
        assertArrayEquals(fromClient(p, I + 1, L + 1, PSH_ACK, NONE, "UPDATE t"), update);
        assertChecksumsValid(update);
        // Its response: equation 3 continues after the other node's 400 bytes; the ACK moves back into the client's space.
        byte[] rsp = fromLocal(p, L + 1, I + 9, PSH_ACK, NONE, "OK");
        assertEquals(Kind.RESPONSE, feedLocal(rsp).kind());
        assertArrayEquals(fromLocal(p, c(p, 401), I + 17, PSH_ACK, NONE, "OK"), rsp);
        // An ACK beyond anything sent is still refused once no read-only request is outstanding.
        byte[] tooFar = fromClient(p, I + 17, c(p, 500), ACK, NONE, "");
        assertEquals(SegmentDropReason.ACK_OUT_OF_WINDOW, feedClient(tooFar).dropReason());
    }

    @Test
    void readsAnsweredElsewhereKeepTheClientsAcksInWindow() {
        // Found on the testbed: 1,412 SELECTs in a row, each answered by another node with ~60 bytes; the
        // client's ACKs rode on its next request only, and after 64 KiB the primary refused every segment.
        int p = 50_002;
        handshake(p);
        long seq = I + 1;
        for (int i = 0; i < 200; i++) {
            byte[] ro = fromClient(p, seq, c(p, 1 + 1000L * i), PSH_ACK, NONE, "SELECT 1");
            assertEquals(Kind.READ_ONLY, cm.admit(ro, 0, ro.length).kind(), "request " + i + " admitted");
            // as the data plane does: a read-only segment reaches CM only once MO scheduled it
            assertFalse(cm.onReadOnlyScheduled(ro, 0, ro.length, false, 42));
            seq += 8;
        }
    }
}
