package org.artcp.node.packet;

/**
 * TCP option kinds (RFC 9293 §3.2, https://www.rfc-editor.org/rfc/rfc9293#section-3.2; RFC 7323 for
 * window scale and timestamps; RFC 2018 for SACK) and the removal of the options whose answer would
 * differ from node to node (DESIGN §2).
 *
 * <p>Why strip: every node's kernel answers the client's SYN on its own, and the aggregator sends the
 * client one version. Options negotiated in the handshake must therefore lead every node to the same
 * behaviour. Timestamps do not (each kernel stamps its own clock, with its own per-connection offset),
 * nor do options that carry per-host secrets or keys (TCP Fast Open cookies, Multipath TCP keys).
 * SACK-permitted would be answered alike, but a SACK block names holes in one node's receive queue,
 * and nodes do not miss the same segments (a negligible read-only request is a hole on every node
 * but one), so SACK is off too. MSS and window scale are kept: the client's values apply to every
 * node alike. (Each kernel still picks its own window scale for its SYN-ACK; the aggregator has to
 * reconcile that, see issue 4.)
 *
 * <p>The options are blanked to NOPs in place: the header length, the IP total length and every
 * offset stay as they are, and only the TCP checksum changes.
 */
public final class TcpOptions {
    public static final int END_OF_LIST = 0;
    public static final int NO_OPERATION = 1;
    public static final int MAXIMUM_SEGMENT_SIZE = 2;
    public static final int WINDOW_SCALE = 3;
    public static final int SACK_PERMITTED = 4;
    public static final int SACK = 5;
    public static final int TIMESTAMPS = 8;

    public static final int MAXIMUM_SEGMENT_SIZE_LENGTH = 4;
    public static final int WINDOW_SCALE_LENGTH = 3;
    public static final int SACK_PERMITTED_LENGTH = 2;
    public static final int TIMESTAMPS_LENGTH = 10;

    private TcpOptions() {
    }

    /** Whether an option of {@code kind} may stay in a SYN that every node answers: NOP, MSS and window scale. */
    public static boolean isKeptInSyn(int kind) {
        return kind == NO_OPERATION || kind == MAXIMUM_SEGMENT_SIZE || kind == WINDOW_SCALE;
    }

    /**
     * Replaces every option of {@code segment} except NOP, MSS and window scale by NOPs and updates the
     * TCP checksum incrementally (RFC 1624): a SYN that every node can answer alike. The checksum stays
     * correct if it was correct before. Meant for the client's SYN; harmless on any segment.
     *
     * @param segment a {@link TcpSegment#isValid() valid} segment
     * @return the number of option bytes replaced (0 if there was nothing to strip), or -1 if the
     *         option list is malformed, in which case the segment is left untouched
     */
    public static int stripPerNodeOptions(TcpSegment segment) {
        if (!segment.optionsWellFormed()) {
            return -1;
        }
        byte[] b = segment.buffer();
        int start = segment.optionsOffset();
        int length = segment.optionsLength();
        // The options area starts 20 bytes into the segment and ends on a 4-byte boundary, so its
        // words are the checksum's words: one update for the old and new sums of the whole area.
        int oldSum = Checksums.sum(b, start, length, 0);
        int end = start + length;
        int pos = start;
        int replaced = 0;
        while (pos < end) {
            int kind = b[pos] & 0xFF;
            if (kind == END_OF_LIST) {
                break;
            }
            int len = kind == NO_OPERATION ? 1 : b[pos + 1] & 0xFF;
            if (!isKeptInSyn(kind)) {
                java.util.Arrays.fill(b, pos, pos + len, (byte) NO_OPERATION);
                replaced += len;
            }
            pos += len;
        }
        if (replaced > 0) {
            segment.checksum(Checksums.update(segment.checksum(), oldSum, Checksums.sum(b, start, length, 0)));
        }
        return replaced;
    }
}
