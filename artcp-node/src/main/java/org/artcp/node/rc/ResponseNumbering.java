package org.artcp.node.rc;

import org.artcp.node.order.SerialNumbers;

/**
 * The response number of a response segment of one connection (paper §4.1): "AR-TCP computes the
 * response number by comparing the ACK number of the response packets with the sequence numbers of
 * the causal request packets in history", so that s1..s6 of Fig. 2 get the ordering numbers of
 * c1, c3, c4, c4, c6, c6.
 *
 * <p>The history holds the sequence ranges of the requests this node delivered to its local stack,
 * each with its ordering number, in the local stack's sequence space (after equation 1 of §5.1, so
 * that a response's own ACK number, Rsp_LAN, is compared with it directly). A response belongs to
 * the latest request that its ACK number reaches into: the last range whose start lies before the
 * ACK number. Packets of one request message share an ordering number and are merged into one range.
 *
 * <p>Pure-ACK responses ("simply ignored by the server node", §4.1) are numbered like any other, so
 * that a test can follow Fig. 2 packet by packet; {@link #isPureAck} is how RC decides to ignore them.
 *
 * <p>The history is bounded ({@link #CAPACITY} ranges, the oldest forgotten first): requests are
 * interactive (paper §3), so a response answers one of the last few requests. Sequence numbers are
 * compared with {@link SerialNumbers#TCP}. No allocation after construction.
 */
public final class ResponseNumbering {
    /** Returned when no request in the history is acknowledged by the ACK number. */
    public static final long UNKNOWN = -1;

    /** How many request ranges are remembered. */
    public static final int CAPACITY = 16;

    private static final SerialNumbers TCP = SerialNumbers.TCP;

    private final long[] numbers = new long[CAPACITY];
    private final long[] starts = new long[CAPACITY];
    private final long[] ends = new long[CAPACITY];
    /** Index of the newest range; valid when {@code count > 0}. */
    private int newest = -1;
    private int count;

    /**
     * Records a request packet delivered to the local stack.
     *
     * @param orderingNumber the ordering number MO gave its message
     * @param localSequence its sequence number for the local stack (Req_LSN)
     * @param sequenceLength its length in sequence space (payload, plus one for SYN and FIN)
     */
    public void record(long orderingNumber, long localSequence, int sequenceLength) {
        long end = TCP.add(localSequence, sequenceLength);
        if (count > 0 && numbers[newest] == orderingNumber) {
            starts[newest] = TCP.min(starts[newest], localSequence);
            ends[newest] = TCP.max(ends[newest], end);
            return;
        }
        newest = (newest + 1) % CAPACITY;
        numbers[newest] = orderingNumber;
        starts[newest] = localSequence;
        ends[newest] = end;
        count = Math.min(count + 1, CAPACITY);
    }

    /**
     * The response number of a response whose ACK number (in the local stack's space) is
     * {@code localAck}: the ordering number of the newest recorded request that starts before it,
     * or {@link #UNKNOWN}.
     */
    public long responseNumber(long localAck) {
        for (int i = 0, at = newest; i < count; i++, at = (at - 1 + CAPACITY) % CAPACITY) {
            if (TCP.lessThan(starts[at], localAck)) {
                return numbers[at];
            }
        }
        return UNKNOWN;
    }

    /** The number of ranges remembered. */
    public int size() {
        return count;
    }

    /**
     * Whether a response segment is a pure ACK, which RC ignores (paper §4.1, s3 of Fig. 2): no
     * payload and none of SYN, FIN, RST.
     *
     * @param tcpFlags the segment's flag byte
     */
    public static boolean isPureAck(int tcpFlags, int payloadLength) {
        return payloadLength == 0 && (tcpFlags & 0x07) == 0;
    }
}
