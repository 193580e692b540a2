package org.artcp.node.cm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;

/** Builds IPv4/TCP segments byte by byte with the packet flyweights, with full (not incremental) checksums. */
final class Segments {
    static final int CLIENT = Ipv4Packet.parseAddress("198.18.0.101");
    static final int PORTAL = Ipv4Packet.parseAddress("198.18.0.10");
    static final int SERVER_PORT = 5002;

    static final int ACK = TcpSegment.ACK;
    static final int PSH_ACK = TcpSegment.PSH | TcpSegment.ACK;
    static final int FIN_ACK = TcpSegment.FIN | TcpSegment.ACK;
    static final int SYN = TcpSegment.SYN;
    static final int SYN_ACK = TcpSegment.SYN | TcpSegment.ACK;
    static final int RST = TcpSegment.RST;

    /** A Linux client's SYN options: MSS 1460, SACK-permitted, timestamps (1020304, 0), NOP, window scale 7. */
    static final byte[] CLIENT_SYN_OPTIONS = {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10, 0, 0x0f, (byte) 0x91, (byte) 0x90, 0, 0, 0, 0, 1, 3, 3, 7};
    /** The same with SACK-permitted and timestamps blanked to NOPs, as every node must see them. */
    static final byte[] STRIPPED_SYN_OPTIONS = {2, 4, 0x05, (byte) 0xb4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 7};
    /** A local SYN-ACK's options: MSS 1460, NOP, window scale 7. */
    static final byte[] SYN_ACK_OPTIONS = {2, 4, 0x05, (byte) 0xb4, 1, 3, 3, 7};
    static final byte[] NONE = new byte[0];

    private Segments() {
    }

    /** A client segment from {@code CLIENT:clientPort} to the portal. */
    static byte[] fromClient(int clientPort, long seq, long ack, int flags, byte[] options, String payload) {
        return build(CLIENT, PORTAL, clientPort, SERVER_PORT, seq, ack, flags, 64_240, options, bytes(payload));
    }

    /** A local-stack segment from the portal to {@code CLIENT:clientPort}. */
    static byte[] fromLocal(int clientPort, long seq, long ack, int flags, byte[] options, String payload) {
        return build(PORTAL, CLIENT, SERVER_PORT, clientPort, seq, ack, flags, 502, options, bytes(payload));
    }

    static byte[] build(int src, int dst, int sport, int dport, long seq, long ack, int flags, int window,
            byte[] options, byte[] payload) {
        int tcpLength = 20 + options.length + payload.length;
        byte[] b = new byte[20 + tcpLength];
        Ipv4Packet ip = new Ipv4Packet().wrap(b, 0, b.length).initHeader().totalLength(b.length).identification(0x1c46)
                .flagsAndFragmentOffset(Ipv4Packet.FLAG_DONT_FRAGMENT).protocol(Ipv4Packet.PROTOCOL_TCP).source(src)
                .destination(dst).updateHeaderChecksum();
        TcpSegment tcp = new TcpSegment().wrap(ip).initHeader().sourcePort(sport).destinationPort(dport)
                .sequenceNumber(seq).acknowledgmentNumber(ack).dataOffset(5 + options.length / 4).flags(flags)
                .window(window);
        System.arraycopy(options, 0, b, 40, options.length);
        System.arraycopy(payload, 0, b, 40 + options.length, payload.length);
        tcp.updateChecksum(src, dst);
        return b;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Asserts that the IPv4 header checksum and the TCP checksum of {@code packet} verify. */
    static void assertChecksumsValid(byte[] packet) {
        Ipv4Packet ip = new Ipv4Packet().wrap(packet, 0, packet.length);
        assertTrue(ip.isValid() && ip.verifyHeaderChecksum(), "IPv4 header checksum");
        assertTrue(new TcpSegment().wrap(ip).verifyChecksum(ip.source(), ip.destination()), "TCP checksum");
    }
}
