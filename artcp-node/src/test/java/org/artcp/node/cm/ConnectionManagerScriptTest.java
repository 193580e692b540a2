package org.artcp.node.cm;

import static org.artcp.node.cm.Segments.ACK;
import static org.artcp.node.cm.Segments.CLIENT;
import static org.artcp.node.cm.Segments.CLIENT_SYN_OPTIONS;
import static org.artcp.node.cm.Segments.FIN_ACK;
import static org.artcp.node.cm.Segments.NONE;
import static org.artcp.node.cm.Segments.PORTAL;
import static org.artcp.node.cm.Segments.PSH_ACK;
import static org.artcp.node.cm.Segments.RST;
import static org.artcp.node.cm.Segments.SERVER_PORT;
import static org.artcp.node.cm.Segments.STRIPPED_SYN_OPTIONS;
import static org.artcp.node.cm.Segments.SYN;
import static org.artcp.node.cm.Segments.SYN_ACK;
import static org.artcp.node.cm.Segments.SYN_ACK_OPTIONS;
import static org.artcp.node.cm.Segments.assertChecksumsValid;
import static org.artcp.node.cm.Segments.fromClient;
import static org.artcp.node.cm.Segments.fromLocal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.artcp.node.cm.SegmentDecision.Kind;
import org.artcp.node.order.SerialNumbers;
import org.junit.jupiter.api.Test;

/**
 * Packet scripts in the spirit of TCPR's (issue 4): a scripted sequence of client and local-stack
 * segments, each built byte by byte, fed to {@link ConnectionManager}; every emitted segment is
 * compared byte for byte with the segment expected (built independently with a full checksum
 * computation), so the translated sequence and ACK numbers and the incrementally updated checksums
 * are both checked.
 */
class ConnectionManagerScriptTest {
    private static final long SECRET = 0x5EC12E7L;
    private static final long TIME_WAIT_NS = 60_000_000_000L;
    private static final long HANDSHAKE_NS = 10_000_000_000L;
    private static final long I = 1_000; // the client's ISN
    private static final long L = 5_000_000; // the local stack's ISN
    private static final SerialNumbers TCP = SerialNumbers.TCP;

    private final ConnectionManager cm = new ConnectionManager(PORTAL, SECRET, 10_000, TIME_WAIT_NS, HANDSHAKE_NS,
            ConnectionManager.ReadOnlyClassifier.GENERIC);
    private long now = 1_000;
    private long ordering = 0;

    private static long clusterIsn(int port) {
        return SequenceTranslator.clusterIsn(SECRET, CLIENT, port, PORTAL, SERVER_PORT, I);
    }

    private static long c(int port, long delta) {
        return TCP.add(clusterIsn(port), delta);
    }

    /** Feeds a client segment and asserts the decision and the exact bytes handed to the local stack. */
    private SegmentDecision client(byte[] in, Kind kind, byte[] expected) {
        SegmentDecision d = cm.onClientSegment(in, 0, in.length, ++ordering, now);
        assertEquals(kind, d.kind(), d.toString());
        assertArrayEquals(expected, in, "the segment for the local stack");
        assertChecksumsValid(in);
        return d;
    }

    private SegmentDecision local(byte[] in, Kind kind, byte[] expected) {
        SegmentDecision d = cm.onLocalSegment(in, 0, in.length, now);
        assertEquals(kind, d.kind(), d.toString());
        assertArrayEquals(expected, in, "the segment for the client");
        assertChecksumsValid(in);
        return d;
    }

    private void clientDropped(byte[] in, SegmentDropReason reason) {
        byte[] before = in.clone();
        long count = cm.clientDrops(reason);
        SegmentDecision d = cm.onClientSegment(in, 0, in.length, ++ordering, now);
        assertEquals(Kind.DROP, d.kind());
        assertEquals(reason, d.dropReason());
        assertEquals(count + 1, cm.clientDrops(reason));
        assertArrayEquals(before, in, "a dropped segment is left untouched");
    }

    /** Handshake on {@code port}; returns nothing, leaves the connection ESTABLISHED with I+1 / L+1. */
    private void handshake(int port) {
        client(fromClient(port, I, 0, SYN, CLIENT_SYN_OPTIONS, ""), Kind.CAUSAL, fromClient(port, I, 0, SYN, STRIPPED_SYN_OPTIONS, ""));
        local(fromLocal(port, L, I + 1, SYN_ACK, SYN_ACK_OPTIONS, ""), Kind.RESPONSE,
                fromLocal(port, c(port, 0), I + 1, SYN_ACK, SYN_ACK_OPTIONS, ""));
        client(fromClient(port, I + 1, c(port, 1), ACK, NONE, ""), Kind.PURE_ACK, fromClient(port, I + 1, L + 1, ACK, NONE, ""));
        assertEquals(ConnectionState.ESTABLISHED, cm.connection(ConnectionKey.of(CLIENT, port, SERVER_PORT)).state());
    }

    @Test
    void handshakeDataBothWaysLossDuplicateAndClientFinFirst() {
        int p = 40_000;
        long key = ConnectionKey.of(CLIENT, p, SERVER_PORT);

        // c1 SYN: SACK-permitted and timestamps stripped, sequence unchanged (equation 1, nothing negligible).
        SegmentDecision d = client(fromClient(p, I, 0, SYN, CLIENT_SYN_OPTIONS, ""), Kind.CAUSAL,
                fromClient(p, I, 0, SYN, STRIPPED_SYN_OPTIONS, ""));
        assertEquals(key, d.connectionKey());
        assertEquals(ConnectionState.SYN_SEEN, d.state());
        assertFalse(d.duplicate());
        // The client retransmits its SYN: the same segment again, marked duplicate.
        assertTrue(client(fromClient(p, I, 0, SYN, CLIENT_SYN_OPTIONS, ""), Kind.CAUSAL,
                fromClient(p, I, 0, SYN, STRIPPED_SYN_OPTIONS, "")).duplicate());
        assertEquals(1, cm.size());
        // Nothing can be translated before the local stack's ISN is known; an ACK here acknowledges nothing sent.
        clientDropped(fromClient(p, I + 1, c(p, 1), ACK, NONE, ""), SegmentDropReason.AWAITING_LOCAL_SYN_ACK);
        // A SYN with another ISN on the same 4-tuple.
        clientDropped(fromClient(p, I + 77, 0, SYN, NONE, ""), SegmentDropReason.SYN_MISMATCH);

        // s1 SYN-ACK from the local stack: its ISN L becomes the cluster ISN; response number of c1 (1).
        d = local(fromLocal(p, L, I + 1, SYN_ACK, SYN_ACK_OPTIONS, ""), Kind.RESPONSE,
                fromLocal(p, c(p, 0), I + 1, SYN_ACK, SYN_ACK_OPTIONS, ""));
        assertEquals(1, d.responseNumber());
        // c2 the handshake's ACK.
        d = client(fromClient(p, I + 1, c(p, 1), ACK, NONE, ""), Kind.PURE_ACK, fromClient(p, I + 1, L + 1, ACK, NONE, ""));
        assertEquals(ConnectionState.ESTABLISHED, d.state());

        // c3 a request (ordering number 6), s2 its response.
        d = client(fromClient(p, I + 1, c(p, 1), PSH_ACK, NONE, "hello"), Kind.CAUSAL,
                fromClient(p, I + 1, L + 1, PSH_ACK, NONE, "hello"));
        long c3 = ordering;
        d = local(fromLocal(p, L + 1, I + 6, PSH_ACK, NONE, "world!"), Kind.RESPONSE,
                fromLocal(p, c(p, 1), I + 6, PSH_ACK, NONE, "world!"));
        assertEquals(c3, d.responseNumber());
        client(fromClient(p, I + 6, c(p, 7), ACK, NONE, ""), Kind.PURE_ACK, fromClient(p, I + 6, L + 7, ACK, NONE, ""));

        // A two-segment request whose first segment (I+6.."abcd") is lost: the second arrives first.
        d = client(fromClient(p, I + 10, c(p, 7), PSH_ACK, NONE, "efgh"), Kind.CAUSAL,
                fromClient(p, I + 10, L + 7, PSH_ACK, NONE, "efgh"));
        long request = ordering;
        // The local stack's duplicate ACK asks for I+6: the client must see I+6, not equation 4's I+14.
        d = local(fromLocal(p, L + 7, I + 6, ACK, NONE, ""), Kind.PURE_ACK_RESPONSE, fromLocal(p, c(p, 7), I + 6, ACK, NONE, ""));
        // The client retransmits the lost segment: a retransmission, translated with the same numbers.
        d = client(fromClient(p, I + 6, c(p, 7), PSH_ACK, NONE, "abcd"), Kind.CAUSAL,
                fromClient(p, I + 6, L + 7, PSH_ACK, NONE, "abcd"));
        assertTrue(d.duplicate());
        // Now the local stack has the whole request and answers it.
        d = local(fromLocal(p, L + 7, I + 14, PSH_ACK, NONE, "ok"), Kind.RESPONSE, fromLocal(p, c(p, 7), I + 14, PSH_ACK, NONE, "ok"));
        assertEquals(request, d.responseNumber());
        // A duplicate of the second segment, and the local stack's duplicate ACK of it.
        d = client(fromClient(p, I + 10, c(p, 7), PSH_ACK, NONE, "efgh"), Kind.CAUSAL,
                fromClient(p, I + 10, L + 7, PSH_ACK, NONE, "efgh"));
        assertTrue(d.duplicate());
        local(fromLocal(p, L + 9, I + 14, ACK, NONE, ""), Kind.PURE_ACK_RESPONSE, fromLocal(p, c(p, 9), I + 14, ACK, NONE, ""));
        // The local stack retransmits its response: same numbers again.
        local(fromLocal(p, L + 7, I + 14, PSH_ACK, NONE, "ok"), Kind.RESPONSE, fromLocal(p, c(p, 7), I + 14, PSH_ACK, NONE, "ok"));

        // Illegal segments are dropped, counted, left untouched, and change nothing.
        clientDropped(fromClient(p, I + 14, c(p, 100), ACK, NONE, ""), SegmentDropReason.ACK_OUT_OF_WINDOW);
        clientDropped(fromClient(p, I + 14, c(p, -200_000), ACK, NONE, ""), SegmentDropReason.ACK_OUT_OF_WINDOW);
        clientDropped(fromClient(p, I + 14 + 1_000_000, c(p, 9), ACK, NONE, "x"), SegmentDropReason.SEQUENCE_OUT_OF_WINDOW);
        clientDropped(fromClient(p, I - 1_000_000, c(p, 9), ACK, NONE, "x"), SegmentDropReason.SEQUENCE_OUT_OF_WINDOW);
        byte[] corrupt = fromClient(p, I + 14, c(p, 9), ACK, NONE, "x");
        corrupt[corrupt.length - 1] ^= 1;
        clientDropped(corrupt, SegmentDropReason.BAD_CHECKSUM);
        clientDropped(fromClient(p + 1, I + 14, c(p, 9), ACK, NONE, ""), SegmentDropReason.NO_CONNECTION);
        clientDropped(java.util.Arrays.copyOf(fromClient(p, I + 14, c(p, 9), ACK, NONE, ""), 30), SegmentDropReason.MALFORMED);
        clientDropped(fromClient(p, I + 14, 0, SYN | org.artcp.node.packet.TcpSegment.FIN, NONE, ""), SegmentDropReason.BAD_FLAGS);
        assertEquals(ConnectionState.ESTABLISHED, cm.connection(key).state());

        // c6 FIN from the client (it also acknowledges "ok"): CLIENT_FIN.
        d = client(fromClient(p, I + 14, c(p, 9), FIN_ACK, NONE, ""), Kind.CAUSAL, fromClient(p, I + 14, L + 9, FIN_ACK, NONE, ""));
        assertEquals(ConnectionState.CLIENT_FIN, d.state());
        long fin = ordering;
        // s5 the local ACK of the FIN (a pure-ACK response, numbered c6) and s6 its own FIN (c6): CLOSING.
        d = local(fromLocal(p, L + 9, I + 15, ACK, NONE, ""), Kind.PURE_ACK_RESPONSE, fromLocal(p, c(p, 9), I + 15, ACK, NONE, ""));
        assertEquals(fin, d.responseNumber());
        d = local(fromLocal(p, L + 9, I + 15, FIN_ACK, NONE, ""), Kind.RESPONSE, fromLocal(p, c(p, 9), I + 15, FIN_ACK, NONE, ""));
        assertEquals(fin, d.responseNumber());
        assertEquals(ConnectionState.CLOSING, d.state());
        // c7 the client's last ACK: both FINs acknowledged, TIME_WAIT.
        d = client(fromClient(p, I + 15, c(p, 10), ACK, NONE, ""), Kind.PURE_ACK, fromClient(p, I + 15, L + 10, ACK, NONE, ""));
        assertEquals(ConnectionState.TIME_WAIT, d.state());
        // A retransmitted FIN still passes in TIME_WAIT (its ACK may have been lost); new data does not.
        assertTrue(client(fromClient(p, I + 14, c(p, 10), FIN_ACK, NONE, ""), Kind.CAUSAL,
                fromClient(p, I + 14, L + 10, FIN_ACK, NONE, "")).duplicate());
        clientDropped(fromClient(p, I + 15, c(p, 10), PSH_ACK, NONE, "late"), SegmentDropReason.CONNECTION_CLOSED);

        // Reclaimed after the TIME_WAIT delay, not before.
        assertEquals(0, cm.reclaim(now + TIME_WAIT_NS - 1));
        assertEquals(1, cm.size());
        assertEquals(1, cm.reclaim(now + TIME_WAIT_NS));
        assertEquals(0, cm.size());
        assertNull(cm.connection(key));
        assertEquals(0, cm.localDropsTotal());
    }

    @Test
    void serverFinFirst() {
        int p = 40_001;
        handshake(p);
        // The server closes first: its FIN, then the client's ACK with its own FIN, then the local last ACK.
        SegmentDecision d = local(fromLocal(p, L + 1, I + 1, FIN_ACK, NONE, ""), Kind.RESPONSE,
                fromLocal(p, c(p, 1), I + 1, FIN_ACK, NONE, ""));
        assertEquals(ConnectionState.SERVER_FIN, d.state());
        d = client(fromClient(p, I + 1, c(p, 2), FIN_ACK, NONE, ""), Kind.CAUSAL, fromClient(p, I + 1, L + 2, FIN_ACK, NONE, ""));
        assertEquals(ConnectionState.CLOSING, d.state());
        d = local(fromLocal(p, L + 2, I + 2, ACK, NONE, ""), Kind.PURE_ACK_RESPONSE, fromLocal(p, c(p, 2), I + 2, ACK, NONE, ""));
        assertEquals(ConnectionState.TIME_WAIT, d.state());
        assertEquals(1, cm.reclaim(now + TIME_WAIT_NS));
        assertEquals(0, cm.size());
    }

    @Test
    void clientResetAndLocalReset() {
        int p = 40_002;
        handshake(p);
        // A RST outside the receive window is dropped (RFC 5961 §3); one at RCV.NXT closes the connection.
        clientDropped(fromClient(p, I + 100_000, 0, RST, NONE, ""), SegmentDropReason.SEQUENCE_OUT_OF_WINDOW);
        SegmentDecision d = client(fromClient(p, I + 1, 0, RST, NONE, ""), Kind.CAUSAL, fromClient(p, I + 1, 0, RST, NONE, ""));
        assertEquals(ConnectionState.TIME_WAIT, d.state());
        assertTrue(cm.connection(ConnectionKey.of(CLIENT, p, SERVER_PORT)).isReset());
        clientDropped(fromClient(p, I + 1, c(p, 1), ACK, NONE, ""), SegmentDropReason.CONNECTION_CLOSED);

        int q = 40_003;
        handshake(q);
        d = local(fromLocal(q, L + 1, I + 1, RST | ACK, NONE, ""), Kind.RESPONSE, fromLocal(q, c(q, 1), I + 1, RST | ACK, NONE, ""));
        assertEquals(ConnectionState.TIME_WAIT, d.state());
        assertEquals(2, cm.size());
        assertEquals(2, cm.reclaim(now + TIME_WAIT_NS));
        assertEquals(0, cm.size());
    }

    @Test
    void aLocalStackThatRefusesTheSynAnswersTheClientWithAReset() {
        int p = 40_004;
        client(fromClient(p, I, 0, SYN, CLIENT_SYN_OPTIONS, ""), Kind.CAUSAL, fromClient(p, I, 0, SYN, STRIPPED_SYN_OPTIONS, ""));
        // Nothing listens: the kernel answers RST|ACK seq 0 ack I+1; the client gets the cluster ISN and the same ACK.
        SegmentDecision d = local(fromLocal(p, 0, I + 1, RST | ACK, NONE, ""), Kind.RESPONSE,
                fromLocal(p, c(p, 0), I + 1, RST | ACK, NONE, ""));
        assertEquals(ConnectionState.TIME_WAIT, d.state());
        assertTrue(cm.connection(ConnectionKey.of(CLIENT, p, SERVER_PORT)).isReset());
        // Anything else before a SYN-ACK is still refused.
        byte[] early = fromLocal(40_005, 0, I + 1, ACK, NONE, "");
        client(fromClient(40_005, I, 0, SYN, CLIENT_SYN_OPTIONS, ""), Kind.CAUSAL, fromClient(40_005, I, 0, SYN, STRIPPED_SYN_OPTIONS, ""));
        assertEquals(SegmentDropReason.AWAITING_LOCAL_SYN_ACK, cm.onLocalSegment(early, 0, early.length, now).dropReason());
    }

    @Test
    void localSegmentsWithoutAConnectionOrFromElsewhereAreDropped() {
        byte[] s = fromLocal(41_000, L, I + 1, ACK, NONE, "");
        assertEquals(Kind.DROP, cm.onLocalSegment(s, 0, s.length, now).kind());
        assertEquals(1, cm.localDrops(SegmentDropReason.NO_CONNECTION));
        byte[] notPortal = Segments.build(CLIENT, CLIENT, 1, 2, 0, 0, ACK, 1, NONE, new byte[0]);
        assertEquals(SegmentDropReason.NOT_PORTAL, cm.onLocalSegment(notPortal, 0, notPortal.length, now).dropReason());
        byte[] toElsewhere = Segments.build(CLIENT, CLIENT, 1, 2, 0, 0, SYN, 1, NONE, new byte[0]);
        assertEquals(SegmentDropReason.NOT_PORTAL, cm.onClientSegment(toElsewhere, 0, toElsewhere.length, 1, now).dropReason());
    }

    @Test
    void fiveThousandConcurrentConnectionsOpenAndCloseAndTheTableEmpties() {
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            int p = 10_000 + i;
            byte[] syn = fromClient(p, I, 0, SYN, CLIENT_SYN_OPTIONS, "");
            assertEquals(Kind.CAUSAL, cm.onClientSegment(syn, 0, syn.length, i, now).kind());
        }
        assertEquals(n, cm.size());
        for (int i = 0; i < n; i++) {
            int p = 10_000 + i;
            byte[] synAck = fromLocal(p, L + i, I + 1, SYN_ACK, SYN_ACK_OPTIONS, "");
            assertEquals(c(p, 0), cm.onLocalSegment(synAck, 0, synAck.length, now).sequenceNumber());
            byte[] ack = fromClient(p, I + 1, c(p, 1), PSH_ACK, NONE, "q" + i);
            SegmentDecision d = cm.onClientSegment(ack, 0, ack.length, i, now);
            assertEquals(Kind.CAUSAL, d.kind());
            assertEquals(L + i + 1, d.acknowledgmentNumber());
            assertChecksumsValid(ack);
        }
        for (int i = 0; i < n; i++) {
            int p = 10_000 + i;
            int len = ("q" + i).length();
            byte[] fin = fromClient(p, I + 1 + len, c(p, 1), FIN_ACK, NONE, "");
            assertEquals(ConnectionState.CLIENT_FIN, cm.onClientSegment(fin, 0, fin.length, i, now).state());
            byte[] localFin = fromLocal(p, L + i + 1, I + 2 + len, FIN_ACK, NONE, "");
            assertEquals(ConnectionState.CLOSING, cm.onLocalSegment(localFin, 0, localFin.length, now).state());
            byte[] last = fromClient(p, I + 2 + len, c(p, 2), ACK, NONE, "");
            assertEquals(ConnectionState.TIME_WAIT, cm.onClientSegment(last, 0, last.length, i, now).state());
            now += 1_000;
        }
        assertEquals(n, cm.size());
        assertEquals(0, cm.clientDropsTotal() + cm.localDropsTotal());
        assertEquals(n, cm.reclaim(now + TIME_WAIT_NS));
        assertEquals(0, cm.size());
        assertEquals(n, cm.reclaimedCount());
    }

    @Test
    void synFloodIsReclaimedWhileTheLegitimateConnectionGoesOn() {
        int p = 40_004;
        handshake(p);
        for (int i = 0; i < 10_000; i++) {
            byte[] syn = Segments.build(CLIENT + 1 + (i >> 14), PORTAL, 1024 + (i & 0x3FFF), SERVER_PORT, i, 0, SYN, 1000,
                    NONE, new byte[0]);
            cm.onClientSegment(syn, 0, syn.length, 0, now);
        }
        assertEquals(10_000, cm.size(), "the legitimate one plus 9,999 SYNs; the table is full");
        assertEquals(1, cm.clientDrops(SegmentDropReason.TABLE_FULL));
        // The legitimate connection keeps working during the flood.
        client(fromClient(p, I + 1, c(p, 1), PSH_ACK, NONE, "ping"), Kind.CAUSAL, fromClient(p, I + 1, L + 1, PSH_ACK, NONE, "ping"));
        assertEquals(9_999, cm.reclaim(now + HANDSHAKE_NS));
        assertEquals(1, cm.size());
        assertEquals(ConnectionState.ESTABLISHED, cm.connection(ConnectionKey.of(CLIENT, p, SERVER_PORT)).state());
    }
}
