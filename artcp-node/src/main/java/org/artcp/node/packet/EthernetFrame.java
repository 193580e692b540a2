package org.artcp.node.packet;

/**
 * Flyweight over an Ethernet II frame header (RFC 894, https://www.rfc-editor.org/rfc/rfc894, and
 * IEEE 802.3 for the layout): destination and source MAC, EtherType, then the payload. The frame
 * check sequence is not present: AF_PACKET hands frames over without it.
 *
 * <p>MAC addresses are {@code long}s holding the 48 bits in network order in their low bits
 * ({@code 02:00:00:00:00:01} is {@code 0x0200_0000_0001L}). 802.1Q tags are not parsed: a tagged frame
 * has EtherType {@link #ETHERTYPE_VLAN} and is neither IPv4 nor ARP to this flyweight.
 *
 * <p>{@link #wrap} never throws; {@link #isValid} says whether the header fits in the bytes given.
 * Getters and setters read and write at fixed offsets without checks, so call them on a valid
 * frame. No allocation per frame.
 */
public final class EthernetFrame {
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 14;
    /** Bytes of a MAC address. */
    public static final int MAC_LENGTH = 6;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    /** The broadcast address ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private byte[] buffer;
    private int offset;
    private int length;

    /** Points this flyweight at {@code length} bytes of a frame starting at {@code offset}. Never throws. */
    public EthernetFrame wrap(byte[] buffer, int offset, int length) {
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

    /** The number of bytes wrapped. */
    public int length() {
        return length;
    }

    /** Whether the wrapped bytes hold a whole header and lie inside the buffer. */
    public boolean isValid() {
        return Bytes.inBounds(buffer, offset, length) && length >= HEADER_LENGTH;
    }

    public long destination() {
        return Bytes.u48(buffer, offset + DESTINATION_OFFSET);
    }

    public EthernetFrame destination(long mac) {
        Bytes.u48(buffer, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long source() {
        return Bytes.u48(buffer, offset + SOURCE_OFFSET);
    }

    public EthernetFrame source(long mac) {
        Bytes.u48(buffer, offset + SOURCE_OFFSET, mac);
        return this;
    }

    public int etherType() {
        return Bytes.u16(buffer, offset + ETHERTYPE_OFFSET);
    }

    public EthernetFrame etherType(int type) {
        Bytes.u16(buffer, offset + ETHERTYPE_OFFSET, type);
        return this;
    }

    /** The offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** The bytes after the header (including any padding to the 60-byte minimum). */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** Formats a MAC address as {@code aa:bb:cc:dd:ee:ff} (for logs, not for the packet path). */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xFF;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xF, 16));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
