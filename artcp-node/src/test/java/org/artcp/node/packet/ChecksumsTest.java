package org.artcp.node.packet;

import static org.artcp.node.packet.Packets.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ChecksumsTest {
    @Test
    void rfc1071Example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (with end-around carry).
        byte[] b = hex("0001f203f4f5f6f7");
        assertEquals(0xDDF2, Checksums.sum(b, 0, b.length, 0));
        assertEquals(0x220D, Checksums.internetChecksum(b, 0, b.length));
    }

    @Test
    void ipv4HeaderVector() {
        // The textbook IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum is b861.
        byte[] h = hex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xB861, Checksums.internetChecksum(h, 0, h.length));
        h[10] = (byte) 0xB8;
        h[11] = 0x61;
        assertEquals(0xFFFF, Checksums.sum(h, 0, h.length, 0));
    }

    @Test
    void oddLengthPadsTheLastByteOnTheRight() {
        byte[] b = hex("0102030405");
        assertEquals(Checksums.internetChecksum(hex("010203040500"), 0, 6), Checksums.internetChecksum(b, 0, 5));
        assertEquals(Packets.referenceChecksum(b, 0, 5, 0), Checksums.internetChecksum(b, 0, 5));
    }

    @Test
    void zerosAndOnes() {
        assertEquals(0xFFFF, Checksums.internetChecksum(new byte[8], 0, 8));
        byte[] ones = hex("ffffffff");
        assertEquals(0x0000, Checksums.internetChecksum(ones, 0, 4));
        assertEquals(0xFFFF, Checksums.fold(0x2FFFDL)); // 0xFFFD + 2 carries
        assertEquals(0x0001, Checksums.add(0xFFFF, 0x0001));
        assertEquals(0x0001, Checksums.sum32(0x0000_0001L));
        assertEquals(0x0000, Checksums.sum32(0));
    }

    @Test
    void sumsAgreeWithTheSlowReferenceOnRandomData() {
        Random random = new Random(1071);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[random.nextInt(1600)];
            random.nextBytes(b);
            int off = b.length == 0 ? 0 : random.nextInt(b.length);
            int len = b.length - off;
            assertEquals(Packets.referenceChecksum(b, off, len, 0), Checksums.internetChecksum(b, off, len), "run " + i);
        }
    }

    /** RFC 1624 eq. 3 against full recomputation: random data, a random aligned field rewritten many times. */
    @Test
    void incrementalUpdatesMatchRecomputation() {
        Random random = new Random(1624);
        for (int run = 0; run < 5000; run++) {
            byte[] b = new byte[6 + 2 * random.nextInt(40)];
            random.nextBytes(b);
            if (run % 7 == 0) {
                java.util.Arrays.fill(b, (byte) 0xFF); // edge: all ones (sum 0xFFFF, checksum 0)
            }
            // Word 0 is never rewritten and never zero, as the protocol word of a TCP pseudo-header:
            // only data that is all zeros has the ones' complement "+0" sum, where RFC 1624 eq. 3 and
            // recomputation may differ (0x0000 versus 0xFFFF), and no IPv4 header or TCP segment is.
            b[0] = 0;
            b[1] = 6;
            int checksum = Checksums.internetChecksum(b, 0, b.length);
            for (int step = 0; step < 10; step++) {
                if (random.nextBoolean()) {
                    int at = 2 + 2 * random.nextInt(b.length / 2 - 2);
                    long old = Bytes.u32(b, at);
                    long now = random.nextInt(4) == 0 ? (old + 1) & 0xFFFF_FFFFL : random.nextLong() & 0xFFFF_FFFFL;
                    Bytes.u32(b, at, now);
                    checksum = Checksums.update32(checksum, old, now);
                } else {
                    int at = 2 + 2 * random.nextInt(b.length / 2 - 1);
                    int old = Bytes.u16(b, at);
                    int now = random.nextInt(0x10000);
                    Bytes.u16(b, at, now);
                    checksum = Checksums.update16(checksum, old, now);
                }
                assertEquals(Checksums.internetChecksum(b, 0, b.length), checksum, "run " + run + " step " + step);
            }
        }
    }

    @Test
    void rfc1624Example() {
        // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 by eq. 3.
        assertEquals(0x0000, Checksums.update16(0xDD2F, 0x5555, 0x3285));
    }
}
