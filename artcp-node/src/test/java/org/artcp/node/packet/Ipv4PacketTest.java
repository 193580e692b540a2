package org.artcp.node.packet;

import static org.artcp.node.packet.Packets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    @Test
    void readsEveryFieldOfACapturedSyn() {
        byte[] b = hex(Packets.SYN);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length);
        assertTrue(ip.isValid());
        assertEquals(4, ip.version());
        assertEquals(5, ip.ihl());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.tos());
        assertEquals(60, ip.totalLength());
        assertEquals(0x1C46, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Packet.PROTOCOL_TCP, ip.protocol());
        assertEquals(0x91E2, ip.headerChecksum());
        assertEquals(Packets.CLIENT, ip.source());
        assertEquals(Packets.PORTAL, ip.destination());
        assertEquals("198.18.0.101", Ipv4Packet.formatAddress(ip.source()));
        assertEquals(20, ip.payloadOffset());
        assertEquals(40, ip.payloadLength());
        assertTrue(ip.verifyHeaderChecksum());
        assertEquals(0x91E2, ip.computeHeaderChecksum());
    }

    @Test
    void writingTheFieldsReproducesTheCapture() {
        byte[] expected = hex(Packets.DATA);
        byte[] b = new byte[expected.length + 6];
        Arrays.fill(b, (byte) 0x5A);
        System.arraycopy(expected, 20, b, 26, expected.length - 20); // the TCP segment as captured
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 6, expected.length).initHeader()
                .totalLength(expected.length).identification(0x1C47)
                .flagsAndFragmentOffset(Ipv4Packet.FLAG_DONT_FRAGMENT).ttl(64).protocol(Ipv4Packet.PROTOCOL_TCP)
                .source(Ipv4Packet.parseAddress("198.18.0.101")).destination(Ipv4Packet.parseAddress("198.18.0.10"))
                .updateHeaderChecksum();
        assertTrue(ip.isValid());
        assertEquals(0x91EB, ip.headerChecksum());
        assertArrayEquals(expected, Arrays.copyOfRange(b, 6, b.length));
    }

    @Test
    void anOffsetInsideAnEthernetFrame() {
        byte[] packet = hex(Packets.DATA);
        byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + packet.length + 4]; // + padding
        System.arraycopy(packet, 0, frame, EthernetFrame.HEADER_LENGTH, packet.length);
        Ipv4Packet ip = new Ipv4Packet().wrap(frame, EthernetFrame.HEADER_LENGTH, frame.length - EthernetFrame.HEADER_LENGTH);
        assertTrue(ip.isValid(), "trailing padding is allowed");
        assertTrue(ip.verifyHeaderChecksum());
        assertEquals(packet.length - 20, ip.payloadLength());
    }

    @Test
    void truncatedPacketsAreInvalidNotThrown() {
        byte[] b = hex(Packets.SYN);
        for (int len = 0; len < b.length; len++) {
            assertFalse(new Ipv4Packet().wrap(b, 0, len).isValid(), "length " + len);
            assertFalse(new Ipv4Packet().wrap(Arrays.copyOf(b, len), 0, len).isValid(), "copy of length " + len);
        }
        assertFalse(new Ipv4Packet().wrap(b, 10, b.length).isValid(), "beyond the buffer");
        assertFalse(new Ipv4Packet().wrap(b, -1, 20).isValid());
        assertFalse(new Ipv4Packet().wrap(null, 0, 20).isValid());
    }

    @Test
    void malformedHeadersAreInvalid() {
        byte[] good = hex(Packets.SYN);
        byte[] b = good.clone();
        b[0] = 0x65; // version 6
        assertFalse(new Ipv4Packet().wrap(b, 0, b.length).isValid());
        b = good.clone();
        b[0] = 0x44; // IHL 4 < 5
        assertFalse(new Ipv4Packet().wrap(b, 0, b.length).isValid());
        b = good.clone();
        b[0] = 0x4F; // IHL 15: 60-byte header, total length 60: no room left, still consistent
        assertTrue(new Ipv4Packet().wrap(b, 0, b.length).isValid());
        b[3] = 59; // total length below the header length
        assertFalse(new Ipv4Packet().wrap(b, 0, b.length).isValid());
        b = good.clone();
        b[3] = 61; // total length beyond the bytes
        assertFalse(new Ipv4Packet().wrap(b, 0, b.length).isValid());
        b = good.clone();
        b[15] ^= 1; // corrupt source: checksum no longer verifies
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length);
        assertTrue(ip.isValid());
        assertFalse(ip.verifyHeaderChecksum());
    }

    @Test
    void fragmentsAreRecognised() {
        byte[] b = hex(Packets.DATA);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length);
        ip.flagsAndFragmentOffset(Ipv4Packet.FLAG_MORE_FRAGMENTS);
        assertTrue(ip.isFragment());
        ip.flagsAndFragmentOffset(3);
        assertTrue(ip.isFragment());
        assertEquals(3, ip.fragmentOffset());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(791);
        Ipv4Packet ip = new Ipv4Packet();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(80)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = (byte) (0x40 | (b[0] & 0x0F));
            }
            if (ip.wrap(b, 0, b.length).isValid()) {
                ip.verifyHeaderChecksum();
                assertTrue(ip.payloadOffset() + ip.payloadLength() <= b.length);
            }
        }
    }

    @Test
    void addressesParseAndFormat() {
        assertEquals(0xC612000A, Ipv4Packet.parseAddress("198.18.0.10"));
        assertEquals("255.0.1.2", Ipv4Packet.formatAddress(Ipv4Packet.parseAddress("255.0.1.2")));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parseAddress("1.2.3"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parseAddress("1.2.3.256"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parseAddress("1.2..3"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parseAddress("1.2.3.-4"));
    }
}
