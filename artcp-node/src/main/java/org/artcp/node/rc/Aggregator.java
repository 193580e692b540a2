package org.artcp.node.rc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.artcp.node.order.SerialNumbers;
import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;

/**
 * The aggregator of response control (paper §4.1, Fig. 3): it gathers the version of a response
 * segment from every live node, decides when all are in, sends one version to the client and counts
 * the responses whose versions differ. Pure and single-threaded; {@code nowNs} is a parameter;
 * effects leave through a {@link Sink}.
 *
 * <h2>Gathering</h2>
 * A version is the response segment as a node's CM translated it for the client (an IPv4 packet from
 * the portal IP). Versions are gathered per connection, response number and client sequence number:
 * a response message of several segments is gathered segment by segment (the paper's "response
 * messages of the same response number", refined to the segment because the client must receive
 * every segment once). A gather is complete when every live node has sent its version; a membership
 * change ({@link #onMembershipChange}) releases the gathers that then have every survivor's version,
 * so a node that dies mid-gather does not block the client (§5.2). The version sent is the one of the
 * lowest live rank that sent one; every other version's payload bytes and sequence length are
 * compared with it, and a difference counts one divergent response. The sink learns, with the
 * emission, whether it is the first divergence on its connection, so the shell logs once per
 * connection.
 *
 * <h2>Node retransmissions</h2>
 * Each node's kernel retransmits a response it thinks lost. Per connection the aggregator tracks the
 * highest cluster sequence number sent to the client and the client's highest ACK (fed by
 * {@link #onClientAck} from every client segment). A version whose range was already sent is not
 * gathered again; it is re-sent only when the client's ACK shows the range missing (the ACK lies
 * before the range's end), and then once per {@code resendHoldoffNs} for that sequence number, so the
 * retransmissions of N nodes make one re-send. When the client already acknowledged the range, or
 * no ACK of the client was seen, nothing is re-sent.
 *
 * <p>Pure-ACK versions are not aggregated (RC ignores them, paper §4.1) and are dropped here if they
 * arrive. Each version is copied (the caller's buffer is only valid during the call): one allocation
 * per version, none per lookup beyond the boxed connection id.
 */
public final class Aggregator {
    /** Where the aggregator sends what the client gets. Byte arrays are only valid during the call. */
    public interface Sink {
        /**
         * Sends one version of a response segment to the client.
         *
         * @param divergent whether the live nodes' versions of it differed
         * @param firstDivergenceOnConnection whether this is the first divergent response on the connection (log it)
         */
        void sendToClient(long connectionId, long responseNumber, byte[] packet, int offset, int length,
                boolean divergent, boolean firstDivergenceOnConnection);
    }

    /** What happened to one version. */
    public enum Outcome {
        /** Stored; versions of other live nodes are still missing. */
        GATHERING,
        /** It completed its gather and one version was sent to the client. */
        EMITTED,
        /** A node retransmission of a range the client's ACK shows missing: sent again. */
        RESENT,
        /** Not sent: a second version from the same node, or a range the client has (or may have) already. */
        SUPPRESSED,
        /** Not a whole TCP segment, a pure ACK, or from a node that is not live. */
        DROPPED
    }

    private static final SerialNumbers TCP = SerialNumbers.TCP;

    private static final class Gather {
        final long responseNumber;
        final long sequence;
        final byte[][] versions;
        int contributed;

        Gather(long responseNumber, long sequence, int clusterSize) {
            this.responseNumber = responseNumber;
            this.sequence = sequence;
            this.versions = new byte[clusterSize][];
        }
    }

    private static final class Flow {
        boolean sentAny;
        long sentUpTo;
        boolean ackSeen;
        long clientAck;
        boolean diverged;
        boolean resentAny;
        long lastResentSequence;
        long lastResentAtNs;
        final ArrayList<Gather> gathers = new ArrayList<>(2);
    }

    private final int clusterSize;
    private final long resendHoldoffNs;
    private final Sink sink;
    private final Map<Long, Flow> flows = new HashMap<>();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final TcpSegment other = new TcpSegment();
    private final Ipv4Packet otherIp = new Ipv4Packet();
    private int liveMask;
    private long emitted;
    private long divergent;
    private long resent;
    private long suppressed;
    private long dropped;

    /**
     * @param clusterSize N, the number of ranks
     * @param liveMask the live nodes (bit r for rank r)
     * @param resendHoldoffNs the least time between two re-sends of the same sequence number
     * @param sink where versions for the client go
     */
    public Aggregator(int clusterSize, int liveMask, long resendHoldoffNs, Sink sink) {
        if (clusterSize < 1 || clusterSize > 16 || resendHoldoffNs < 0) {
            throw new IllegalArgumentException("bad cluster size or hold-off: " + clusterSize + ", " + resendHoldoffNs);
        }
        this.clusterSize = clusterSize;
        this.liveMask = liveMask;
        this.resendHoldoffNs = resendHoldoffNs;
        this.sink = sink;
    }

    /**
     * One node's version of a response segment: the IPv4 packet {@code packet[offset, offset + length)}.
     *
     * @param fromRank the node that sent it
     * @param connectionId the connection ({@code ConnectionKey})
     * @param responseNumber its response number
     */
    public Outcome onVersion(int fromRank, long connectionId, long responseNumber, byte[] packet, int offset, int length,
            long nowNs) {
        ip.wrap(packet, offset, length);
        if (fromRank < 0 || fromRank >= clusterSize || (liveMask & (1 << fromRank)) == 0 || !ip.isValid()
                || ip.protocol() != Ipv4Packet.PROTOCOL_TCP || !tcp.wrap(ip).isValid()
                || ResponseNumbering.isPureAck(tcp.flags(), tcp.payloadLength())) {
            dropped++;
            return Outcome.DROPPED;
        }
        long seq = tcp.sequenceNumber();
        int segLen = tcp.sequenceLength();
        long end = TCP.add(seq, segLen);
        Flow f = flows.computeIfAbsent(connectionId, k -> new Flow());
        Gather g = find(f, responseNumber, seq);
        if (g == null && segLen > 0 && f.sentAny && TCP.lessOrEqual(end, f.sentUpTo)) {
            return onRetransmission(f, connectionId, responseNumber, packet, offset, length, seq, end, nowNs);
        }
        if (g == null) {
            g = new Gather(responseNumber, seq, clusterSize);
            f.gathers.add(g);
        }
        int bit = 1 << fromRank;
        if ((g.contributed & bit) != 0) {
            suppressed++;
            return Outcome.SUPPRESSED;
        }
        g.versions[fromRank] = Arrays.copyOfRange(packet, offset, offset + ip.totalLength());
        g.contributed |= bit;
        if ((g.contributed & liveMask) == liveMask) {
            emit(connectionId, f, g);
            return Outcome.EMITTED;
        }
        return Outcome.GATHERING;
    }

    /** The client's ACK number on a segment of the connection (cluster space): what the client has. */
    public void onClientAck(long connectionId, long ack) {
        Flow f = flows.computeIfAbsent(connectionId, k -> new Flow());
        f.clientAck = f.ackSeen ? TCP.max(f.clientAck, ack) : ack;
        f.ackSeen = true;
    }

    /**
     * The live nodes changed (a node failed and was excluded, paper §5.2): gathers that now hold every
     * live node's version are released.
     *
     * @return how many gathers were released
     */
    public int onMembershipChange(int newLiveMask) {
        liveMask = newLiveMask;
        int released = 0;
        for (Map.Entry<Long, Flow> e : flows.entrySet()) {
            Flow f = e.getValue();
            for (Iterator<Gather> it = f.gathers.iterator(); it.hasNext();) {
                Gather g = it.next();
                if (liveMask != 0 && (g.contributed & liveMask) == liveMask) {
                    it.remove();
                    send(e.getKey(), f, g);
                    released++;
                }
            }
        }
        return released;
    }

    /** Forgets a connection (closed and reclaimed by CM). */
    public void onConnectionClosed(long connectionId) {
        flows.remove(connectionId);
    }

    // ------------------------------------------------------------------ counters

    /** Responses sent to the client after a complete gather. */
    public long emittedCount() {
        return emitted;
    }

    /** Responses whose live versions differed. */
    public long divergentCount() {
        return divergent;
    }

    /** Node retransmissions re-sent because the client's ACK showed them missing. */
    public long resentCount() {
        return resent;
    }

    /** Versions not sent (second versions of a node, ranges the client has). */
    public long suppressedCount() {
        return suppressed;
    }

    /** Versions dropped as malformed, pure ACKs or from non-live nodes. */
    public long droppedCount() {
        return dropped;
    }

    /** Gathers not yet complete, over all connections. */
    public int pendingCount() {
        int n = 0;
        for (Flow f : flows.values()) {
            n += f.gathers.size();
        }
        return n;
    }

    /** Whether a divergent response was seen on the connection. */
    public boolean diverged(long connectionId) {
        Flow f = flows.get(connectionId);
        return f != null && f.diverged;
    }

    // ------------------------------------------------------------------ internals

    private Outcome onRetransmission(Flow f, long connectionId, long responseNumber, byte[] packet, int offset,
            int length, long seq, long end, long nowNs) {
        boolean missing = f.ackSeen && TCP.lessThan(f.clientAck, end);
        boolean heldOff = f.resentAny && f.lastResentSequence == seq && nowNs - f.lastResentAtNs < resendHoldoffNs;
        if (!missing || heldOff) {
            suppressed++;
            return Outcome.SUPPRESSED;
        }
        f.resentAny = true;
        f.lastResentSequence = seq;
        f.lastResentAtNs = nowNs;
        resent++;
        sink.sendToClient(connectionId, responseNumber, packet, offset, ip.totalLength(), false, false);
        return Outcome.RESENT;
    }

    private static Gather find(Flow f, long responseNumber, long seq) {
        for (int i = 0; i < f.gathers.size(); i++) {
            Gather g = f.gathers.get(i);
            if (g.responseNumber == responseNumber && g.sequence == seq) {
                return g;
            }
        }
        return null;
    }

    private void emit(long connectionId, Flow f, Gather g) {
        f.gathers.remove(g);
        send(connectionId, f, g);
    }

    private void send(long connectionId, Flow f, Gather g) {
        int voters = g.contributed & liveMask;
        byte[] chosen = g.versions[Integer.numberOfTrailingZeros(voters)];
        boolean differs = false;
        for (int r = 0; r < clusterSize; r++) {
            if ((voters & (1 << r)) != 0 && g.versions[r] != chosen && !samePayload(chosen, g.versions[r])) {
                differs = true;
            }
        }
        boolean first = false;
        if (differs) {
            divergent++;
            first = !f.diverged;
            f.diverged = true;
        }
        tcp.wrap(ip.wrap(chosen, 0, chosen.length));
        long end = TCP.add(tcp.sequenceNumber(), tcp.sequenceLength());
        f.sentUpTo = f.sentAny ? TCP.max(f.sentUpTo, end) : end;
        f.sentAny = true;
        emitted++;
        sink.sendToClient(connectionId, g.responseNumber, chosen, 0, chosen.length, differs, first);
    }

    /** Same payload bytes and sequence length (FIN/SYN) in two versions; headers (IP id, window, checksum) may differ. */
    private boolean samePayload(byte[] a, byte[] b) {
        tcp.wrap(ip.wrap(a, 0, a.length));
        other.wrap(otherIp.wrap(b, 0, b.length));
        if (!other.isValid() || tcp.sequenceLength() != other.sequenceLength()) {
            return false;
        }
        return Arrays.equals(a, tcp.payloadOffset(), tcp.payloadOffset() + tcp.payloadLength(),
                b, other.payloadOffset(), other.payloadOffset() + other.payloadLength());
    }
}
