package org.artcp.node.rc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;
import org.artcp.node.rc.Aggregator.Outcome;
import org.junit.jupiter.api.Test;

/** The aggregator (paper §4.1, §5.2): gather every live node's version, send one, count divergence, no duplicates. */
class AggregatorTest {
    private static final int PORTAL = Ipv4Packet.parseAddress("198.18.0.10");
    private static final int CLIENT = Ipv4Packet.parseAddress("198.18.0.101");
    private static final long CONN = 0xC6120065_9C40138AL;
    private static final long HOLDOFF_NS = 50_000_000;

    private record Sent(long connectionId, long responseNumber, byte[] packet, boolean divergent, boolean first) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Aggregator.Sink sink = (id, rn, b, off, len, div, first) -> sent.add(
            new Sent(id, rn, Arrays.copyOfRange(b, off, off + len), div, first));

    /** A node's version: the same segment for the client, with a node-specific IP id and window (headers may differ). */
    private static byte[] version(int rank, long seq, int flags, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[40 + data.length];
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length).initHeader().totalLength(b.length).identification(100 + rank)
                .protocol(Ipv4Packet.PROTOCOL_TCP).source(PORTAL).destination(CLIENT).updateHeaderChecksum();
        new TcpSegment().wrap(ip).initHeader().sourcePort(5002).destinationPort(40000).sequenceNumber(seq)
                .acknowledgmentNumber(777).flags(flags).window(500 + rank);
        System.arraycopy(data, 0, b, 40, data.length);
        new TcpSegment().wrap(ip).updateChecksum(PORTAL, CLIENT);
        return b;
    }

    private static Outcome feed(Aggregator a, int rank, long rn, byte[] v, long nowNs) {
        return a.onVersion(rank, CONN, rn, v, 0, v.length, nowNs);
    }

    @Test
    void allVersionsEqualOneIsSent() {
        Aggregator a = new Aggregator(3, 0b111, HOLDOFF_NS, sink);
        assertEquals(Outcome.GATHERING, feed(a, 2, 5, version(2, 1000, TcpSegment.ACK | TcpSegment.PSH, "result"), 0));
        assertEquals(Outcome.GATHERING, feed(a, 0, 5, version(0, 1000, TcpSegment.ACK | TcpSegment.PSH, "result"), 0));
        assertEquals(Outcome.SUPPRESSED, feed(a, 0, 5, version(0, 1000, TcpSegment.ACK | TcpSegment.PSH, "result"), 1),
                "a second version from the same node");
        assertTrue(sent.isEmpty());
        assertEquals(Outcome.EMITTED, feed(a, 1, 5, version(1, 1000, TcpSegment.ACK | TcpSegment.PSH, "result"), 2));
        assertEquals(1, sent.size());
        Sent s = sent.get(0);
        assertEquals(CONN, s.connectionId());
        assertEquals(5, s.responseNumber());
        assertArrayEquals(version(0, 1000, TcpSegment.ACK | TcpSegment.PSH, "result"), s.packet(), "the lowest rank's version");
        assertFalse(s.divergent());
        assertEquals(0, a.divergentCount());
        assertEquals(0, a.pendingCount());
    }

    @Test
    void aDifferingVersionIsCountedAndFlaggedOncePerConnection() {
        Aggregator a = new Aggregator(3, 0b111, HOLDOFF_NS, sink);
        feed(a, 0, 5, version(0, 1000, TcpSegment.ACK, "abc"), 0);
        feed(a, 1, 5, version(1, 1000, TcpSegment.ACK, "abc"), 0);
        assertEquals(Outcome.EMITTED, feed(a, 2, 5, version(2, 1000, TcpSegment.ACK, "abd"), 0));
        assertTrue(sent.get(0).divergent());
        assertTrue(sent.get(0).first());
        assertEquals(1, a.divergentCount());
        assertTrue(a.diverged(CONN));
        // A second divergent response on the same connection: counted, not "first" again.
        feed(a, 0, 6, version(0, 1003, TcpSegment.ACK | TcpSegment.FIN, ""), 0);
        feed(a, 1, 6, version(1, 1003, TcpSegment.ACK, "x"), 0);
        feed(a, 2, 6, version(2, 1003, TcpSegment.ACK | TcpSegment.FIN, ""), 0);
        assertEquals(2, a.divergentCount());
        assertTrue(sent.get(1).divergent());
        assertFalse(sent.get(1).first());
    }

    @Test
    void aNodeThatDiesMidGatherReleasesIt() {
        Aggregator a = new Aggregator(4, 0b1111, HOLDOFF_NS, sink);
        feed(a, 0, 9, version(0, 2000, TcpSegment.ACK, "r9"), 0);
        feed(a, 1, 9, version(1, 2000, TcpSegment.ACK, "r9"), 0);
        feed(a, 2, 9, version(2, 2000, TcpSegment.ACK, "r9"), 0);
        feed(a, 0, 10, version(0, 2002, TcpSegment.ACK, "r10"), 0); // rank 1, 2 and 3 still owe this one
        assertTrue(sent.isEmpty());
        assertEquals(1, a.onMembershipChange(0b0111), "rank 3 failed: gather 9 has every survivor's version");
        assertEquals(1, sent.size());
        assertEquals(9, sent.get(0).responseNumber());
        assertEquals(1, a.pendingCount());
        assertEquals(Outcome.DROPPED, feed(a, 3, 10, version(3, 2002, TcpSegment.ACK, "r10"), 0), "from an excluded node");
        feed(a, 1, 10, version(1, 2002, TcpSegment.ACK, "r10"), 0);
        assertEquals(Outcome.EMITTED, feed(a, 2, 10, version(2, 2002, TcpSegment.ACK, "r10"), 0));
        assertEquals(2, sent.size());
        assertEquals(0, a.pendingCount());
    }

    @Test
    void nodeRetransmissionsAreSentOnlyWhenTheClientMissesThemAndOnce() {
        Aggregator a = new Aggregator(3, 0b111, HOLDOFF_NS, sink);
        long t = 0;
        a.onClientAck(CONN, 1000); // the request carried ACK 1000
        for (int r = 0; r < 3; r++) {
            feed(a, r, 5, version(r, 1000, TcpSegment.ACK, "hello"), t);
        }
        assertEquals(1, sent.size());

        // The response is lost: the client still acknowledges 1000. Every node's kernel retransmits:
        // one re-send for all three.
        t += 200_000_000;
        assertEquals(Outcome.RESENT, feed(a, 1, 5, version(1, 1000, TcpSegment.ACK, "hello"), t));
        assertEquals(Outcome.SUPPRESSED, feed(a, 0, 5, version(0, 1000, TcpSegment.ACK, "hello"), t + 1_000));
        assertEquals(Outcome.SUPPRESSED, feed(a, 2, 5, version(2, 1000, TcpSegment.ACK, "hello"), t + 2_000));
        assertEquals(2, sent.size());
        // The re-send was lost too; the kernels back off and retransmit again: one more re-send.
        t += 400_000_000;
        assertEquals(Outcome.RESENT, feed(a, 2, 5, version(2, 1000, TcpSegment.ACK, "hello"), t));
        assertEquals(Outcome.SUPPRESSED, feed(a, 0, 5, version(0, 1000, TcpSegment.ACK, "hello"), t));
        assertEquals(3, sent.size());

        // The client got it (ACK 1005): later retransmissions are not sent again.
        a.onClientAck(CONN, 1005);
        t += 800_000_000;
        for (int r = 0; r < 3; r++) {
            assertEquals(Outcome.SUPPRESSED, feed(a, r, 5, version(r, 1000, TcpSegment.ACK, "hello"), t));
        }
        assertEquals(3, sent.size());
        assertEquals(2, a.resentCount());
        assertEquals(1, a.emittedCount());

        // The next response is gathered as usual; pure ACK versions are not aggregated.
        assertEquals(Outcome.DROPPED, feed(a, 0, 6, version(0, 1005, TcpSegment.ACK, ""), t));
        for (int r = 0; r < 3; r++) {
            feed(a, r, 6, version(r, 1005, TcpSegment.ACK, "world"), t);
        }
        assertEquals(4, sent.size());
        a.onConnectionClosed(CONN);
        assertFalse(a.diverged(CONN));
    }

    @Test
    void withoutAnyClientAckNothingIsResent() {
        Aggregator a = new Aggregator(2, 0b11, HOLDOFF_NS, sink);
        feed(a, 0, 1, version(0, 7, TcpSegment.SYN | TcpSegment.ACK, ""), 0);
        assertEquals(Outcome.EMITTED, feed(a, 1, 1, version(1, 7, TcpSegment.SYN | TcpSegment.ACK, ""), 0));
        assertEquals(Outcome.SUPPRESSED, feed(a, 1, 1, version(1, 7, TcpSegment.SYN | TcpSegment.ACK, ""), 1_000_000_000));
        assertEquals(1, sent.size());
        byte[] truncated = Arrays.copyOf(version(0, 8, TcpSegment.ACK, "abc"), 30);
        assertEquals(Outcome.DROPPED, a.onVersion(0, CONN, 2, truncated, 0, truncated.length, 0));
        assertEquals(1, a.droppedCount());
    }
}
