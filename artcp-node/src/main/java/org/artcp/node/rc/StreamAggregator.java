package org.artcp.node.rc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;

/**
 * The aggregator of response control (paper §4.1, Fig. 3), gathering each connection's response
 * <em>byte stream</em>: every live node sends it the response segments its CM translated for the
 * client; it sends the client a byte only once every live node has sent that byte, compares the
 * nodes' bytes, and counts (and reports once per connection) ranges where they differ. Pure and
 * single-threaded: {@code nowNs} is a parameter, effects leave through a {@link Sink}.
 *
 * <h2>Why the stream, not the segment</h2>
 * The paper gathers "response messages of the same response number". Its nodes were kernels that
 * segmented alike; ours are unmodified Linux stacks whose segment boundaries depend on congestion
 * window, Nagle and timing, so two nodes can cut the same response into different segments. Here a
 * node's version is a range of the connection's cluster sequence space: the aggregator tracks, per
 * live node, how far that node's stream is contiguous, and releases to the client the prefix every
 * live node has reached, re-cut at the reference node's boundaries (the lowest live rank). The
 * comparison of versions is the same comparison, byte for byte.
 *
 * <h2>ACKs and windows</h2>
 * What the client receives acknowledges what <em>every</em> live node's stack has received: the ACK
 * number is the smallest of the live nodes' latest ACK numbers, and the window the smallest of their
 * latest windows. Pure-ACK versions (which the paper's RC ignores) only feed these minima; when the
 * minimum ACK advances and no data is due, one pure ACK is sent, so that a client sending more than
 * its congestion window before any response (a 64 KiB NetPIPE message) is clocked as by one server.
 *
 * <h2>Retransmissions and loss</h2>
 * A node's stack retransmits what the client did not acknowledge. A version of a range already sent
 * is re-sent from the reference's bytes, at most once per {@code resendHoldoffNs} for the same
 * position, so the retransmissions of N nodes make one. Versions lost on the tunnel are recovered by
 * the same stack retransmissions. Bytes are kept until the client acknowledges them.
 *
 * <h2>Read-only responses</h2>
 * A duty node sends its responses to a read-only request straight to the client (paper §4.2): no
 * other node has those bytes. When the client acknowledges bytes beyond what this aggregator sent,
 * someone sent them; every node's next response starts after them (equation 3 starts each response
 * at the client's ACK), so the stream skips to the client's ACK.
 *
 * <h2>Membership</h2>
 * {@link #onMembershipChange} drops a failed node from every minimum: what the survivors have all sent
 * is released at once, so a node dying mid-response does not block the client (paper §5.2).
 */
public final class StreamAggregator {
    /** Where the aggregator's output goes. Arrays are only valid during the call. */
    public interface Sink {
        /** Sends one segment (an IPv4 packet from the portal IP) to the client. */
        void sendToClient(long connectionId, int clientAddress, byte[] packet, int offset, int length);

        /**
         * The live nodes' bytes differed in a range sent to the client (the reference's bytes were sent).
         *
         * @param first whether this is one of the connection's first few divergences (log it)
         */
        default void divergence(long connectionId, long clusterSequence, int rank, boolean first, String detail) {
        }
    }

    /** What happened to one version. */
    public enum Outcome {
        /** Kept; it released nothing (yet). */
        GATHERED,
        /** It completed a range (or an ACK) that was sent to the client. */
        EMITTED,
        /** A node retransmission of a range already sent: sent again. */
        RESENT,
        /** A range already sent, re-sent too recently, or a second copy of what this node sent. */
        SUPPRESSED,
        /** Malformed, not TCP, before the connection's SYN-ACK, or from a node that is not live. */
        DROPPED
    }

    private static final int HEADERS = Ipv4Packet.MIN_HEADER_LENGTH + TcpSegment.MIN_HEADER_LENGTH;
    /** The most a client ACK may move past what was sent (a read-only response's length): beyond, it is bogus. */
    private static final long MAX_SKIP = 1L << 30;
    /** Divergences per connection reported with their bytes; later ones are only counted. */
    private static final int LOGGED_DIVERGENCES = 5;

    /** One node's segment: its bytes from {@code start} (stream position) over {@code length} sequence numbers. */
    private record Chunk(long start, int length, byte[] packet, boolean fin) {
        long end() {
            return start + length;
        }
    }

    private static final class Flow {
        final long isn;
        /** The client's sequence number that the SYN-ACK acknowledges: ACK position 0. */
        final long clientBase;
        final int client;
        final byte[] template;
        final TreeMap<Long, Chunk>[] chunks;
        final long[] contiguous;
        final long[] ack;
        final int[] window;
        final byte[][] synAck;
        int rstMask;
        /** Stream positions: 0 is the SYN-ACK, 1 the first byte of data. */
        long sent;
        long clientAcked = -1;
        long lastAck;
        int lastWindow;
        boolean ackRequested;
        boolean rstSent;
        /** Ranges whose live versions differed (or a lagging node was overtaken); the first few are logged. */
        int divergences;
        /** Since when the reference has held bytes that a lagging live node has not matched; -1: none. */
        long laggingSinceNs = -1;
        long lastResentPosition = -1;
        long lastResentAtNs;

        @SuppressWarnings("unchecked")
        Flow(long isn, long clientBase, int client, byte[] template, int n) {
            this.isn = isn;
            this.clientBase = clientBase;
            this.client = client;
            this.template = template;
            this.chunks = new TreeMap[n];
            this.contiguous = new long[n];
            this.ack = new long[n];
            this.window = new int[n];
            this.synAck = new byte[n][];
            Arrays.fill(contiguous, -1);
        }

        /** The stream position of cluster sequence number {@code seq}, near what was sent. */
        long position(long seq) {
            long sentSeq = (isn + sent) & 0xFFFF_FFFFL;
            return sent + (int) (seq - sentSeq);
        }

        long sequence(long position) {
            return (isn + position) & 0xFFFF_FFFFL;
        }

        /** The position in the client's stream of ACK number {@code ack}, near the last ACK sent. */
        long ackPosition(long ack) {
            return lastAck + (int) (ack - ackNumber(lastAck));
        }

        long ackNumber(long position) {
            return (clientBase + position) & 0xFFFF_FFFFL;
        }
    }

    private final int clusterSize;
    private final long resendHoldoffNs;
    private final long lagLimitNs;
    private long lastNowNs;
    private long overtaken;
    private final Sink sink;
    private final Map<Long, Flow> flows = new HashMap<>();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final Ipv4Packet outIp = new Ipv4Packet();
    private final TcpSegment outTcp = new TcpSegment();
    private final byte[] out = new byte[Ipv4Packet.MAX_HEADER_LENGTH + TcpSegment.MAX_HEADER_LENGTH + 65_535];
    private int liveMask;
    private long segmentsSent;
    private long pureAcksSent;
    private long divergentRanges;
    private long resent;
    private long suppressed;
    private long dropped;
    private long skipped;
    private long adopted;

    /**
     * @param clusterSize N, the number of ranks
     * @param liveMask the live nodes (bit r for rank r)
     * @param resendHoldoffNs the least time between two re-sends of the same position
     */
    public StreamAggregator(int clusterSize, int liveMask, long resendHoldoffNs, Sink sink) {
        this(clusterSize, liveMask, resendHoldoffNs, Long.MAX_VALUE, sink);
    }

    /**
     * @param lagLimitNs how long the reference's bytes wait for a live node that sent less before they go
     *        to the client without it ({@link #onTick}); {@code Long.MAX_VALUE}: for ever
     */
    public StreamAggregator(int clusterSize, int liveMask, long resendHoldoffNs, long lagLimitNs, Sink sink) {
        if (clusterSize < 1 || clusterSize > 16 || resendHoldoffNs < 0) {
            throw new IllegalArgumentException("bad cluster size or hold-off: " + clusterSize + ", " + resendHoldoffNs);
        }
        this.clusterSize = clusterSize;
        this.liveMask = liveMask;
        this.resendHoldoffNs = resendHoldoffNs;
        this.lagLimitNs = lagLimitNs;
        this.sink = sink;
    }

    /**
     * One node's version of a response segment: the IPv4 packet {@code packet[offset, offset + length)},
     * already translated for the client by that node's CM.
     */
    public Outcome onVersion(int fromRank, long connectionId, byte[] packet, int offset, int length, long nowNs) {
        lastNowNs = nowNs;
        ip.wrap(packet, offset, length);
        if (fromRank < 0 || fromRank >= clusterSize || (liveMask & (1 << fromRank)) == 0 || !ip.isValid()
                || ip.protocol() != Ipv4Packet.PROTOCOL_TCP || !tcp.wrap(ip).isValid()) {
            dropped++;
            return Outcome.DROPPED;
        }
        int flags = tcp.flags();
        Flow f = flows.get(connectionId);
        if ((flags & TcpSegment.SYN) != 0) {
            return onSynAck(fromRank, connectionId, f, packet, offset, nowNs);
        }
        if ((flags & TcpSegment.RST) != 0 && (flags & TcpSegment.ACK) != 0 && (f == null || f.sent == 0)
                && (f == null || f.contiguous[fromRank] < 0)) {
            return onRefusal(fromRank, connectionId, f, packet, offset);
        }
        if (f == null || f.contiguous[fromRank] < 0) {
            dropped++;
            return Outcome.DROPPED;
        }
        if ((flags & TcpSegment.ACK) != 0) {
            f.ack[fromRank] = Math.max(f.ack[fromRank], f.ackPosition(tcp.acknowledgmentNumber()));
        }
        f.window[fromRank] = tcp.window();
        if ((flags & TcpSegment.RST) != 0) {
            f.rstMask |= 1 << fromRank;
            return release(connectionId, f) ? Outcome.EMITTED : Outcome.GATHERED;
        }
        int segLen = tcp.sequenceLength();
        if (segLen == 0) {
            return release(connectionId, f) ? Outcome.EMITTED : Outcome.GATHERED;
        }
        long start = f.position(tcp.sequenceNumber());
        long end = start + segLen;
        if (end <= f.sent) {
            return resend(connectionId, f, start, end, nowNs);
        }
        TreeMap<Long, Chunk> mine = f.chunks[fromRank];
        Chunk had = mine.get(start);
        if (end <= f.contiguous[fromRank] || had != null && had.length >= segLen) {
            suppressed++;
            return release(connectionId, f) ? Outcome.EMITTED : Outcome.SUPPRESSED;
        }
        mine.put(start, new Chunk(start, segLen, Arrays.copyOfRange(packet, offset, offset + ip.totalLength()),
                (flags & TcpSegment.FIN) != 0));
        advance(f, fromRank);
        return release(connectionId, f) ? Outcome.EMITTED : Outcome.GATHERED;
    }

    /**
     * A client segment of the connection reached this node (through the tunnel or the LAN), with its
     * ACK number in the cluster's space.
     *
     * @param duplicate whether it carried only sequence space the client sent before (the client
     *        retransmits: an ACK of ours may have been lost, so the next ACK is sent even if it does
     *        not advance)
     */
    public void onClientSegment(long connectionId, boolean hasAck, long ack, boolean duplicate) {
        Flow f = flows.get(connectionId);
        if (f == null) {
            return;
        }
        if (hasAck) {
            long a = f.position(ack);
            if (a > f.sent && f.sent > 0 && a - f.sent <= MAX_SKIP) {
                skipTo(connectionId, f, a);
            } else if (a > f.clientAcked && a <= f.sent) {
                f.clientAcked = a;
                trim(f);
            }
        }
        if (duplicate) {
            f.ackRequested = true;
        }
    }

    /**
     * The client acknowledged bytes this aggregator never sent: a duty node answered a read-only request
     * directly (paper §4.2), and no other node sends those bytes. Every node's stream continues after
     * them, so the aggregator's stream skips them.
     */
    private void skipTo(long connectionId, Flow f, long position) {
        f.sent = position;
        f.clientAcked = position;
        skipped++;
        for (int r = 0; r < clusterSize; r++) {
            if (f.contiguous[r] >= 0 && f.contiguous[r] < position) {
                f.contiguous[r] = position;
                advance(f, r);
            }
        }
        trim(f);
        release(connectionId, f);
    }

    /**
     * The live nodes changed: minima are taken over the survivors, and what they have all sent is
     * released.
     *
     * @return how many connections sent something
     */
    public int onMembershipChange(int newLiveMask) {
        liveMask = newLiveMask;
        int n = 0;
        for (Map.Entry<Long, Flow> e : flows.entrySet()) {
            if (release(e.getKey(), e.getValue())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Time passes: connections whose reference has waited {@code lagLimitNs} for a lagging node send
     * what the reference has.
     *
     * @return how many connections sent something
     */
    public int onTick(long nowNs) {
        lastNowNs = nowNs;
        if (lagLimitNs == Long.MAX_VALUE) {
            return 0;
        }
        int n = 0;
        for (Map.Entry<Long, Flow> e : flows.entrySet()) {
            Flow f = e.getValue();
            if (f.laggingSinceNs >= 0 && nowNs - f.laggingSinceNs >= lagLimitNs && release(e.getKey(), f, nowNs)) {
                n++;
            }
        }
        return n;
    }

    /** Times the reference's bytes went to the client without a lagging node's ({@link #onTick}). */
    public long overtakenCount() {
        return overtaken;
    }

    /** Whether the connection has aggregation state here. */
    public boolean hasFlow(long connectionId) {
        return flows.containsKey(connectionId);
    }

    /**
     * This node becomes the connection's aggregator mid-stream (its aggregator failed, paper §5.2): a
     * flow is started from what this node's CM knows, and the nodes' versions of the bytes the client
     * has not acknowledged (re-sent to it by every survivor, and retransmitted by their stacks) are
     * gathered from there. The old aggregator may have sent some of them already: the client drops
     * the copies.
     *
     * @param template      a response segment of the connection (portal to client): addresses and ports
     * @param clusterIsn    the cluster's ISN of the connection's server side
     * @param clientIsn     the client's ISN
     * @param clientAcked   the highest ACK number the client sent (cluster space): what it surely has
     * @param clientNext    one past the client's bytes this node delivered to its stack: every node
     *                      has them or will (they were ordered), so they may be acknowledged
     * @return whether a flow was started (false: one exists, or the template is not TCP)
     */
    public boolean adopt(long connectionId, byte[] template, int offset, int length, long clusterIsn, long clientIsn,
                         long clientAcked, long clientNext) {
        if (flows.containsKey(connectionId) || !ip.wrap(template, offset, length).isValid()
                || ip.protocol() != Ipv4Packet.PROTOCOL_TCP || !tcp.wrap(ip).isValid()) {
            return false;
        }
        Flow f = new Flow(clusterIsn, (clientIsn + 1) & 0xFFFF_FFFFL, ip.destination(),
                Arrays.copyOfRange(template, offset, offset + ip.totalLength()), clusterSize);
        f.sent = (clientAcked - clusterIsn) & 0xFFFF_FFFFL;
        f.clientAcked = f.sent;
        f.lastAck = (clientNext - f.clientBase) & 0xFFFF_FFFFL;
        for (int r = 0; r < clusterSize; r++) {
            f.chunks[r] = new TreeMap<>();
            f.contiguous[r] = f.sent;
            f.ack[r] = f.lastAck;
            f.window[r] = Integer.MAX_VALUE; // unknown until the node's first version
        }
        flows.put(connectionId, f);
        adopted++;
        return true;
    }

    /** Connections this node started aggregating mid-stream ({@link #adopt}). */
    public long adoptedCount() {
        return adopted;
    }

    /** Forgets a connection (CM reclaimed it). */
    public void forget(long connectionId) {
        flows.remove(connectionId);
    }

    // ------------------------------------------------------------------ counters

    /** Segments with data, SYN, FIN or RST sent to the client (re-sends excluded). */
    public long segmentsSent() {
        return segmentsSent;
    }

    /** Pure ACKs sent to the client. */
    public long pureAcksSent() {
        return pureAcksSent;
    }

    /** Ranges sent whose live versions differed. */
    public long divergentRanges() {
        return divergentRanges;
    }

    /** Re-sends after node retransmissions. */
    public long resentCount() {
        return resent;
    }

    /** Versions that sent nothing because they repeated what was held or re-sent. */
    public long suppressedCount() {
        return suppressed;
    }

    /** Versions dropped (malformed, before the SYN-ACK, or from a node not live). */
    public long droppedCount() {
        return dropped;
    }

    /** Times the client acknowledged bytes a duty node sent directly, so the stream skipped them. */
    public long skippedCount() {
        return skipped;
    }

    /** Connections with aggregation state. */
    public int flowCount() {
        return flows.size();
    }

    /** Response bytes held (sent and unacknowledged, or waiting for a node), over all connections and nodes. */
    public long heldBytes() {
        long n = 0;
        for (Flow f : flows.values()) {
            for (TreeMap<Long, Chunk> m : f.chunks) {
                if (m != null) {
                    for (Chunk c : m.values()) {
                        n += c.length;
                    }
                }
            }
        }
        return n;
    }

    /** Whether a divergent range was seen on the connection. */
    public boolean diverged(long connectionId) {
        Flow f = flows.get(connectionId);
        return f != null && f.divergences > 0;
    }

    // ------------------------------------------------------------------ internals

    private Outcome onSynAck(int rank, long connectionId, Flow f, byte[] packet, int offset, long nowNs) {
        if ((tcp.flags() & TcpSegment.ACK) == 0) {
            dropped++;
            return Outcome.DROPPED;
        }
        byte[] copy = Arrays.copyOfRange(packet, offset, offset + ip.totalLength());
        if (f == null) {
            f = new Flow(tcp.sequenceNumber(), tcp.acknowledgmentNumber(), ip.destination(), copy, clusterSize);
            flows.put(connectionId, f);
        } else if (tcp.sequenceNumber() != f.isn) {
            dropped++;
            return Outcome.DROPPED;
        }
        if (f.contiguous[rank] >= 0) {
            return f.sent > 0 ? resend(connectionId, f, 0, 1, nowNs) : suppress();
        }
        f.synAck[rank] = copy;
        f.chunks[rank] = new TreeMap<>();
        f.contiguous[rank] = 1;
        f.ack[rank] = f.ackPosition(tcp.acknowledgmentNumber());
        f.window[rank] = tcp.window();
        return release(connectionId, f) ? Outcome.EMITTED : Outcome.GATHERED;
    }

    /**
     * A node's stack refused the connection: a RST (with the ACK of the client's SYN) before any
     * SYN-ACK. When every live node refused it, the client gets one RST, as from one server; a node
     * that accepts while another refuses leaves the connection to the client's SYN timeout.
     */
    private Outcome onRefusal(int rank, long connectionId, Flow f, byte[] packet, int offset) {
        if (f == null) {
            f = new Flow(tcp.sequenceNumber(), tcp.acknowledgmentNumber(), ip.destination(),
                    Arrays.copyOfRange(packet, offset, offset + ip.totalLength()), clusterSize);
            flows.put(connectionId, f);
        }
        f.rstMask |= 1 << rank;
        int live = liveMask;
        if (f.rstSent || (f.rstMask & live) != live) {
            return Outcome.GATHERED;
        }
        sendRst(connectionId, f, 0);
        return Outcome.EMITTED;
    }

    private Outcome suppress() {
        suppressed++;
        return Outcome.SUPPRESSED;
    }

    /** Moves rank's contiguous position over the chunks it holds. */
    private static void advance(Flow f, int rank) {
        long c = f.contiguous[rank];
        for (Chunk ch = covering(f.chunks[rank], c); ch != null; ch = covering(f.chunks[rank], c)) {
            c = ch.end();
        }
        f.contiguous[rank] = c;
    }

    /**
     * A chunk of {@code m} that holds position {@code p} ({@code start <= p < end}), or {@code null}.
     * Chunks may overlap (a stack may cut a retransmission differently), so when the chunk starting
     * last before {@code p} ends too early, the chunks of the 64 KiB before it are searched: no segment
     * is longer than that.
     */
    private static Chunk covering(TreeMap<Long, Chunk> m, long p) {
        Map.Entry<Long, Chunk> e = m.floorEntry(p);
        if (e == null) {
            return null;
        }
        if (e.getValue().end() > p) {
            return e.getValue();
        }
        for (Chunk c : m.subMap(p - 65_536, false, p, true).descendingMap().values()) {
            if (c.end() > p) {
                return c;
            }
        }
        return null;
    }

    /** Sends what every live node has reached; returns whether anything was sent. */
    private boolean release(long connectionId, Flow f) {
        return release(connectionId, f, lastNowNs);
    }

    private boolean release(long connectionId, Flow f, long nowNs) {
        int live = liveMask;
        if (f.sent == 0 && !f.rstSent && f.rstMask != 0 && live != 0 && (f.rstMask & live) == live) {
            sendRst(connectionId, f, 0); // every survivor refused the connection
            return true;
        }
        int reference = -1;
        long ready = Long.MAX_VALUE;
        long ack = Long.MAX_VALUE;
        int window = Integer.MAX_VALUE;
        for (int r = 0; r < clusterSize; r++) {
            if ((live & (1 << r)) == 0) {
                continue;
            }
            if (f.contiguous[r] < 0) {
                return false; // a live node has not even answered the SYN
            }
            if (reference < 0) {
                reference = r;
            }
            ready = Math.min(ready, f.contiguous[r]);
            ack = Math.min(ack, f.ack[r]);
            window = Math.min(window, f.window[r]);
        }
        if (reference < 0 || f.rstSent) {
            return false;
        }
        if (f.laggingSinceNs >= 0 && nowNs - f.laggingSinceNs >= lagLimitNs && f.contiguous[reference] > ready) {
            // A live node has sent less than the reference for lagLimitNs: its answer was shorter (a
            // replica that differs), or it is too slow to wait for. The client gets the reference's
            // bytes; the laggard's stream is moved past them.
            ready = f.contiguous[reference];
            overtaken++;
            for (int r = 0; r < clusterSize; r++) {
                if ((live & (1 << r)) != 0 && f.contiguous[r] < ready) {
                    f.contiguous[r] = ready;
                    advance(f, r);
                    if (f.divergences++ < LOGGED_DIVERGENCES) {
                        sink.divergence(connectionId, f.sequence(f.sent), r, true, "rank " + r
                                + " sent less than the reference for " + lagLimitNs / 1_000_000
                                + " ms; the reference's bytes were sent");
                    }
                }
            }
        }
        boolean any = false;
        if (f.sent == 0) {
            sendSynAck(connectionId, f, reference, ack);
            f.sent = 1;
            segmentsSent++;
            any = true;
        }
        while (f.sent < ready) {
            Chunk c = covering(f.chunks[reference], f.sent);
            long end = Math.min(c.end(), ready);
            compare(connectionId, f, reference, f.sent, end);
            send(connectionId, f, c, f.sent, end, ack, window);
            segmentsSent++;
            f.sent = end;
            any = true;
        }
        if (f.contiguous[reference] > f.sent) {
            if (f.laggingSinceNs < 0) {
                f.laggingSinceNs = nowNs; // the reference holds bytes a lagging node has not matched
            }
        } else {
            f.laggingSinceNs = -1;
        }
        if ((f.rstMask & live) == live) {
            sendRst(connectionId, f, ack);
            return true;
        }
        if (window == Integer.MAX_VALUE) {
            return any; // an adopted flow that no live node has sent a version of yet
        }
        if (!any && (ack > f.lastAck || f.ackRequested && ack >= f.lastAck || window > f.lastWindow && ack == f.lastAck)) {
            sendPureAck(connectionId, f, ack, window);
            any = true;
        }
        if (any) {
            f.ackRequested = false;
        }
        return any;
    }

    /** Counts a divergence when another live node's bytes of {@code [from, to)} differ from the reference's. */
    private void compare(long connectionId, Flow f, int reference, long from, long to) {
        for (int r = 0; r < clusterSize; r++) {
            if (r == reference || (liveMask & (1 << r)) == 0) {
                continue;
            }
            if (!sameBytes(f.chunks[reference], f.chunks[r], from, to)) {
                divergentRanges++;
                boolean first = f.divergences++ < LOGGED_DIVERGENCES;
                sink.divergence(connectionId, f.sequence(from), r, first,
                        first ? "reference " + excerpt(f.chunks[reference], from, to) + " / rank " + r + " "
                                + excerpt(f.chunks[r], from, to) : "");
                return;
            }
        }
    }

    private boolean sameBytes(TreeMap<Long, Chunk> a, TreeMap<Long, Chunk> b, long from, long to) {
        long p = from;
        while (p < to) {
            Chunk ca = covering(a, p);
            Chunk cb = covering(b, p);
            if (ca == null || cb == null) {
                return true; // a range a lagging node was moved past (overtaken): reported then
            }
            long end = Math.min(to, Math.min(ca.end(), cb.end()));
            int da = dataLength(ca);
            int db = dataLength(cb);
            int ia = (int) (p - ca.start);
            int ib = (int) (p - cb.start);
            int n = (int) (end - p);
            // The FIN occupies the last sequence number after the data: both must put it at the same place.
            int na = Math.min(n, da - ia);
            int nb = Math.min(n, db - ib);
            if (na != nb || na > 0 && !Arrays.equals(ca.packet, payloadOffset(ca) + ia, payloadOffset(ca) + ia + na,
                    cb.packet, payloadOffset(cb) + ib, payloadOffset(cb) + ib + nb)) {
                return false;
            }
            p = end;
        }
        return true;
    }

    /** Up to 64 bytes of a node's stream from {@code from}, printable ASCII as is, the rest as {@code \xNN}. */
    private String excerpt(TreeMap<Long, Chunk> m, long from, long to) {
        StringBuilder sb = new StringBuilder("\"");
        long p = from;
        while (p < to && p < from + 64) {
            Chunk c = covering(m, p);
            if (c == null || p - c.start >= dataLength(c)) {
                break;
            }
            int b = c.packet[payloadOffset(c) + (int) (p - c.start)] & 0xFF;
            sb.append(b >= 0x20 && b < 0x7F && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02x", b));
            p++;
        }
        return sb.append(p < to ? "…\"" : "\"").toString();
    }

    private static int dataLength(Chunk c) {
        return c.fin ? c.length - 1 : c.length;
    }

    private int payloadOffset(Chunk c) {
        ip.wrap(c.packet, 0, c.packet.length);
        return tcp.wrap(ip).payloadOffset();
    }

    /** Sends {@code [from, to)} of chunk {@code c} with the given ACK and window. */
    private void send(long connectionId, Flow f, Chunk c, long from, long to, long ack, int window) {
        ip.wrap(c.packet, 0, c.packet.length);
        tcp.wrap(ip);
        int data = dataLength(c);
        int skip = (int) (from - c.start);
        int take = (int) Math.min(to - from, Math.max(0, data - skip));
        boolean fin = c.fin && to == c.end();
        int headers = ip.headerLength() + tcp.headerLength();
        System.arraycopy(c.packet, 0, out, 0, headers);
        System.arraycopy(c.packet, tcp.payloadOffset() + skip, out, headers, take);
        outIp.wrap(out, 0, headers + take);
        outIp.totalLength(headers + take);
        outTcp.wrap(outIp);
        int flags = tcp.flags() & ~TcpSegment.FIN;
        outTcp.sequenceNumber(f.sequence(from)).flags(fin ? flags | TcpSegment.FIN : flags);
        finish(connectionId, f, ack, window);
    }

    /** Sends {@code rank}'s SYN-ACK (options and window as that stack chose them) with the given ACK. */
    private void sendSynAck(long connectionId, Flow f, int rank, long ack) {
        byte[] p = f.synAck[rank];
        System.arraycopy(p, 0, out, 0, p.length);
        outIp.wrap(out, 0, p.length);
        outTcp.wrap(outIp);
        finish(connectionId, f, ack, outTcp.window());
    }

    private void sendPureAck(long connectionId, Flow f, long ack, int window) {
        header(f);
        outTcp.flags(TcpSegment.ACK);
        pureAcksSent++;
        finish(connectionId, f, ack, window);
    }

    private void sendRst(long connectionId, Flow f, long ack) {
        header(f);
        outTcp.flags(TcpSegment.RST | TcpSegment.ACK);
        f.rstSent = true;
        segmentsSent++;
        finish(connectionId, f, ack, 0);
    }

    /** A bare 40-byte IPv4/TCP header from the connection's template, at the next sequence number. */
    private void header(Flow f) {
        ip.wrap(f.template, 0, f.template.length);
        System.arraycopy(f.template, 0, out, 0, Ipv4Packet.MIN_HEADER_LENGTH);
        outIp.wrap(out, 0, HEADERS);
        outIp.ihl(5).totalLength(HEADERS);
        tcp.wrap(ip);
        System.arraycopy(f.template, ip.headerLength(), out, Ipv4Packet.MIN_HEADER_LENGTH, TcpSegment.MIN_HEADER_LENGTH);
        outTcp.wrap(outIp);
        outTcp.dataOffset(5).sequenceNumber(f.sequence(f.sent)).urgentPointer(0);
    }

    /** Sets ACK and window, fixes both checksums, and sends {@code out}. */
    private void finish(long connectionId, Flow f, long ack, int window) {
        outTcp.acknowledgmentNumber(f.ackNumber(ack)).window(window);
        outTcp.updateChecksum(outIp.source(), outIp.destination());
        outIp.updateHeaderChecksum();
        f.lastAck = Math.max(f.lastAck, ack);
        f.lastWindow = window;
        sink.sendToClient(connectionId, f.client, out, 0, outIp.totalLength());
    }

    /** A node retransmitted {@code [start, end)}, already sent: send the reference's bytes again, rate-limited. */
    private Outcome resend(long connectionId, Flow f, long start, long end, long nowNs) {
        long from = Math.max(start, f.clientAcked);
        if (from >= end && f.clientAcked >= 0) {
            from = start; // the client has it; a copy makes it repeat its ACK for the node that missed it
        }
        if (from == f.lastResentPosition && nowNs - f.lastResentAtNs < resendHoldoffNs) {
            return suppress();
        }
        f.lastResentPosition = from;
        f.lastResentAtNs = nowNs;
        resent++;
        if (from == 0) {
            int holders = liveMask & liveSynMask(f);
            if (holders == 0) {
                return suppress();
            }
            sendSynAck(connectionId, f, Integer.numberOfTrailingZeros(holders), f.lastAck);
            return Outcome.RESENT;
        }
        for (int r = 0; r < clusterSize; r++) {
            if ((liveMask & (1 << r)) == 0 || f.chunks[r] == null) {
                continue;
            }
            Chunk c = covering(f.chunks[r], from);
            if (c != null) {
                send(connectionId, f, c, from, Math.min(c.end(), Math.min(end, f.sent)), f.lastAck, f.lastWindow);
                return Outcome.RESENT;
            }
        }
        return suppress();
    }

    private int liveSynMask(Flow f) {
        int m = 0;
        for (int r = 0; r < clusterSize; r++) {
            if (f.synAck[r] != null) {
                m |= 1 << r;
            }
        }
        return m;
    }

    /** Drops every node's chunks that end at or before what the client acknowledged. */
    private static void trim(Flow f) {
        for (TreeMap<Long, Chunk> m : f.chunks) {
            if (m == null) {
                continue;
            }
            while (!m.isEmpty() && m.firstEntry().getValue().end() <= f.clientAcked) {
                m.pollFirstEntry();
            }
        }
    }
}
