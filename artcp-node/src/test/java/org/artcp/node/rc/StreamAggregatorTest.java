package org.artcp.node.rc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The aggregator as the client sees it: what reaches the client is one copy of every live node's
 * common byte stream, with ACKs no node has not reached, whatever the nodes' segmentation, losses,
 * retransmissions and crashes.
 */
class StreamAggregatorTest {
    private static final int PORTAL = Ipv4Packet.parseAddress("198.18.0.10");
    private static final int CLIENT = Ipv4Packet.parseAddress("198.18.0.101");
    private static final long CONN = 42;
    private static final long ISN = 4_294_967_200L; // the stream wraps 2^32 after 96 bytes
    private static final long CLIENT_NEXT = 1_000;

    private final List<byte[]> toClient = new ArrayList<>();
    private final List<String> divergences = new ArrayList<>();
    private StreamAggregator aggregator;

    @BeforeEach
    void setUp() {
        aggregator = new StreamAggregator(3, 0b111, 1_000_000, new StreamAggregator.Sink() {
            @Override
            public void sendToClient(long connectionId, int clientAddress, byte[] packet, int offset, int length) {
                assertEquals(CONN, connectionId);
                assertEquals(CLIENT, clientAddress);
                toClient.add(Arrays.copyOfRange(packet, offset, offset + length));
            }

            @Override
            public void divergence(long connectionId, long clusterSequence, int rank, boolean first, String detail) {
                divergences.add(rank + "@" + clusterSequence + (first ? " first" : ""));
            }
        });
    }

    private static long seq(long offset) {
        return (ISN + offset) & 0xFFFF_FFFFL;
    }

    private static byte[] segment(long seq, long ack, int flags, int window, byte[] data) {
        byte[] b = new byte[40 + data.length];
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length).initHeader().totalLength(b.length)
                .protocol(Ipv4Packet.PROTOCOL_TCP).source(PORTAL).destination(CLIENT).updateHeaderChecksum();
        TcpSegment tcp = new TcpSegment().wrap(ip).initHeader().sourcePort(5002).destinationPort(40_000)
                .sequenceNumber(seq).acknowledgmentNumber(ack).flags(flags).window(window);
        System.arraycopy(data, 0, b, 40, data.length);
        tcp.updateChecksum(PORTAL, CLIENT);
        return b;
    }

    private StreamAggregator.Outcome version(int rank, long offset, long ack, int flags, byte[] data) {
        byte[] p = segment(seq(offset), ack, flags, 500, data);
        return aggregator.onVersion(rank, CONN, p, 0, p.length, 0);
    }

    private StreamAggregator.Outcome version(int rank, long offset, long ack, int flags, byte[] data, long nowNs) {
        byte[] p = segment(seq(offset), ack, flags, 500, data);
        return aggregator.onVersion(rank, CONN, p, 0, p.length, nowNs);
    }

    private void handshake() {
        for (int r = 0; r < 3; r++) {
            version(r, 0, CLIENT_NEXT, TcpSegment.SYN | TcpSegment.ACK, new byte[0]);
        }
        toClient.clear();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static TcpSegment tcp(byte[] packet) {
        return new TcpSegment().wrap(new Ipv4Packet().wrap(packet, 0, packet.length));
    }

    /** Every packet the client got is valid; returns the data bytes in sequence order, from offset 1. */
    private byte[] clientStream() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        long next = 1;
        for (byte[] p : toClient) {
            Ipv4Packet ip = new Ipv4Packet().wrap(p, 0, p.length);
            assertTrue(ip.isValid() && ip.verifyHeaderChecksum(), "IPv4 header");
            TcpSegment t = new TcpSegment().wrap(ip);
            assertTrue(t.verifyChecksum(PORTAL, CLIENT), "TCP checksum");
            long off = (t.sequenceNumber() - ISN) & 0xFFFF_FFFFL;
            if (t.payloadLength() > 0) {
                assertEquals(next, off, "no gap, nothing twice");
                s.write(p, t.payloadOffset(), t.payloadLength());
                next += t.payloadLength();
            }
        }
        return s.toByteArray();
    }

    @Test
    void theSynAckAndEachResponseGoOutOnceEveryLiveNodeSentThem() {
        assertEquals(StreamAggregator.Outcome.GATHERED, version(0, 0, CLIENT_NEXT, TcpSegment.SYN | TcpSegment.ACK, new byte[0]));
        assertEquals(StreamAggregator.Outcome.GATHERED, version(2, 0, CLIENT_NEXT, TcpSegment.SYN | TcpSegment.ACK, new byte[0]));
        assertEquals(0, toClient.size());
        assertEquals(StreamAggregator.Outcome.EMITTED, version(1, 0, CLIENT_NEXT, TcpSegment.SYN | TcpSegment.ACK, new byte[0]));
        assertEquals(1, toClient.size());
        assertEquals(seq(0), tcp(toClient.get(0)).sequenceNumber());
        assertEquals(CLIENT_NEXT, tcp(toClient.get(0)).acknowledgmentNumber());
        toClient.clear();

        byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
        version(0, 1, CLIENT_NEXT + 4, TcpSegment.ACK | TcpSegment.PSH, pong);
        version(1, 1, CLIENT_NEXT + 4, TcpSegment.ACK | TcpSegment.PSH, pong);
        assertEquals(0, toClient.size(), "rank 2 has not answered");
        assertEquals(StreamAggregator.Outcome.EMITTED, version(2, 1, CLIENT_NEXT + 4, TcpSegment.ACK | TcpSegment.PSH, pong));
        assertArrayEquals(segment(seq(1), CLIENT_NEXT + 4, TcpSegment.ACK | TcpSegment.PSH, 500, pong), toClient.get(0));
        assertEquals(0, aggregator.divergentRanges());
    }

    @Test
    void nodesThatCutTheStreamDifferentlyGiveTheClientOneWholeStream() {
        handshake();
        byte[] data = bytes(5_000, 7);
        int[][] cuts = {{1448, 1448, 1448, 656}, {1000, 4000}, {5000}};
        for (int r = 0; r < 3; r++) {
            int at = 0;
            for (int len : cuts[r]) {
                version(r, 1 + at, CLIENT_NEXT, TcpSegment.ACK, Arrays.copyOfRange(data, at, at + len));
                at += len;
            }
        }
        assertArrayEquals(data, clientStream());
        assertEquals(0, aggregator.divergentRanges());
        assertEquals(0, aggregator.resentCount());
    }

    @Test
    void segmentsArrivingOutOfOrderOrTwiceAreReleasedInOrderOnce() {
        handshake();
        byte[] data = bytes(3_000, 1);
        for (int r = 0; r < 3; r++) {
            version(r, 2001, CLIENT_NEXT, TcpSegment.ACK, Arrays.copyOfRange(data, 2000, 3000));
            version(r, 1, CLIENT_NEXT, TcpSegment.ACK, Arrays.copyOfRange(data, 0, 1000));
            if (r < 2) { // a copy before the range is released is kept once (after it, it is a retransmission)
                assertEquals(StreamAggregator.Outcome.SUPPRESSED,
                        version(r, 1, CLIENT_NEXT, TcpSegment.ACK, Arrays.copyOfRange(data, 0, 1000)));
            }
            version(r, 1001, CLIENT_NEXT, TcpSegment.ACK, Arrays.copyOfRange(data, 1000, 2000));
        }
        assertArrayEquals(data, clientStream());
    }

    @Test
    void aDivergentNodeIsCountedAndReportedAndTheReferenceBytesAreSent() {
        handshake();
        byte[] a = "2026-11-26 19:00:00".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "2026-11-26 19:00:01".getBytes(StandardCharsets.US_ASCII);
        version(0, 1, CLIENT_NEXT, TcpSegment.ACK, a);
        version(1, 1, CLIENT_NEXT, TcpSegment.ACK, a);
        version(2, 1, CLIENT_NEXT, TcpSegment.ACK, b);
        version(0, 20, CLIENT_NEXT, TcpSegment.ACK, a);
        version(1, 20, CLIENT_NEXT, TcpSegment.ACK, a);
        version(2, 20, CLIENT_NEXT, TcpSegment.ACK, b);
        assertEquals(2, aggregator.divergentRanges());
        assertEquals(List.of("2@" + seq(1) + " first", "2@" + seq(20) + " first"), divergences);
        byte[] both = new byte[38];
        System.arraycopy(a, 0, both, 0, 19);
        System.arraycopy(a, 0, both, 19, 19);
        assertArrayEquals(both, clientStream());
        assertTrue(aggregator.diverged(CONN));
    }

    @Test
    void theClientIsAcknowledgedOnlyWhatEveryNodeReceivedAndPureAcksClockItsUpload() {
        handshake();
        version(0, 1, CLIENT_NEXT + 1448, TcpSegment.ACK, new byte[0]);
        version(1, 1, CLIENT_NEXT + 2896, TcpSegment.ACK, new byte[0]);
        assertEquals(0, toClient.size(), "rank 2 has acknowledged nothing yet");
        version(2, 1, CLIENT_NEXT + 2896, TcpSegment.ACK, new byte[0]);
        assertEquals(1, toClient.size());
        assertEquals(CLIENT_NEXT + 1448, tcp(toClient.get(0)).acknowledgmentNumber(), "the smallest ACK");
        assertEquals(0, tcp(toClient.get(0)).payloadLength());
        assertEquals(TcpSegment.ACK, tcp(toClient.get(0)).flags());
        version(0, 1, CLIENT_NEXT + 2896, TcpSegment.ACK, new byte[0]);
        assertEquals(2, toClient.size());
        assertEquals(CLIENT_NEXT + 2896, tcp(toClient.get(1)).acknowledgmentNumber());
        version(1, 1, CLIENT_NEXT + 2896, TcpSegment.ACK, new byte[0]);
        assertEquals(2, toClient.size(), "an ACK that advances nothing is not repeated");
        aggregator.onClientSegment(CONN, true, seq(1), true);
        version(2, 1, CLIENT_NEXT + 2896, TcpSegment.ACK, new byte[0]);
        assertEquals(3, toClient.size(), "after the client retransmitted, the ACK is repeated");
    }

    @Test
    void aNodeRetransmissionIsResentOncePerHoldOffForAllNodes() {
        handshake();
        byte[] data = bytes(100, 3);
        for (int r = 0; r < 3; r++) {
            version(r, 1, CLIENT_NEXT, TcpSegment.ACK, data, 0);
        }
        assertEquals(1, toClient.size());
        // The client's ACK never came: every node's stack retransmits.
        assertEquals(StreamAggregator.Outcome.RESENT, version(0, 1, CLIENT_NEXT, TcpSegment.ACK, data, 500_000));
        assertEquals(StreamAggregator.Outcome.SUPPRESSED, version(1, 1, CLIENT_NEXT, TcpSegment.ACK, data, 600_000));
        assertEquals(StreamAggregator.Outcome.SUPPRESSED, version(2, 1, CLIENT_NEXT, TcpSegment.ACK, data, 700_000));
        assertEquals(StreamAggregator.Outcome.RESENT, version(2, 1, CLIENT_NEXT, TcpSegment.ACK, data, 1_600_000));
        assertEquals(3, toClient.size());
        assertArrayEquals(toClient.get(0), toClient.get(1), "the re-send is the original segment");
        assertEquals(2, aggregator.resentCount());
    }

    @Test
    void aFailedNodeStopsHoldingTheClientBack() {
        handshake();
        byte[] data = bytes(200, 5);
        version(0, 1, CLIENT_NEXT, TcpSegment.ACK, data);
        version(2, 1, CLIENT_NEXT, TcpSegment.ACK, data);
        assertEquals(0, toClient.size());
        assertEquals(1, aggregator.onMembershipChange(0b101));
        assertArrayEquals(data, clientStream());
        assertEquals(StreamAggregator.Outcome.DROPPED, version(1, 1, CLIENT_NEXT, TcpSegment.ACK, data));
    }

    @Test
    void aSuccessorAdoptsAConnectionMidStreamAndSendsFromTheClientsAckOn() {
        // Rank 1 aggregated the connection and failed after the client acknowledged 300 bytes; rank 2
        // (this aggregator) never saw the connection's SYN-ACKs. The survivors 0 and 2 send again what
        // the client has not acknowledged: bytes 301..500 (offsets), the first 100 of which it got.
        aggregator.onMembershipChange(0b101);
        byte[] all = bytes(500, 9);
        byte[] template = segment(seq(301), CLIENT_NEXT + 7, TcpSegment.ACK, 500, new byte[0]);
        assertTrue(aggregator.adopt(CONN, template, 0, template.length, ISN, CLIENT_NEXT - 1, seq(301), CLIENT_NEXT + 7));
        assertTrue(aggregator.hasFlow(CONN));
        assertEquals(0, aggregator.onMembershipChange(0b101), "nothing to send before any version");
        assertEquals(0, toClient.size());

        byte[] tail = Arrays.copyOfRange(all, 300, 500);
        version(0, 301, CLIENT_NEXT + 7, TcpSegment.ACK, tail);
        assertTrue(toClient.stream().allMatch(p -> tcp(p).payloadLength() == 0), "no data: rank 2's version is missing");
        toClient.clear();
        assertEquals(StreamAggregator.Outcome.EMITTED, version(2, 301, CLIENT_NEXT + 7, TcpSegment.ACK, tail));
        assertEquals(1, toClient.size());
        TcpSegment out = tcp(toClient.get(0));
        assertEquals(seq(301), out.sequenceNumber(), "from the client's ACK on");
        assertEquals(CLIENT_NEXT + 7, out.acknowledgmentNumber());
        assertEquals(200, out.payloadLength());
        assertArrayEquals(tail, Arrays.copyOfRange(toClient.get(0), out.payloadOffset(), out.payloadOffset() + 200));

        assertEquals(StreamAggregator.Outcome.SUPPRESSED, version(0, 201, CLIENT_NEXT + 7, TcpSegment.ACK,
                Arrays.copyOfRange(all, 200, 300)), "bytes the client acknowledged before the take-over: not held");
        assertEquals(1, toClient.size());
        assertFalse(aggregator.adopt(CONN, template, 0, template.length, ISN, CLIENT_NEXT - 1, seq(301),
                CLIENT_NEXT + 7), "adopted once");
        assertEquals(1, aggregator.adoptedCount());
    }

    @Test
    void finAndRstGoOutWhenEveryNodeSentThem() {
        handshake();
        byte[] data = bytes(10, 9);
        for (int r = 0; r < 3; r++) {
            version(r, 1, CLIENT_NEXT + 1, TcpSegment.ACK | TcpSegment.FIN, data);
        }
        assertEquals(1, toClient.size());
        TcpSegment t = tcp(toClient.get(0));
        assertEquals(TcpSegment.ACK | TcpSegment.FIN, t.flags());
        assertEquals(10, t.payloadLength());
        for (int r = 0; r < 2; r++) {
            version(r, 12, CLIENT_NEXT + 1, TcpSegment.ACK | TcpSegment.RST, new byte[0]);
        }
        assertEquals(1, toClient.size(), "one node still talks");
        version(2, 12, CLIENT_NEXT + 1, TcpSegment.ACK | TcpSegment.RST, new byte[0]);
        assertEquals(2, toClient.size());
        assertEquals(TcpSegment.ACK | TcpSegment.RST, tcp(toClient.get(1)).flags());
        assertEquals(seq(12), tcp(toClient.get(1)).sequenceNumber());
    }

    @Test
    void bytesAreKeptUntilTheClientAcknowledgesThem() {
        handshake();
        byte[] data = bytes(1000, 2);
        for (int r = 0; r < 3; r++) {
            version(r, 1, CLIENT_NEXT, TcpSegment.ACK, data);
        }
        assertEquals(3000, aggregator.heldBytes());
        aggregator.onClientSegment(CONN, true, seq(1001), false);
        assertEquals(0, aggregator.heldBytes());
        aggregator.forget(CONN);
        assertEquals(0, aggregator.flowCount());
    }

    @Test
    void versionsBeforeTheSynAckOrFromUnknownRanksAreDropped() {
        assertEquals(StreamAggregator.Outcome.DROPPED, version(0, 1, CLIENT_NEXT, TcpSegment.ACK, bytes(5, 0)));
        assertEquals(StreamAggregator.Outcome.DROPPED, version(7, 0, CLIENT_NEXT, TcpSegment.SYN | TcpSegment.ACK, new byte[0]));
        byte[] junk = {0x45, 0, 0, 10};
        assertEquals(StreamAggregator.Outcome.DROPPED, aggregator.onVersion(0, CONN, junk, 0, junk.length, 0));
        assertEquals(3, aggregator.droppedCount());
    }

    @Test
    void aConnectionEveryNodeRefusesGetsOneResetAsFromOneServer() {
        // Nothing listens on the port: each node's stack answers the SYN with RST|ACK (CM gave it the cluster ISN).
        assertEquals(StreamAggregator.Outcome.GATHERED, version(0, 0, CLIENT_NEXT, TcpSegment.RST | TcpSegment.ACK, new byte[0]));
        assertEquals(StreamAggregator.Outcome.GATHERED, version(1, 0, CLIENT_NEXT, TcpSegment.RST | TcpSegment.ACK, new byte[0]));
        assertEquals(0, toClient.size(), "rank 2 has not answered");
        assertEquals(StreamAggregator.Outcome.EMITTED, version(2, 0, CLIENT_NEXT, TcpSegment.RST | TcpSegment.ACK, new byte[0]));
        assertEquals(1, toClient.size());
        TcpSegment t = tcp(toClient.get(0));
        assertEquals(TcpSegment.RST | TcpSegment.ACK, t.flags());
        assertEquals(CLIENT_NEXT, t.acknowledgmentNumber(), "it acknowledges the client's SYN");
        assertTrue(t.verifyChecksum(PORTAL, CLIENT));
    }

    @Test
    void aRefusalIsSentWhenTheNodeThatHadNotAnsweredFails() {
        version(0, 0, CLIENT_NEXT, TcpSegment.RST | TcpSegment.ACK, new byte[0]);
        version(1, 0, CLIENT_NEXT, TcpSegment.RST | TcpSegment.ACK, new byte[0]);
        assertEquals(0, toClient.size());
        aggregator.onMembershipChange(0b011);
        assertEquals(1, toClient.size());
        assertEquals(TcpSegment.RST | TcpSegment.ACK, tcp(toClient.get(0)).flags());
    }

    @Test
    void aClientAckBeyondWhatWasSentSkipsTheBytesADutyNodeSentDirectly() {
        handshake();
        byte[] first = bytes(30, 1);
        for (int r = 0; r < 3; r++) {
            version(r, 1, CLIENT_NEXT + 10, TcpSegment.ACK | TcpSegment.PSH, first);
        }
        assertEquals(1, toClient.size());
        // A read-only request answered by a duty node, straight to the client: 50 bytes at [31, 81).
        // The next causal request's responses start after them, and may reach the aggregator first.
        byte[] next = bytes(20, 2);
        for (int r = 0; r < 3; r++) {
            version(r, 81, CLIENT_NEXT + 30, TcpSegment.ACK | TcpSegment.PSH, next);
        }
        assertTrue(toClient.stream().skip(1).allMatch(p -> tcp(p).payloadLength() == 0),
                "no data can go out while [31, 81) is unaccounted for (pure ACKs of the request may)");
        toClient.subList(1, toClient.size()).clear();
        aggregator.onClientSegment(CONN, true, seq(81), false);
        assertEquals(1, aggregator.skippedCount());
        assertEquals(2, toClient.size(), "the client's ACK shows [31, 81) arrived: the next response goes out");
        TcpSegment t = tcp(toClient.get(1));
        assertEquals(seq(81), t.sequenceNumber());
        assertEquals(20, t.payloadLength());
        assertEquals(CLIENT_NEXT + 30, t.acknowledgmentNumber());
        assertEquals(0, aggregator.divergentRanges());
        // An ACK far beyond anything plausible is not a skip.
        aggregator.onClientSegment(CONN, true, seq(101 + (1L << 31) - 5), false);
        assertEquals(1, aggregator.skippedCount());
    }

    @Test
    void aNodeWhoseAnswerIsShorterIsOvertakenAfterTheLagLimitAndTheReferencesBytesGoOut() {
        aggregator = new StreamAggregator(3, 0b111, 1_000_000, 500_000_000L, new StreamAggregator.Sink() {
            @Override
            public void sendToClient(long connectionId, int clientAddress, byte[] packet, int offset, int length) {
                toClient.add(Arrays.copyOfRange(packet, offset, offset + length));
            }

            @Override
            public void divergence(long connectionId, long clusterSequence, int rank, boolean first, String detail) {
                divergences.add(rank + " " + detail);
            }
        });
        handshake();
        byte[] longer = bytes(40, 3);
        version(0, 1, CLIENT_NEXT + 10, TcpSegment.ACK | TcpSegment.PSH, longer, 0);
        version(1, 1, CLIENT_NEXT + 10, TcpSegment.ACK | TcpSegment.PSH, longer, 0);
        version(2, 1, CLIENT_NEXT + 10, TcpSegment.ACK | TcpSegment.PSH, Arrays.copyOf(longer, 30), 0);
        assertEquals(30, clientStream().length, "what every node sent goes out");
        aggregator.onTick(100_000_000L);
        assertEquals(30, clientStream().length, "the laggard is waited for");
        aggregator.onTick(600_000_000L);
        assertArrayEquals(longer, clientStream(), "past the lag limit the reference's bytes go out");
        assertEquals(1, aggregator.overtakenCount());
        assertTrue(divergences.stream().anyMatch(d -> d.startsWith("2 ")), divergences.toString());
        // The next answer, from every node at the client's ACK, goes out as usual.
        byte[] next = bytes(10, 4);
        for (int r = 0; r < 3; r++) {
            version(r, 41, CLIENT_NEXT + 20, TcpSegment.ACK | TcpSegment.PSH, next, 700_000_000L);
        }
        assertEquals(50, clientStream().length);
    }
}
