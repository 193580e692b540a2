package org.artcp.node.packet;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826, https://www.rfc-editor.org/rfc/rfc826):
 * what the primary needs to recognise a request for the portal IP, to turn it into the reply in
 * place, and to write a gratuitous ARP when it takes the portal IP over (RFC 5227 §3,
 * https://www.rfc-editor.org/rfc/rfc5227#section-3).
 *
 * <pre>
 *  0 hardware type u16 (1) | 2 protocol type u16 (0x0800) | 4 hlen u8 (6) | 5 plen u8 (4) | 6 operation u16
 *  8 sender MAC (6) | 14 sender IP (4) | 18 target MAC (6) | 24 target IP (4) | 28
 * </pre>
 *
 * <p>MACs are {@code long}s as in {@link EthernetFrame}; IPv4 addresses are {@code int}s in network
 * order ({@code 198.18.0.10} is {@code 0xC612000A}). {@link #isValid} accepts only the Ethernet/IPv4
 * form; it never throws. No allocation per packet.
 */
public final class ArpPacket {
    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    /** The length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;

    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private byte[] buffer;
    private int offset;
    private int length;

    /** Points this flyweight at {@code length} bytes starting at {@code offset}. Never throws. */
    public ArpPacket wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Whether the bytes hold a whole Ethernet/IPv4 ARP packet (either operation or any other). */
    public boolean isValid() {
        return Bytes.inBounds(buffer, offset, length) && length >= LENGTH
                && hardwareType() == HARDWARE_TYPE_ETHERNET && protocolType() == EthernetFrame.ETHERTYPE_IPV4
                && hardwareLength() == EthernetFrame.MAC_LENGTH && protocolLength() == 4;
    }

    /** Whether this is a valid request asking who has {@code ip}. */
    public boolean isRequestFor(int ip) {
        return isValid() && operation() == OPERATION_REQUEST && targetIp() == ip;
    }

    /** Writes the fixed Ethernet/IPv4 fields and {@code operation}; the addresses are left as they are. */
    public ArpPacket initHeader(int operation) {
        Bytes.u16(buffer, offset + HARDWARE_TYPE_OFFSET, HARDWARE_TYPE_ETHERNET);
        Bytes.u16(buffer, offset + PROTOCOL_TYPE_OFFSET, EthernetFrame.ETHERTYPE_IPV4);
        buffer[offset + HARDWARE_LENGTH_OFFSET] = (byte) EthernetFrame.MAC_LENGTH;
        buffer[offset + PROTOCOL_LENGTH_OFFSET] = 4;
        return operation(operation);
    }

    /**
     * Turns a request into its reply in place (RFC 826, "Packet Reception"): the requester becomes the
     * target, and {@code ourMac} with the requested IP the sender. The enclosing Ethernet header must
     * be rewritten too (destination = {@link #targetMac()} afterwards, source = {@code ourMac}).
     */
    public ArpPacket toReply(long ourMac) {
        long requesterMac = senderMac();
        int requesterIp = senderIp();
        int requestedIp = targetIp();
        return operation(OPERATION_REPLY)
                .targetMac(requesterMac).targetIp(requesterIp)
                .senderMac(ourMac).senderIp(requestedIp);
    }

    /**
     * Writes a gratuitous ARP announcement (RFC 5227 §3): a request whose sender and target IP are both
     * {@code ip}, target MAC zero. Send it in a broadcast Ethernet frame.
     */
    public ArpPacket gratuitous(long mac, int ip) {
        return initHeader(OPERATION_REQUEST).senderMac(mac).senderIp(ip).targetMac(0).targetIp(ip);
    }

    public int hardwareType() {
        return Bytes.u16(buffer, offset + HARDWARE_TYPE_OFFSET);
    }

    public int protocolType() {
        return Bytes.u16(buffer, offset + PROTOCOL_TYPE_OFFSET);
    }

    public int hardwareLength() {
        return Bytes.u8(buffer, offset + HARDWARE_LENGTH_OFFSET);
    }

    public int protocolLength() {
        return Bytes.u8(buffer, offset + PROTOCOL_LENGTH_OFFSET);
    }

    public int operation() {
        return Bytes.u16(buffer, offset + OPERATION_OFFSET);
    }

    public ArpPacket operation(int operation) {
        Bytes.u16(buffer, offset + OPERATION_OFFSET, operation);
        return this;
    }

    public long senderMac() {
        return Bytes.u48(buffer, offset + SENDER_MAC_OFFSET);
    }

    public ArpPacket senderMac(long mac) {
        Bytes.u48(buffer, offset + SENDER_MAC_OFFSET, mac);
        return this;
    }

    public int senderIp() {
        return (int) Bytes.u32(buffer, offset + SENDER_IP_OFFSET);
    }

    public ArpPacket senderIp(int ip) {
        Bytes.u32(buffer, offset + SENDER_IP_OFFSET, ip);
        return this;
    }

    public long targetMac() {
        return Bytes.u48(buffer, offset + TARGET_MAC_OFFSET);
    }

    public ArpPacket targetMac(long mac) {
        Bytes.u48(buffer, offset + TARGET_MAC_OFFSET, mac);
        return this;
    }

    public int targetIp() {
        return (int) Bytes.u32(buffer, offset + TARGET_IP_OFFSET);
    }

    public ArpPacket targetIp(int ip) {
        Bytes.u32(buffer, offset + TARGET_IP_OFFSET, ip);
        return this;
    }
}
