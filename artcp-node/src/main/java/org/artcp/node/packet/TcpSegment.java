package org.artcp.node.packet;

/**
 * Flyweight over a TCP segment: header, options and payload bounds (RFC 9293,
 * https://www.rfc-editor.org/rfc/rfc9293#section-3.1).
 *
 * <pre>
 *  0 source port u16 | 2 destination port u16 | 4 sequence number u32 | 8 acknowledgment number u32
 * 12 data offset (4 bits) | reserved (4 bits) | 13 flags u8 (CWR ECE URG ACK PSH RST SYN FIN)
 * 14 window u16 | 16 checksum u16 | 18 urgent pointer u16 | 20 options | payload
 * </pre>
 *
 * <p>Wrap the segment with its exact length ({@link #wrap(Ipv4Packet)} takes it from the IPv4 total
 * length): the checksum covers every byte wrapped. Sequence and ACK numbers are {@code long}s in
 * {@code [0, 2^32)}; compare them with {@code SerialNumbers.TCP}, never with {@code <}.
 *
 * <p>{@link #wrap} and {@link #isValid} never throw; {@link #isValid} checks that the fixed header fits,
 * that the data offset is at least 5 and that the header it announces fits; {@link #optionsWellFormed}
 * checks the option list. Getters and setters work at fixed offsets without checks, so call them on a
 * valid segment. Plain setters leave the checksum alone; the {@code rewrite...} methods fix it with the
 * incremental update of RFC 1624 ({@link Checksums#update32}), which is what the node uses when it
 * translates sequence and ACK numbers (paper §5.1). No allocation per segment.
 */
public final class TcpSegment {
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_NUMBER_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_NUMBER_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    /** The header length without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** The header length with the most options (data offset 15). */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** Receives the options of a segment, one call per option, from {@link #forEachOption}. */
    @FunctionalInterface
    public interface OptionVisitor {
        /**
         * One option.
         *
         * @param kind the option kind ({@link TcpOptions})
         * @param optionOffset the offset of the kind byte in the buffer
         * @param optionLength the option's length in bytes, kind byte included (1 for NOP)
         */
        void option(int kind, int optionOffset, int optionLength);
    }

    private byte[] buffer;
    private int offset;
    private int length;

    /** Points this flyweight at a segment of {@code length} bytes starting at {@code offset}. Never throws. */
    public TcpSegment wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Points this flyweight at the payload of {@code ip}, with the length its header announces. Never throws. */
    public TcpSegment wrap(Ipv4Packet ip) {
        return wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** The segment length: header, options and payload. */
    public int length() {
        return length;
    }

    /** Whether the bytes hold a whole TCP header, options included. */
    public boolean isValid() {
        if (!Bytes.inBounds(buffer, offset, length) || length < MIN_HEADER_LENGTH) {
            return false;
        }
        int headerLength = headerLength();
        return headerLength >= MIN_HEADER_LENGTH && headerLength <= length;
    }

    /** Zeroes the 20-byte fixed header and writes data offset 5. */
    public TcpSegment initHeader() {
        java.util.Arrays.fill(buffer, offset, offset + MIN_HEADER_LENGTH, (byte) 0);
        return dataOffset(5);
    }

    public int sourcePort() {
        return Bytes.u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public TcpSegment sourcePort(int port) {
        Bytes.u16(buffer, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    public int destinationPort() {
        return Bytes.u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    public TcpSegment destinationPort(int port) {
        Bytes.u16(buffer, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    public long sequenceNumber() {
        return Bytes.u32(buffer, offset + SEQUENCE_NUMBER_OFFSET);
    }

    public TcpSegment sequenceNumber(long seq) {
        Bytes.u32(buffer, offset + SEQUENCE_NUMBER_OFFSET, seq);
        return this;
    }

    public long acknowledgmentNumber() {
        return Bytes.u32(buffer, offset + ACKNOWLEDGMENT_NUMBER_OFFSET);
    }

    public TcpSegment acknowledgmentNumber(long ack) {
        Bytes.u32(buffer, offset + ACKNOWLEDGMENT_NUMBER_OFFSET, ack);
        return this;
    }

    /** The data offset field: header length in 32-bit words. */
    public int dataOffset() {
        return Bytes.u8(buffer, offset + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Sets the data offset (header length in 32-bit words), clearing the reserved bits. */
    public TcpSegment dataOffset(int words) {
        buffer[offset + DATA_OFFSET_OFFSET] = (byte) ((words & 0x0F) << 4);
        return this;
    }

    /** The header length in bytes, options included: {@code 4 * dataOffset}. */
    public int headerLength() {
        return dataOffset() * 4;
    }

    /** The eight flag bits ({@link #FIN} ... {@link #CWR}). */
    public int flags() {
        return Bytes.u8(buffer, offset + FLAGS_OFFSET);
    }

    public TcpSegment flags(int flags) {
        buffer[offset + FLAGS_OFFSET] = (byte) flags;
        return this;
    }

    /** Whether every bit of {@code flagMask} is set. */
    public boolean hasFlags(int flagMask) {
        return (flags() & flagMask) == flagMask;
    }

    public int window() {
        return Bytes.u16(buffer, offset + WINDOW_OFFSET);
    }

    public TcpSegment window(int window) {
        Bytes.u16(buffer, offset + WINDOW_OFFSET, window);
        return this;
    }

    public int checksum() {
        return Bytes.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    public TcpSegment checksum(int checksum) {
        Bytes.u16(buffer, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int urgentPointer() {
        return Bytes.u16(buffer, offset + URGENT_POINTER_OFFSET);
    }

    public TcpSegment urgentPointer(int pointer) {
        Bytes.u16(buffer, offset + URGENT_POINTER_OFFSET, pointer);
        return this;
    }

    /** The offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** The payload length: segment length minus header length. */
    public int payloadLength() {
        return length - headerLength();
    }

    /**
     * The sequence space the segment occupies (RFC 9293 §3.4 SEG.LEN): payload length, plus one for
     * SYN and one for FIN.
     */
    public int sequenceLength() {
        int f = flags();
        return payloadLength() + ((f & SYN) != 0 ? 1 : 0) + ((f & FIN) != 0 ? 1 : 0);
    }

    // ---- checksum (RFC 9293 §3.1, pseudo-header for IPv4) ----

    /** The folded sum of the IPv4 pseudo-header: source, destination, zero|protocol 6, TCP length. */
    public static int pseudoHeaderSum(int source, int destination, int tcpLength) {
        long acc = (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF)
                + Ipv4Packet.PROTOCOL_TCP + (tcpLength & 0xFFFF);
        return Checksums.fold(acc);
    }

    /** The checksum this segment should carry between {@code source} and {@code destination} (checksum field taken as zero). */
    public int computeChecksum(int source, int destination) {
        int sum = pseudoHeaderSum(source, destination, length);
        sum = Checksums.sum(buffer, offset, CHECKSUM_OFFSET, sum);
        sum = Checksums.sum(buffer, offset + CHECKSUM_OFFSET + 2, length - CHECKSUM_OFFSET - 2, sum);
        return Checksums.complement(sum);
    }

    /** Whether the checksum is correct: pseudo-header and segment, checksum included, sum to 0xFFFF. */
    public boolean verifyChecksum(int source, int destination) {
        return Checksums.sum(buffer, offset, length, pseudoHeaderSum(source, destination, length)) == 0xFFFF;
    }

    /** Recomputes and writes the checksum. */
    public TcpSegment updateChecksum(int source, int destination) {
        return checksum(computeChecksum(source, destination));
    }

    /** Sets the sequence number and updates the checksum incrementally (RFC 1624 eq. 3). */
    public TcpSegment rewriteSequenceNumber(long seq) {
        int c = Checksums.update32(checksum(), sequenceNumber(), seq);
        return sequenceNumber(seq).checksum(c);
    }

    /** Sets the acknowledgment number and updates the checksum incrementally (RFC 1624 eq. 3). */
    public TcpSegment rewriteAcknowledgmentNumber(long ack) {
        int c = Checksums.update32(checksum(), acknowledgmentNumber(), ack);
        return acknowledgmentNumber(ack).checksum(c);
    }

    /** Sets the window and updates the checksum incrementally (RFC 1624 eq. 3). */
    public TcpSegment rewriteWindow(int window) {
        int c = Checksums.update16(checksum(), window(), window);
        return window(window).checksum(c);
    }

    /**
     * Updates the checksum for a pseudo-header address that changed from {@code oldAddress} to
     * {@code newAddress} (the IPv4 header is rewritten by the caller; its own checksum needs the same
     * {@link Checksums#update32}).
     */
    public TcpSegment rewriteChecksumForAddress(int oldAddress, int newAddress) {
        return checksum(Checksums.update32(checksum(), oldAddress & 0xFFFF_FFFFL, newAddress & 0xFFFF_FFFFL));
    }

    // ---- options (RFC 9293 §3.2) ----

    /** The offset of the first option byte in {@link #buffer()}. */
    public int optionsOffset() {
        return offset + MIN_HEADER_LENGTH;
    }

    /** The bytes of options and padding: header length minus 20. */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /**
     * Calls {@code visitor} for each option up to the end-of-option-list option or the end of the
     * header, and says whether the list was well formed. A list is malformed when an option other than
     * EOL and NOP has no length byte, a length below 2, or a length running past the header; the
     * options before the fault are still visited. EOL itself is not reported.
     */
    public boolean forEachOption(OptionVisitor visitor) {
        int end = offset + headerLength();
        int pos = optionsOffset();
        while (pos < end) {
            int kind = Bytes.u8(buffer, pos);
            if (kind == TcpOptions.END_OF_LIST) {
                return true;
            }
            int len = optionLengthAt(pos, end);
            if (len < 0) {
                return false;
            }
            visitor.option(kind, pos, len);
            pos += len;
        }
        return true;
    }

    /** Whether the option list is well formed (see {@link #forEachOption}). Call only on a valid segment. */
    public boolean optionsWellFormed() {
        return findOption(-1) != -2;
    }

    /**
     * The offset in {@link #buffer()} of the first option of {@code kind}, {@code -1} if there is none,
     * or {@code -2} if the list is malformed before one is found.
     */
    public int findOption(int kind) {
        int end = offset + headerLength();
        int pos = optionsOffset();
        while (pos < end) {
            int k = Bytes.u8(buffer, pos);
            if (k == TcpOptions.END_OF_LIST) {
                return -1;
            }
            int len = optionLengthAt(pos, end);
            if (len < 0) {
                return -2;
            }
            if (k == kind) {
                return pos;
            }
            pos += len;
        }
        return -1;
    }

    /** The maximum segment size option's value, or -1 if the segment has none well formed. */
    public int maximumSegmentSize() {
        int at = findOption(TcpOptions.MAXIMUM_SEGMENT_SIZE);
        return at >= 0 && Bytes.u8(buffer, at + 1) == TcpOptions.MAXIMUM_SEGMENT_SIZE_LENGTH ? Bytes.u16(buffer, at + 2) : -1;
    }

    /** The window scale option's shift count, or -1 if the segment has none well formed. */
    public int windowScale() {
        int at = findOption(TcpOptions.WINDOW_SCALE);
        return at >= 0 && Bytes.u8(buffer, at + 1) == TcpOptions.WINDOW_SCALE_LENGTH ? Bytes.u8(buffer, at + 2) : -1;
    }

    /** The length of the option at {@code pos} (1 for NOP), or -1 if it is malformed. */
    private int optionLengthAt(int pos, int end) {
        if (Bytes.u8(buffer, pos) == TcpOptions.NO_OPERATION) {
            return 1;
        }
        if (pos + 1 >= end) {
            return -1;
        }
        int len = Bytes.u8(buffer, pos + 1);
        return len < 2 || pos + len > end ? -1 : len;
    }
}
