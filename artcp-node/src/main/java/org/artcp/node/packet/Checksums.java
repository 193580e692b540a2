package org.artcp.node.packet;

/**
 * The Internet checksum: the 16-bit ones' complement of the ones' complement sum of 16-bit words
 * (RFC 1071, https://www.rfc-editor.org/rfc/rfc1071), and its incremental update when a field is
 * rewritten (RFC 1624, https://www.rfc-editor.org/rfc/rfc1624, equation 3:
 * {@code HC' = ~(~HC + ~m + m')}).
 *
 * <p>Sums are kept "folded": a value in {@code [0, 0xFFFF]} after end-around carry. A ones'
 * complement sum of data that is not all zeros is never 0 (it is {@code 0xFFFF} instead), so a
 * checksum computed here is in {@code [0, 0xFFFE]} for such data, and equation 3 keeps it there: an
 * incremental update and a full recomputation give the same 16 bits (RFC 1624 §3 explains why
 * equation 2 would not).
 *
 * <p>Verification: a header or segment whose checksum field is correct sums (checksum included) to
 * {@code 0xFFFF}.
 */
public final class Checksums {
    private Checksums() {
    }

    /**
     * The folded ones' complement sum of {@code length} bytes at {@code offset}, added to
     * {@code initialSum} (a folded sum, 0 to start). An odd last byte is padded with a zero byte on
     * the right (RFC 1071 §4.1). The words are taken at even distances from {@code offset}.
     */
    public static int sum(byte[] buffer, int offset, int length, int initialSum) {
        long acc = initialSum & 0xFFFFL;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            acc += ((buffer[i] & 0xFF) << 8) | (buffer[i + 1] & 0xFF);
        }
        if (i < end) {
            acc += (buffer[i] & 0xFF) << 8;
        }
        return fold(acc);
    }

    /** Folds a wide sum of 16-bit words to 16 bits with end-around carry. */
    public static int fold(long wideSum) {
        long s = wideSum;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** The ones' complement sum of two folded sums. */
    public static int add(int sumA, int sumB) {
        return fold((long) (sumA & 0xFFFF) + (sumB & 0xFFFF));
    }

    /** The folded sum of the two 16-bit halves of a 32-bit value (an IPv4 address, a sequence number). */
    public static int sum32(long value) {
        return fold(((value >>> 16) & 0xFFFF) + (value & 0xFFFF));
    }

    /** The checksum of a folded sum: its ones' complement. */
    public static int complement(int sum) {
        return ~sum & 0xFFFF;
    }

    /** The Internet checksum of {@code length} bytes (RFC 1071): {@code complement(sum(...))}. */
    public static int internetChecksum(byte[] buffer, int offset, int length) {
        return complement(sum(buffer, offset, length, 0));
    }

    /**
     * RFC 1624 equation 3 for data whose folded sum changed from {@code oldSum} to {@code newSum}:
     * {@code HC' = ~(~HC + ~oldSum + newSum)}. For one 16-bit field the sums are the field's old
     * and new values ({@link #update16}); because the ones' complement sum is linear, several
     * changed words may be summed first.
     */
    public static int update(int checksum, int oldSum, int newSum) {
        long acc = (long) complement(checksum) + complement(oldSum) + (newSum & 0xFFFF);
        return complement(fold(acc));
    }

    /** The checksum after one aligned 16-bit field changed from {@code oldValue} to {@code newValue}. */
    public static int update16(int checksum, int oldValue, int newValue) {
        return update(checksum, oldValue & 0xFFFF, newValue & 0xFFFF);
    }

    /**
     * The checksum after one aligned 32-bit field (a TCP sequence or ACK number, an IPv4 address)
     * changed from {@code oldValue} to {@code newValue}: both halves at once.
     */
    public static int update32(int checksum, long oldValue, long newValue) {
        long acc = (long) complement(checksum)
                + complement((int) (oldValue >>> 16) & 0xFFFF) + complement((int) oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return complement(fold(acc));
    }
}
