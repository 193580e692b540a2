package org.artcp.node.packet;

import static org.artcp.node.packet.Packets.CLIENT;
import static org.artcp.node.packet.Packets.PORTAL;
import static org.artcp.node.packet.Packets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TcpSegmentTest {
    private static TcpSegment segmentOf(byte[] packet) {
        Ipv4Packet ip = new Ipv4Packet().wrap(packet, 0, packet.length);
        assertTrue(ip.isValid());
        return new TcpSegment().wrap(ip);
    }

    @Test
    void readsEveryFieldOfACapturedSyn() {
        TcpSegment tcp = segmentOf(hex(Packets.SYN));
        assertTrue(tcp.isValid());
        assertEquals(20, tcp.offset());
        assertEquals(40, tcp.length());
        assertEquals(40000, tcp.sourcePort());
        assertEquals(5002, tcp.destinationPort());
        assertEquals(0x12345678L, tcp.sequenceNumber());
        assertEquals(0L, tcp.acknowledgmentNumber());
        assertEquals(10, tcp.dataOffset());
        assertEquals(40, tcp.headerLength());
        assertEquals(TcpSegment.SYN, tcp.flags());
        assertTrue(tcp.hasFlags(TcpSegment.SYN));
        assertFalse(tcp.hasFlags(TcpSegment.SYN | TcpSegment.ACK));
        assertEquals(64240, tcp.window());
        assertEquals(0xA3FE, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());
        assertEquals(0, tcp.payloadLength());
        assertEquals(1, tcp.sequenceLength(), "a SYN takes one sequence number");
        assertTrue(tcp.verifyChecksum(CLIENT, PORTAL));
        assertEquals(0xA3FE, tcp.computeChecksum(CLIENT, PORTAL));
        assertFalse(tcp.verifyChecksum(PORTAL + 1, PORTAL), "the pseudo-header counts");
        assertTrue(tcp.optionsWellFormed());
        assertEquals(1460, tcp.maximumSegmentSize());
        assertEquals(7, tcp.windowScale());
        assertEquals(20 + 20 + 6, tcp.findOption(TcpOptions.TIMESTAMPS));
        assertEquals(-1, tcp.findOption(TcpOptions.SACK));
    }

    @Test
    void walksTheOptions() {
        TcpSegment tcp = segmentOf(hex(Packets.SYN));
        List<String> seen = new ArrayList<>();
        assertTrue(tcp.forEachOption((kind, at, len) -> seen.add(kind + "@" + (at - tcp.optionsOffset()) + "/" + len)));
        assertEquals(List.of("2@0/4", "4@4/2", "8@6/10", "1@16/1", "3@17/3"), seen);
    }

    @Test
    void readsADataSegment() {
        TcpSegment tcp = segmentOf(hex(Packets.DATA));
        assertTrue(tcp.isValid());
        assertEquals(0x12345679L, tcp.sequenceNumber());
        assertEquals(0xFFFF_FFF0L, tcp.acknowledgmentNumber());
        assertEquals(TcpSegment.PSH | TcpSegment.ACK, tcp.flags());
        assertEquals(502, tcp.window());
        assertEquals(40, tcp.payloadOffset());
        assertEquals(10, tcp.payloadLength());
        assertEquals(10, tcp.sequenceLength());
        assertEquals("select 1;\n", new String(tcp.buffer(), tcp.payloadOffset(), tcp.payloadLength(), StandardCharsets.US_ASCII));
        assertTrue(tcp.verifyChecksum(CLIENT, PORTAL));
        assertEquals(0, tcp.optionsLength());
        assertEquals(-1, tcp.maximumSegmentSize());
        assertEquals(-1, tcp.windowScale());
    }

    @Test
    void writingTheFieldsReproducesTheCapture() {
        byte[] expected = hex(Packets.DATA);
        byte[] b = new byte[expected.length];
        System.arraycopy(expected, 0, b, 0, 20);
        System.arraycopy(expected, 40, b, 40, 10);
        TcpSegment tcp = new TcpSegment().wrap(b, 20, expected.length - 20).initHeader()
                .sourcePort(40000).destinationPort(5002).sequenceNumber(0x12345679L).acknowledgmentNumber(0xFFFF_FFF0L)
                .flags(TcpSegment.PSH | TcpSegment.ACK).window(502).updateChecksum(CLIENT, PORTAL);
        assertEquals(0x6A55, tcp.checksum());
        assertArrayEquals(expected, b);
    }

    @Test
    void rewritingSequenceAckAndWindowKeepsTheChecksumRight() {
        byte[] b = hex(Packets.DATA);
        TcpSegment tcp = segmentOf(b);
        tcp.rewriteSequenceNumber(0xFFFF_FFFFL).rewriteAcknowledgmentNumber(0x0000_0010L).rewriteWindow(0xFFFF);
        assertEquals(0xFFFF_FFFFL, tcp.sequenceNumber());
        assertEquals(0x10L, tcp.acknowledgmentNumber());
        assertEquals(0xFFFF, tcp.window());
        assertEquals(tcp.computeChecksum(CLIENT, PORTAL), tcp.checksum());
        assertTrue(tcp.verifyChecksum(CLIENT, PORTAL));

        // Address rewriting: the node sends responses with the portal as source.
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length);
        int newSource = Ipv4Packet.parseAddress("198.18.0.3");
        tcp.rewriteChecksumForAddress(ip.source(), newSource);
        ip.headerChecksum(Checksums.update32(ip.headerChecksum(), ip.source() & 0xFFFF_FFFFL, newSource & 0xFFFF_FFFFL))
                .source(newSource);
        assertTrue(ip.verifyHeaderChecksum());
        assertTrue(tcp.verifyChecksum(newSource, PORTAL));
    }

    @Test
    void randomRewritesMatchRecomputation() {
        Random random = new Random(9293);
        byte[] b = hex(Packets.DATA);
        TcpSegment tcp = segmentOf(b);
        for (int i = 0; i < 20_000; i++) {
            switch (random.nextInt(3)) {
                case 0 -> tcp.rewriteSequenceNumber(random.nextLong() & 0xFFFF_FFFFL);
                case 1 -> tcp.rewriteAcknowledgmentNumber(tcp.acknowledgmentNumber() + random.nextInt(3000) & 0xFFFF_FFFFL);
                default -> tcp.rewriteWindow(random.nextInt(0x10000));
            }
            assertEquals(tcp.computeChecksum(CLIENT, PORTAL), tcp.checksum(), "step " + i);
        }
    }

    @Test
    void strippingPerNodeSynOptions() {
        byte[] b = hex(Packets.SYN);
        TcpSegment tcp = segmentOf(b);
        assertEquals(12, TcpOptions.stripPerNodeOptions(tcp));
        assertArrayEquals(hex(Packets.SYN_STRIPPED), b);
        assertTrue(tcp.verifyChecksum(CLIENT, PORTAL));
        assertEquals(1460, tcp.maximumSegmentSize());
        assertEquals(7, tcp.windowScale());
        assertEquals(-1, tcp.findOption(TcpOptions.TIMESTAMPS));
        assertEquals(-1, tcp.findOption(TcpOptions.SACK_PERMITTED));
        assertEquals(0, TcpOptions.stripPerNodeOptions(tcp), "nothing left to strip");
        assertArrayEquals(hex(Packets.SYN_STRIPPED), b);
    }

    @Test
    void strippingStopsAtEndOfListAndTakesUnknownOptions() {
        // MSS, TFO cookie request (kind 34, length 2), SACK-permitted, EOL, then garbage padding.
        byte[] b = hex(Packets.SYN);
        byte[] options = hex("020405b42202040200ffffff" + "0000000000000000");
        System.arraycopy(options, 0, b, 40, options.length);
        TcpSegment tcp = segmentOf(b);
        tcp.updateChecksum(CLIENT, PORTAL);
        assertEquals(4, TcpOptions.stripPerNodeOptions(tcp));
        assertArrayEquals(hex("020405b40101010100ffffff0000000000000000"), Arrays.copyOfRange(b, 40, 60));
        assertTrue(tcp.verifyChecksum(CLIENT, PORTAL));
    }

    @Test
    void malformedOptionsAreReportedAndLeftAlone() {
        for (String options : new String[] {
                "020005b4" + "01".repeat(16), // length 0
                "0201" + "00".repeat(18), // length 1
                "01".repeat(19) + "08", // a kind with no length byte at the end of the header
                "01".repeat(16) + "08ff0000", // a length running past the header
        }) {
            byte[] b = hex(Packets.SYN);
            System.arraycopy(hex(options), 0, b, 40, 20);
            TcpSegment tcp = segmentOf(b);
            tcp.updateChecksum(CLIENT, PORTAL);
            byte[] before = b.clone();
            assertTrue(tcp.isValid());
            assertFalse(tcp.optionsWellFormed(), options);
            assertEquals(-2, tcp.findOption(TcpOptions.TIMESTAMPS), options);
            assertEquals(-1, TcpOptions.stripPerNodeOptions(tcp), options);
            assertArrayEquals(before, b, options);
            assertEquals(-1, tcp.maximumSegmentSize());
        }
    }

    @Test
    void truncatedSegmentsAreInvalidNotThrown() {
        byte[] b = hex(Packets.SYN);
        for (int len = 0; len < 40; len++) {
            assertFalse(new TcpSegment().wrap(b, 20, len).isValid(), "length " + len);
            assertFalse(new TcpSegment().wrap(Arrays.copyOf(b, 20 + len), 20, len).isValid(), "copy, length " + len);
        }
        assertTrue(new TcpSegment().wrap(b, 20, 40).isValid());
        assertFalse(new TcpSegment().wrap(b, 21, 40).isValid(), "beyond the buffer");
        b[32] = 0x40; // data offset 4
        assertFalse(new TcpSegment().wrap(b, 20, 40).isValid());

        // An IPv4 packet whose total length cuts the TCP header short.
        byte[] p = hex(Packets.SYN);
        p[3] = 50;
        Ipv4Packet ip = new Ipv4Packet().wrap(p, 0, p.length);
        assertTrue(ip.isValid());
        assertFalse(new TcpSegment().wrap(ip).isValid());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(793);
        TcpSegment tcp = new TcpSegment();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(80)];
            random.nextBytes(b);
            if (tcp.wrap(b, 0, b.length).isValid()) {
                tcp.optionsWellFormed();
                tcp.forEachOption((kind, at, len) -> assertTrue(at + len <= tcp.offset() + tcp.headerLength()));
                tcp.maximumSegmentSize();
                tcp.windowScale();
                tcp.updateChecksum(CLIENT, PORTAL);
                TcpOptions.stripPerNodeOptions(tcp);
                assertTrue(tcp.verifyChecksum(CLIENT, PORTAL));
            }
        }
    }
}
