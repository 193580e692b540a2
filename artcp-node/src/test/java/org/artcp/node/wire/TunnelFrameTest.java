package org.artcp.node.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TunnelFrameTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final long CLUSTER = 0xC1C2C3C4L;

    /** Encodes a frame of {@code type} with every field set to a distinctive value. */
    static byte[] encode(FrameType type, byte[] key, long cluster) {
        byte[] payload = type == FrameType.REQUEST || type == FrameType.RETRANSMIT || type == FrameType.READ_ONLY
                || type == FrameType.PURE_ACK || type == FrameType.RESPONSE ? samplePacket() : new byte[0];
        byte[] buf = new byte[TunnelFrame.frameLength(payload.length) + 8];
        TunnelFrame f = new TunnelFrame().wrap(buf, 4).initHeader();
        f.type(type).clusterId(cluster).senderRank(2).flags(TunnelFrame.FLAG_REPLY).term(0xFEDCBA98L)
                .orderingNumber(0xFFFF_FFFEL).connectionId(0x0102030405060708L).clientSequence(0x89ABCDEFL)
                .packetIndex(1).packetCount(3).dutyRank(3).targetRank(1).liveMask(0b1101)
                .lastCausalOrderingNumber(0x7FFF_FFFFL).extra(0x1234_5678L).payload(payload, 0, payload.length);
        int len = new FrameAuthenticator(key).seal(buf, 4, TunnelFrame.HEADER_LENGTH + payload.length);
        return Arrays.copyOfRange(buf, 4, 4 + len);
    }

    static byte[] samplePacket() {
        byte[] p = new byte[100]; // an IPv4 header + TCP header + payload would sit here
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7 + 1);
        }
        p[0] = 0x45;
        return p;
    }

    private static FrameValidator validator(byte[] key) {
        return new FrameValidator(CLUSTER, 4, new FrameAuthenticator(key));
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void encodeThenDecodeEveryField(FrameType type) {
        byte[] frame = encode(type, KEY, CLUSTER);
        assertNull(validator(KEY).check(frame, 0, frame.length));
        TunnelFrame f = new TunnelFrame().wrap(frame, 0);
        assertEquals(TunnelFrame.MAGIC, f.magic());
        assertEquals(TunnelFrame.VERSION, f.version());
        assertEquals(type, f.type());
        assertEquals(CLUSTER, f.clusterId());
        assertEquals(2, f.senderRank());
        assertEquals(TunnelFrame.FLAG_REPLY, f.flags());
        assertEquals(0xFEDCBA98L, f.term());
        assertEquals(0xFFFF_FFFEL, f.orderingNumber());
        assertEquals(0x0102030405060708L, f.connectionId());
        assertEquals(0x89ABCDEFL, f.clientSequence());
        assertEquals(1, f.packetIndex());
        assertEquals(3, f.packetCount());
        assertEquals(3, f.dutyRank());
        assertEquals(1, f.targetRank());
        assertEquals(0b1101, f.liveMask());
        assertEquals(0x7FFF_FFFFL, f.lastCausalOrderingNumber());
        assertEquals(0x1234_5678L, f.extra());
        assertEquals(frame.length, f.frameLength());
        byte[] expectedPayload = frame.length > TunnelFrame.MIN_FRAME_LENGTH ? samplePacket() : new byte[0];
        assertArrayEquals(expectedPayload, f.payloadCopy());
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void authenticationFailsUnderAnotherKeyAndForEveryFlippedByte(FrameType type) {
        byte[] frame = encode(type, KEY, CLUSTER);
        assertEquals(DropReason.BAD_MAC, validator("another key, 16 bytes or more".getBytes()).check(frame, 0, frame.length));
        FrameValidator v = validator(KEY);
        for (int i = 0; i < frame.length; i++) {
            byte[] bad = frame.clone();
            bad[i] ^= 0x20;
            assertNotNull(v.check(bad, 0, bad.length), "flipped byte " + i + " accepted");
        }
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void truncationAtEveryByteIsDroppedNotThrown(FrameType type) {
        byte[] frame = encode(type, KEY, CLUSTER);
        FrameValidator v = validator(KEY);
        for (int len = 0; len < frame.length; len++) {
            DropReason r = v.check(Arrays.copyOf(frame, len), 0, len);
            assertEquals(DropReason.TRUNCATED, r, "length " + len);
            // also a truncated view into the full buffer
            assertEquals(DropReason.TRUNCATED, v.check(frame, 0, len), "view length " + len);
        }
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        assertEquals(DropReason.BAD_LENGTH, v.check(longer, 0, longer.length));
        assertEquals(DropReason.TRUNCATED, v.check(frame, 1, frame.length), "offset past the buffer");
        assertEquals(DropReason.TRUNCATED, v.check(null, 0, 0));
    }

    @Test
    void authenticatedButWrongClusterRankOrType() {
        FrameValidator v = validator(KEY);
        byte[] other = encode(FrameType.HEARTBEAT, KEY, CLUSTER + 1);
        assertEquals(DropReason.WRONG_CLUSTER, v.check(other, 0, other.length));

        byte[] rank = resealed(encode(FrameType.HEARTBEAT, KEY, CLUSTER), f -> f.senderRank(4));
        assertEquals(DropReason.UNKNOWN_RANK, v.check(rank, 0, rank.length));

        byte[] duty = resealed(encode(FrameType.READ_ONLY, KEY, CLUSTER), f -> f.dutyRank(9));
        assertEquals(DropReason.UNKNOWN_RANK, v.check(duty, 0, duty.length));

        byte[] type = resealed(encode(FrameType.HEARTBEAT, KEY, CLUSTER), f -> f.buffer()[f.offset() + TunnelFrame.TYPE_OFFSET] = 42);
        assertEquals(DropReason.UNKNOWN_TYPE, v.check(type, 0, type.length));

        byte[] index = resealed(encode(FrameType.REQUEST, KEY, CLUSTER), f -> f.packetIndex(3));
        assertEquals(DropReason.BAD_FIELD, v.check(index, 0, index.length));

        byte[] noDuty = resealed(encode(FrameType.READ_ONLY, KEY, CLUSTER), f -> f.dutyRank(TunnelFrame.NO_RANK));
        assertEquals(DropReason.BAD_FIELD, v.check(noDuty, 0, noDuty.length));

        byte[] magic = encode(FrameType.ACK, KEY, CLUSTER);
        magic[0] = 0;
        assertEquals(DropReason.BAD_MAGIC, v.check(magic, 0, magic.length));
        byte[] version = encode(FrameType.ACK, KEY, CLUSTER);
        version[TunnelFrame.VERSION_OFFSET] = 2;
        assertEquals(DropReason.BAD_VERSION, v.check(version, 0, version.length));
    }

    @Test
    void typeCodesRoundTrip() {
        for (FrameType t : FrameType.values()) {
            assertEquals(t, FrameType.fromCode(t.code()));
        }
        assertNull(FrameType.fromCode(0));
        assertNull(FrameType.fromCode(200));
    }

    private static byte[] resealed(byte[] frame, java.util.function.Consumer<TunnelFrame> change) {
        TunnelFrame f = new TunnelFrame().wrap(frame, 0);
        change.accept(f);
        new FrameAuthenticator(KEY).seal(frame, 0, frame.length - TunnelFrame.MAC_LENGTH);
        return frame;
    }
}
