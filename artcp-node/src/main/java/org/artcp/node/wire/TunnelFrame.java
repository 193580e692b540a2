package org.artcp.node.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flyweight over one AR-TCP tunnel frame in a byte array: getters and fluent setters at fixed
 * offsets, big-endian, no allocation per frame (STYLE §3). The byte diagram and the meaning of each
 * field per frame type are in {@code docs/tunnel-frames.md}.
 *
 * <pre>
 *  0 magic u16 | 2 version u8 | 3 type u8 | 4 cluster id u32
 *  8 sender rank u8 | 9 flags u8 | 10 payload length u16 | 12 term u32
 * 16 ordering number u32 | 20 connection id u64 | 28 client sequence u32
 * 32 packet index u16 | 34 packet count u16 | 36 duty rank u8 | 37 target rank u8 | 38 live mask u16
 * 40 last causal ordering number u32 | 44 extra u32 | 48 payload (the carried IP packet) | MAC 16 bytes
 * </pre>
 *
 * <p>The flyweight does no checking; {@link FrameValidator} decides whether a frame is acceptable and
 * {@link FrameAuthenticator} seals and verifies the MAC, which covers every byte before it.
 */
public final class TunnelFrame {
    /** "AR" with a twist: the first two bytes of every tunnel frame. */
    public static final int MAGIC = 0xA7C9;
    /** The only version this code speaks. */
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int CLUSTER_ID_OFFSET = 4;
    public static final int SENDER_RANK_OFFSET = 8;
    public static final int FLAGS_OFFSET = 9;
    public static final int PAYLOAD_LENGTH_OFFSET = 10;
    public static final int TERM_OFFSET = 12;
    public static final int ORDERING_NUMBER_OFFSET = 16;
    public static final int CONNECTION_ID_OFFSET = 20;
    public static final int CLIENT_SEQUENCE_OFFSET = 28;
    public static final int PACKET_INDEX_OFFSET = 32;
    public static final int PACKET_COUNT_OFFSET = 34;
    public static final int DUTY_RANK_OFFSET = 36;
    public static final int TARGET_RANK_OFFSET = 37;
    public static final int LIVE_MASK_OFFSET = 38;
    public static final int LAST_CAUSAL_OFFSET = 40;
    public static final int EXTRA_OFFSET = 44;
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 48;
    /** Bytes of the truncated HMAC-SHA-256 after the payload. */
    public static final int MAC_LENGTH = 16;
    /** The smallest possible frame: a header, no payload, a MAC. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + MAC_LENGTH;
    /** The largest payload: the field is 16 bits. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;

    /** The ordering number field of frames that carry no ordering number (pure ACK, read-only: paper §4.3). */
    public static final long SPECIAL_ORDERING_NUMBER = 0xFFFF_FFFFL;
    /** The rank field value meaning "no rank" / "every node". */
    public static final int NO_RANK = 0xFF;

    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buffer;
    private int offset;

    /** Points this flyweight at a frame starting at {@code offset}. */
    public TunnelFrame wrap(byte[] buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** The total length of a frame with this payload length: header, payload, MAC. */
    public static int frameLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength + MAC_LENGTH;
    }

    /** The total length of this frame according to its payload length field. */
    public int frameLength() {
        return frameLength(payloadLength());
    }

    /** Writes magic and version and zeroes every other header field. */
    public TunnelFrame initHeader() {
        java.util.Arrays.fill(buffer, offset, offset + HEADER_LENGTH, (byte) 0);
        U16.set(buffer, offset + MAGIC_OFFSET, (short) MAGIC);
        buffer[offset + VERSION_OFFSET] = (byte) VERSION;
        buffer[offset + DUTY_RANK_OFFSET] = (byte) NO_RANK;
        buffer[offset + TARGET_RANK_OFFSET] = (byte) NO_RANK;
        return this;
    }

    public int magic() {
        return u16(MAGIC_OFFSET);
    }

    public int version() {
        return buffer[offset + VERSION_OFFSET] & 0xFF;
    }

    /** The raw type byte. */
    public int typeCode() {
        return buffer[offset + TYPE_OFFSET] & 0xFF;
    }

    /** The frame type, or {@code null} if the type byte names none. */
    public FrameType type() {
        return FrameType.fromCode(typeCode());
    }

    public TunnelFrame type(FrameType type) {
        buffer[offset + TYPE_OFFSET] = (byte) type.code();
        return this;
    }

    public long clusterId() {
        return u32(CLUSTER_ID_OFFSET);
    }

    public TunnelFrame clusterId(long id) {
        return u32(CLUSTER_ID_OFFSET, id);
    }

    public int senderRank() {
        return buffer[offset + SENDER_RANK_OFFSET] & 0xFF;
    }

    public TunnelFrame senderRank(int rank) {
        buffer[offset + SENDER_RANK_OFFSET] = (byte) rank;
        return this;
    }

    /** Flag bit: this frame answers another (a ballot sent back to a straggler); it must not be answered again. */
    public static final int FLAG_REPLY = 0x01;

    /** Flag bits ({@link #FLAG_REPLY}); the others are reserved, written as 0 and ignored on receipt. */
    public int flags() {
        return buffer[offset + FLAGS_OFFSET] & 0xFF;
    }

    public TunnelFrame flags(int flags) {
        buffer[offset + FLAGS_OFFSET] = (byte) flags;
        return this;
    }

    public int payloadLength() {
        return u16(PAYLOAD_LENGTH_OFFSET);
    }

    public TunnelFrame payloadLength(int length) {
        U16.set(buffer, offset + PAYLOAD_LENGTH_OFFSET, (short) length);
        return this;
    }

    /** The sender's term: the number of the election that made its primary (0 before any). */
    public long term() {
        return u32(TERM_OFFSET);
    }

    public TunnelFrame term(long term) {
        return u32(TERM_OFFSET, term);
    }

    public long orderingNumber() {
        return u32(ORDERING_NUMBER_OFFSET);
    }

    public TunnelFrame orderingNumber(long n) {
        return u32(ORDERING_NUMBER_OFFSET, n);
    }

    public long connectionId() {
        return (long) U64.get(buffer, offset + CONNECTION_ID_OFFSET);
    }

    public TunnelFrame connectionId(long id) {
        U64.set(buffer, offset + CONNECTION_ID_OFFSET, id);
        return this;
    }

    /** The client's TCP sequence number of the request message (its identity within the connection). */
    public long clientSequence() {
        return u32(CLIENT_SEQUENCE_OFFSET);
    }

    public TunnelFrame clientSequence(long seq) {
        return u32(CLIENT_SEQUENCE_OFFSET, seq);
    }

    public int packetIndex() {
        return u16(PACKET_INDEX_OFFSET);
    }

    public TunnelFrame packetIndex(int index) {
        U16.set(buffer, offset + PACKET_INDEX_OFFSET, (short) index);
        return this;
    }

    public int packetCount() {
        return u16(PACKET_COUNT_OFFSET);
    }

    public TunnelFrame packetCount(int count) {
        U16.set(buffer, offset + PACKET_COUNT_OFFSET, (short) count);
        return this;
    }

    /** Scheduling header: the rank of the node that must serve a read-only request ({@link #NO_RANK} otherwise). */
    public int dutyRank() {
        return buffer[offset + DUTY_RANK_OFFSET] & 0xFF;
    }

    public TunnelFrame dutyRank(int rank) {
        buffer[offset + DUTY_RANK_OFFSET] = (byte) rank;
        return this;
    }

    /** The one node a unicast frame is for, or the failed primary in a vote ({@link #NO_RANK} otherwise). */
    public int targetRank() {
        return buffer[offset + TARGET_RANK_OFFSET] & 0xFF;
    }

    public TunnelFrame targetRank(int rank) {
        buffer[offset + TARGET_RANK_OFFSET] = (byte) rank;
        return this;
    }

    /** Bit r set: the sender believes rank r alive. */
    public int liveMask() {
        return u16(LIVE_MASK_OFFSET);
    }

    public TunnelFrame liveMask(int mask) {
        U16.set(buffer, offset + LIVE_MASK_OFFSET, (short) mask);
        return this;
    }

    /** Scheduling header: the most recent causal ordering number when a read-only request was scheduled. */
    public long lastCausalOrderingNumber() {
        return u32(LAST_CAUSAL_OFFSET);
    }

    public TunnelFrame lastCausalOrderingNumber(long n) {
        return u32(LAST_CAUSAL_OFFSET, n);
    }

    /** A per-type number: the last missing number of a NAK, the ring epoch start of a heartbeat, a response number. */
    public long extra() {
        return u32(EXTRA_OFFSET);
    }

    public TunnelFrame extra(long value) {
        return u32(EXTRA_OFFSET, value);
    }

    /** The offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Copies {@code length} bytes into the payload and sets the payload length. */
    public TunnelFrame payload(byte[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, buffer, offset + HEADER_LENGTH, length);
        return payloadLength(length);
    }

    /** A copy of the payload. */
    public byte[] payloadCopy() {
        int len = payloadLength();
        byte[] copy = new byte[len];
        System.arraycopy(buffer, offset + HEADER_LENGTH, copy, 0, len);
        return copy;
    }

    /** The offset of the MAC, from the payload length field. */
    public int macOffset() {
        return offset + HEADER_LENGTH + payloadLength();
    }

    private int u16(int field) {
        return (short) U16.get(buffer, offset + field) & 0xFFFF;
    }

    private long u32(int field) {
        return (int) U32.get(buffer, offset + field) & 0xFFFF_FFFFL;
    }

    private TunnelFrame u32(int field, long value) {
        U32.set(buffer, offset + field, (int) value);
        return this;
    }
}
