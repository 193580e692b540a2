package org.artcp.node.packet;

import static org.artcp.node.packet.Packets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class EthernetArpTest {
    private static final long CLIENT_MAC = 0x0200_0000_0065L;
    private static final long NODE_MAC = 0x0200_0000_0001L;

    /** client1 asks, in a broadcast frame padded to the 60-byte minimum, who has the portal IP. */
    private static final String ARP_REQUEST = "ffffffffffff" + "020000000065" + "0806"
            + "0001" + "0800" + "06" + "04" + "0001"
            + "020000000065" + "c6120065" + "000000000000" + "c612000a"
            + "000000000000000000000000000000000000";

    /** The primary's answer. */
    private static final String ARP_REPLY = "020000000065" + "020000000001" + "0806"
            + "0001" + "0800" + "06" + "04" + "0002"
            + "020000000001" + "c612000a" + "020000000065" + "c6120065"
            + "000000000000000000000000000000000000";

    @Test
    void ethernetHeaderFields() {
        byte[] b = hex(ARP_REQUEST);
        EthernetFrame eth = new EthernetFrame().wrap(b, 0, b.length);
        assertTrue(eth.isValid());
        assertEquals(EthernetFrame.BROADCAST, eth.destination());
        assertEquals(CLIENT_MAC, eth.source());
        assertEquals(EthernetFrame.ETHERTYPE_ARP, eth.etherType());
        assertEquals(14, eth.payloadOffset());
        assertEquals(46, eth.payloadLength());
        assertEquals("02:00:00:00:00:65", EthernetFrame.formatMac(eth.source()));
    }

    @Test
    void ethernetRoundTripsAnIpv4Frame() {
        byte[] packet = hex(Packets.DATA);
        byte[] expected = new byte[14 + packet.length];
        System.arraycopy(hex("020000000001" + "020000000065" + "0800"), 0, expected, 0, 14);
        System.arraycopy(packet, 0, expected, 14, packet.length);
        byte[] b = new byte[expected.length];
        System.arraycopy(packet, 0, b, 14, packet.length);
        EthernetFrame eth = new EthernetFrame().wrap(b, 0, b.length)
                .destination(NODE_MAC).source(CLIENT_MAC).etherType(EthernetFrame.ETHERTYPE_IPV4);
        assertArrayEquals(expected, b);
        Ipv4Packet ip = new Ipv4Packet().wrap(b, eth.payloadOffset(), eth.payloadLength());
        assertTrue(ip.isValid());
        assertTrue(new TcpSegment().wrap(ip).verifyChecksum(ip.source(), ip.destination()));
    }

    @Test
    void recognisesARequestForThePortalAndRepliesInPlace() {
        byte[] b = hex(ARP_REQUEST);
        EthernetFrame eth = new EthernetFrame().wrap(b, 0, b.length);
        ArpPacket arp = new ArpPacket().wrap(b, eth.payloadOffset(), eth.payloadLength());
        assertTrue(arp.isValid());
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(CLIENT_MAC, arp.senderMac());
        assertEquals(Packets.CLIENT, arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertTrue(arp.isRequestFor(Packets.PORTAL));
        assertFalse(arp.isRequestFor(Packets.CLIENT));

        arp.toReply(NODE_MAC);
        eth.destination(arp.targetMac()).source(NODE_MAC);
        assertArrayEquals(hex(ARP_REPLY), b);
        assertFalse(arp.isRequestFor(Packets.PORTAL), "a reply is no request");
    }

    @Test
    void writesAGratuitousArp() {
        byte[] b = new byte[42];
        Arrays.fill(b, (byte) 0x77);
        new EthernetFrame().wrap(b, 0, b.length).destination(EthernetFrame.BROADCAST).source(NODE_MAC)
                .etherType(EthernetFrame.ETHERTYPE_ARP);
        new ArpPacket().wrap(b, 14, 28).gratuitous(NODE_MAC, Packets.PORTAL);
        assertArrayEquals(hex("ffffffffffff" + "020000000001" + "0806" + "0001080006040001"
                + "020000000001" + "c612000a" + "000000000000" + "c612000a"), b);
    }

    @Test
    void truncatedOrForeignArpIsInvalid() {
        byte[] b = hex(ARP_REQUEST);
        for (int len = 0; len < 28; len++) {
            assertFalse(new ArpPacket().wrap(b, 14, len).isValid(), "length " + len);
            assertFalse(new ArpPacket().wrap(Arrays.copyOf(b, 14 + len), 14, len).isRequestFor(Packets.PORTAL));
        }
        for (int len = 0; len < 14; len++) {
            assertFalse(new EthernetFrame().wrap(b, 0, len).isValid(), "length " + len);
        }
        assertFalse(new EthernetFrame().wrap(b, 50, 14).isValid(), "beyond the buffer");
        int[][] corruptions = {{14, 0x00, 15, 0x06}, {16, 0x86, 17, 0xDD}, {18, 0x08, 18, 0x08}, {19, 0x10, 19, 0x10}};
        for (int[] c : corruptions) {
            byte[] x = hex(ARP_REQUEST);
            x[c[0]] = (byte) c[1];
            x[c[2]] = (byte) c[3];
            assertFalse(new ArpPacket().wrap(x, 14, 46).isValid(), Arrays.toString(c));
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(826);
        ArpPacket arp = new ArpPacket();
        EthernetFrame eth = new EthernetFrame();
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[random.nextInt(70)];
            random.nextBytes(b);
            if (eth.wrap(b, 0, b.length).isValid()) {
                arp.wrap(b, eth.payloadOffset(), eth.payloadLength()).isRequestFor(Packets.PORTAL);
            }
        }
    }
}
