package org.artcp.node.packet;

import java.util.HexFormat;

/**
 * Captured-style packets, byte by byte, with checksums computed by an independent program (a
 * Python reference of RFC 1071 over the pseudo-header and segment): client 198.18.0.101:40000 to
 * the portal 198.18.0.10:5002.
 */
final class Packets {
    static final int CLIENT = 0xC6120065; // 198.18.0.101
    static final int PORTAL = 0xC612000A; // 198.18.0.10

    /**
     * A Linux client's SYN: IPv4 (id 0x1c46, DF, TTL 64, checksum 0x91e2), TCP seq 0x12345678,
     * window 64240, checksum 0xa3fe, options MSS 1460, SACK-permitted, timestamps (1020304, 0), NOP,
     * window scale 7.
     */
    static final String SYN = "4500003c1c464000400691e2c6120065c612000a"
            + "9c40138a1234567800000000a002faf0a3fe0000"
            + "020405b40402080a010203040000000001030307";

    /** {@link #SYN} with SACK-permitted and timestamps blanked to NOPs: TCP checksum 0xae0a. */
    static final String SYN_STRIPPED = "4500003c1c464000400691e2c6120065c612000a"
            + "9c40138a1234567800000000a002faf0ae0a0000"
            + "020405b401010101010101010101010101030307";

    /**
     * A data segment: IPv4 id 0x1c47 (checksum 0x91eb), TCP seq 0x12345679, ack 0xfffffff0, PSH|ACK,
     * window 502, checksum 0x6a55, payload "select 1;\n".
     */
    static final String DATA = "450000321c474000400691ebc6120065c612000a"
            + "9c40138a12345679fffffff0501801f66a550000"
            + "73656c65637420313b0a";

    private Packets() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** The checksum of {@code bytes} the slow way, for comparison with {@link Checksums}. */
    static int referenceChecksum(byte[] bytes, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i < length; i++) {
            int b = bytes[offset + i] & 0xFF;
            sum += i % 2 == 0 ? b << 8 : b;
        }
        // The ones' complement sum is the plain sum mod 2^16 - 1, written 0xFFFF rather than 0
        // unless every word was zero.
        int folded = sum == 0 ? 0 : sum % 0xFFFF == 0 ? 0xFFFF : (int) (sum % 0xFFFF);
        return ~folded & 0xFFFF;
    }
}
