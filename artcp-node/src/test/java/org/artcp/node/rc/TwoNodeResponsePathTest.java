package org.artcp.node.rc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.artcp.node.cm.ConnectionManager;
import org.artcp.node.cm.SegmentDecision;
import org.artcp.node.cm.SequenceTranslator;
import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * Two nodes whose kernels chose different ISNs: each node's CM translates its own local stack's
 * segments, and the versions that reach the aggregator carry the same cluster numbers, so it
 * sends the client one of them (DESIGN §2's ISN mapping, paper §4.1's aggregation).
 */
class TwoNodeResponsePathTest {
    private static final int PORTAL = Ipv4Packet.parseAddress("198.18.0.10");
    private static final int CLIENT = Ipv4Packet.parseAddress("198.18.0.101");
    private static final long SECRET = 0xABCDEFL;
    private static final long I = 70_000;
    private static final long[] LOCAL_ISN = {5_000_000, 4_294_967_000L}; // the second wraps 2^32 soon

    private static byte[] segment(int src, int dst, int sport, int dport, long seq, long ack, int flags, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[40 + data.length];
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length).initHeader().totalLength(b.length)
                .protocol(Ipv4Packet.PROTOCOL_TCP).source(src).destination(dst).updateHeaderChecksum();
        TcpSegment tcp = new TcpSegment().wrap(ip).initHeader().sourcePort(sport).destinationPort(dport).sequenceNumber(seq)
                .acknowledgmentNumber(ack).flags(flags).window(1000);
        System.arraycopy(data, 0, b, 40, data.length);
        tcp.updateChecksum(src, dst);
        return b;
    }

    private static byte[] fromClient(long seq, long ack, int flags, String payload) {
        return segment(CLIENT, PORTAL, 40_000, 5002, seq, ack, flags, payload);
    }

    private static byte[] fromLocal(long seq, long ack, int flags, String payload) {
        return segment(PORTAL, CLIENT, 5002, 40_000, seq, ack, flags, payload);
    }

    @Test
    void versionsOfNodesWithDifferentIsnsAgreeAndTheClientGetsOne() {
        ConnectionManager[] cm = new ConnectionManager[2];
        for (int r = 0; r < 2; r++) {
            cm[r] = new ConnectionManager(PORTAL, SECRET, 16, 1, 1, ConnectionManager.ReadOnlyClassifier.GENERIC);
        }
        List<byte[]> toClient = new ArrayList<>();
        StreamAggregator aggregator = new StreamAggregator(2, 0b11, 1, (id, client, b, off, len) -> {
            assertEquals(CLIENT, client);
            toClient.add(Arrays.copyOfRange(b, off, off + len));
        });
        long clusterIsn = SequenceTranslator.clusterIsn(SECRET, CLIENT, 40_000, PORTAL, 5002, I);

        // Every node gets the client's SYN (relayed by MO with ordering number 1).
        for (ConnectionManager m : cm) {
            byte[] syn = fromClient(I, 0, TcpSegment.SYN, "");
            assertEquals(SegmentDecision.Kind.CAUSAL, m.onClientSegment(syn, 0, syn.length, 1, 0).kind());
        }
        // Each kernel answers with its own ISN; each CM maps it to the cluster ISN.
        for (int r = 0; r < 2; r++) {
            byte[] synAck = fromLocal(LOCAL_ISN[r], I + 1, TcpSegment.SYN | TcpSegment.ACK, "");
            SegmentDecision d = cm[r].onLocalSegment(synAck, 0, synAck.length, 0);
            assertEquals(1, d.responseNumber());
            aggregator.onVersion(r, d.connectionKey(), synAck, 0, synAck.length, 0);
        }
        assertEquals(1, toClient.size());
        assertArrayEquals(fromLocal(clusterIsn, I + 1, TcpSegment.SYN | TcpSegment.ACK, ""), toClient.get(0));

        // The handshake's ACK and a request (ordering number 2) reach both nodes; each answers "pong".
        for (int r = 0; r < 2; r++) {
            byte[] ack = fromClient(I + 1, (clusterIsn + 1) & 0xFFFF_FFFFL, TcpSegment.ACK, "");
            assertEquals(SegmentDecision.Kind.PURE_ACK, cm[r].onClientSegment(ack, 0, ack.length, 0, 0).kind());
            byte[] ping = fromClient(I + 1, (clusterIsn + 1) & 0xFFFF_FFFFL, TcpSegment.ACK | TcpSegment.PSH, "ping");
            assertEquals(SegmentDecision.Kind.CAUSAL, cm[r].onClientSegment(ping, 0, ping.length, 2, 0).kind());
            assertEquals((LOCAL_ISN[r] + 1) & 0xFFFF_FFFFL, new TcpSegment().wrap(new Ipv4Packet().wrap(ping, 0, ping.length))
                    .acknowledgmentNumber(), "each node's local ACK number");
            byte[] pong = fromLocal((LOCAL_ISN[r] + 1) & 0xFFFF_FFFFL, I + 5, TcpSegment.ACK | TcpSegment.PSH, "pong");
            SegmentDecision d = cm[r].onLocalSegment(pong, 0, pong.length, 0);
            assertEquals(2, d.responseNumber());
            aggregator.onVersion(r, d.connectionKey(), pong, 0, pong.length, 0);
        }
        assertEquals(2, toClient.size());
        assertArrayEquals(fromLocal((clusterIsn + 1) & 0xFFFF_FFFFL, I + 5, TcpSegment.ACK | TcpSegment.PSH, "pong"),
                toClient.get(1));
        assertEquals(0, aggregator.divergentRanges());
    }
}
