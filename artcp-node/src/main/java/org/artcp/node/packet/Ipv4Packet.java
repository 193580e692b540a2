package org.artcp.node.packet;

/**
 * Flyweight over an IPv4 header (RFC 791, https://www.rfc-editor.org/rfc/rfc791#section-3.1) and
 * the bounds of its payload.
 *
 * <pre>
 *  0 version|IHL u8 | 1 TOS u8 | 2 total length u16 | 4 identification u16 | 6 flags|fragment offset u16
 *  8 TTL u8 | 9 protocol u8 | 10 header checksum u16 | 12 source u32 | 16 destination u32 | 20 options
 * </pre>
 *
 * <p>Addresses are {@code int}s in network order ({@code 198.18.0.10} is {@code 0xC612000A}).
 * {@link #wrap} and {@link #isValid} never throw; {@link #isValid} checks that the version is 4, that
 * the header length is at least 20 and that header and total length fit in the bytes given (a
 * captured packet may carry Ethernet padding after the total length, which is allowed). Getters and
 * setters read and write at fixed offsets without checks, so call them on a valid packet. The header
 * checksum is the RFC 1071 checksum of the header ({@link Checksums}); setters do not update it: call
 * {@link #updateHeaderChecksum()} after rewriting, or fix it incrementally with
 * {@link Checksums#update16}/{@link Checksums#update32}.
 */
public final class Ipv4Packet {
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    /** The header length without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** The header length with the most options (IHL 15). */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    /** Flag bit of the flags|fragment offset field: don't fragment. */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    /** Flag bit of the flags|fragment offset field: more fragments. */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private byte[] buffer;
    private int offset;
    private int length;

    /** Points this flyweight at {@code length} bytes starting at {@code offset}. Never throws. */
    public Ipv4Packet wrap(byte[] buffer, int offset, int length) {
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

    /** The number of bytes wrapped (at least {@link #totalLength()} in a valid packet). */
    public int length() {
        return length;
    }

    /** Whether the bytes hold a whole IPv4 header and the whole packet its total length announces. */
    public boolean isValid() {
        if (!Bytes.inBounds(buffer, offset, length) || length < MIN_HEADER_LENGTH || version() != 4) {
            return false;
        }
        int headerLength = headerLength();
        int totalLength = totalLength();
        return headerLength >= MIN_HEADER_LENGTH && totalLength >= headerLength && totalLength <= length;
    }

    /** Writes version 4, IHL 5 (no options), TTL 64 and zeroes the rest of the 20-byte header. */
    public Ipv4Packet initHeader() {
        java.util.Arrays.fill(buffer, offset, offset + MIN_HEADER_LENGTH, (byte) 0);
        buffer[offset + VERSION_IHL_OFFSET] = 0x45;
        buffer[offset + TTL_OFFSET] = 64;
        return this;
    }

    public int version() {
        return Bytes.u8(buffer, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** The IHL field: header length in 32-bit words. */
    public int ihl() {
        return Bytes.u8(buffer, offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Sets the IHL (header length in 32-bit words), keeping the version. */
    public Ipv4Packet ihl(int words) {
        buffer[offset + VERSION_IHL_OFFSET] = (byte) ((buffer[offset + VERSION_IHL_OFFSET] & 0xF0) | (words & 0x0F));
        return this;
    }

    /** The header length in bytes: {@code 4 * IHL}. */
    public int headerLength() {
        return ihl() * 4;
    }

    public int tos() {
        return Bytes.u8(buffer, offset + TOS_OFFSET);
    }

    public Ipv4Packet tos(int tos) {
        buffer[offset + TOS_OFFSET] = (byte) tos;
        return this;
    }

    public int totalLength() {
        return Bytes.u16(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    public Ipv4Packet totalLength(int totalLength) {
        Bytes.u16(buffer, offset + TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    public int identification() {
        return Bytes.u16(buffer, offset + IDENTIFICATION_OFFSET);
    }

    public Ipv4Packet identification(int id) {
        Bytes.u16(buffer, offset + IDENTIFICATION_OFFSET, id);
        return this;
    }

    /** The raw flags|fragment offset field ({@link #FLAG_DONT_FRAGMENT}, {@link #FLAG_MORE_FRAGMENTS}, 13-bit offset). */
    public int flagsAndFragmentOffset() {
        return Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET);
    }

    public Ipv4Packet flagsAndFragmentOffset(int value) {
        Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET, value);
        return this;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    /** The fragment offset in 8-byte units. */
    public int fragmentOffset() {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** Whether this packet is a fragment (more fragments follow, or it is not the first): its TCP header may be absent or partial. */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return Bytes.u8(buffer, offset + TTL_OFFSET);
    }

    public Ipv4Packet ttl(int ttl) {
        buffer[offset + TTL_OFFSET] = (byte) ttl;
        return this;
    }

    public int protocol() {
        return Bytes.u8(buffer, offset + PROTOCOL_OFFSET);
    }

    public Ipv4Packet protocol(int protocol) {
        buffer[offset + PROTOCOL_OFFSET] = (byte) protocol;
        return this;
    }

    public int headerChecksum() {
        return Bytes.u16(buffer, offset + HEADER_CHECKSUM_OFFSET);
    }

    public Ipv4Packet headerChecksum(int checksum) {
        Bytes.u16(buffer, offset + HEADER_CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int source() {
        return (int) Bytes.u32(buffer, offset + SOURCE_OFFSET);
    }

    public Ipv4Packet source(int address) {
        Bytes.u32(buffer, offset + SOURCE_OFFSET, address);
        return this;
    }

    public int destination() {
        return (int) Bytes.u32(buffer, offset + DESTINATION_OFFSET);
    }

    public Ipv4Packet destination(int address) {
        Bytes.u32(buffer, offset + DESTINATION_OFFSET, address);
        return this;
    }

    /** The checksum the header should carry: RFC 1071 over the header with the checksum field taken as zero. */
    public int computeHeaderChecksum() {
        int headerLength = headerLength();
        int sum = Checksums.sum(buffer, offset, HEADER_CHECKSUM_OFFSET, 0);
        sum = Checksums.sum(buffer, offset + HEADER_CHECKSUM_OFFSET + 2,
                headerLength - HEADER_CHECKSUM_OFFSET - 2, sum);
        return Checksums.complement(sum);
    }

    /** Whether the header checksum is correct: the header, checksum included, sums to 0xFFFF. */
    public boolean verifyHeaderChecksum() {
        return Checksums.sum(buffer, offset, headerLength(), 0) == 0xFFFF;
    }

    /** Recomputes and writes the header checksum. */
    public Ipv4Packet updateHeaderChecksum() {
        return headerChecksum(computeHeaderChecksum());
    }

    /** The offset of the payload (the TCP header, for TCP) in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** The payload length from the total length field: {@code totalLength - headerLength}. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** Formats an address as dotted quad (for logs, not for the packet path). */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /**
     * Parses a dotted-quad address (configuration, tests; not the packet path).
     *
     * @throws IllegalArgumentException if {@code text} is not four decimal numbers 0–255 separated by dots
     */
    public static int parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int address = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            int v = Integer.parseInt(part);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            address = (address << 8) | v;
        }
        return address;
    }
}
