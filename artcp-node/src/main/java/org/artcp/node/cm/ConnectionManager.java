package org.artcp.node.cm;

import java.util.ArrayDeque;

import org.artcp.node.order.SerialNumbers;
import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpOptions;
import org.artcp.node.packet.TcpSegment;
import org.artcp.node.rc.ResponseNumbering;

/**
 * Connection management (CM, paper §4 and §5.1) of one node: the table of replicated connections,
 * the legality check of every client segment, and the translation of client segments for the local
 * stack and of the local stack's segments for the client, each written in place with incremental
 * checksum updates (RFC 1624). Pure and single-threaded: bytes and {@code nowNs} in, a
 * {@link SegmentDecision} out; no clock, no I/O, no allocation per segment except when a connection
 * is opened.
 *
 * <h2>Legality (paper §4: "it belongs to an established connection (or a SYN packet that initiates
 * a connection), and its sequence and ACK numbers are correct")</h2>
 * A client segment passes when its IPv4 and TCP headers are whole and their checksums verify, it is
 * addressed to the portal IP and not a fragment, and then:
 * <ul>
 *   <li>a SYN (no ACK, FIN or RST) opens a connection, or repeats the SYN of one with the same
 *       client ISN; its per-node options are stripped ({@link TcpOptions#stripPerNodeOptions});</li>
 *   <li>any other segment belongs to a connection in the table and carries an ACK (a RST may not);</li>
 *   <li>its sequence range lies within a window of RCV.NXT (back, for retransmissions; forward, for
 *       segments that overtook a lost one); a RST must start inside the receive window
 *       (RFC 5961 §3's in-window test, without its challenge ACK);</li>
 *   <li>its ACK number lies in {@code [SND.UNA − window, SND.MAX]} (RFC 9293 §3.10.7.4): it never
 *       acknowledges data that was not sent to the client. While a negligible read-only request is
 *       outstanding (another node answers it, and this node does not see those bytes) the upper bound
 *       is {@code SND.MAX + window}, and an accepted ACK beyond SND.MAX moves SND.MAX.</li>
 * </ul>
 * "Window" is the largest window the local stack advertised (scaled when both SYNs carried window
 * scale), at least 65,535 bytes. Every comparison is {@link SerialNumbers#TCP}. An illegal segment is
 * dropped and counted by {@link SegmentDropReason}, never thrown, and left untouched.
 *
 * <h2>Translation</h2>
 * {@link SequenceTranslator} per connection: a new SYN, FIN or data segment becomes the base
 * (equation 2's first case), a duplicate or pure ACK is a follow-up (equation 2), and every sequence
 * number goes through equation 1. Local segments get equation 3 and, as ACK number, the smaller of
 * equation 4 and the local stack's own ACK number moved into the client's space
 * ({@code Rsp_LAN + ΣReq_LEN_NRO}): equation 4 acknowledges the whole base, which overstates when a
 * client segment before the base was lost and the local stack still waits for it (the packet script
 * "a lost and retransmitted segment" shows the case the translator's interpretation 9 foresaw).
 *
 * <h2>Life cycle</h2>
 * States and transitions are {@link ConnectionState}. A connection whose handshake does not complete
 * within {@code handshakeTimeoutNs} (a SYN flood) and one that is closed (both FINs acknowledged, or a
 * RST) for {@code timeWaitNs} are reclaimed by {@link #reclaim(long)}; until then a closed connection
 * still passes retransmissions (a FIN whose ACK was lost), but no new data. An established connection
 * that falls silent stays: idleness is the application's business (TCP keepalive).
 *
 * <h2>Response numbers</h2>
 * Each request delivered to the local stack is recorded in the connection's {@link ResponseNumbering}
 * with the ordering number the caller passes (MO's), so that a local segment's decision carries its
 * response number (paper §4.1).
 */
public final class ConnectionManager {
    /**
     * Decides which client data segments are read-only requests (paper §4.2). The generic classifier
     * ({@link #GENERIC}) calls every data segment causal.
     */
    @FunctionalInterface
    public interface ReadOnlyClassifier {
        /** Every data segment is causal. */
        ReadOnlyClassifier GENERIC = (key, buffer, offset, length) -> false;

        /** Whether the payload {@code buffer[offset, offset + length)} of a new client segment is a read-only request. */
        boolean isReadOnly(long connectionKey, byte[] buffer, int offset, int length);
    }

    /** The smallest window the legality checks assume (an unscaled 16-bit window). */
    public static final long MIN_WINDOW_BYTES = 65_535;

    private static final SerialNumbers TCP = SerialNumbers.TCP;
    private static final int FLAGS_SYN_FIN_RST = TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST;

    private final int portalAddress;
    private final long isnSecret;
    private final int maxConnections;
    private final long timeWaitNs;
    private final long handshakeTimeoutNs;
    private final ReadOnlyClassifier classifier;
    private final boolean readOnlyElsewhere;
    private long gapsSkipped;

    private final ConnectionMap table;
    private final ArrayDeque<Connection> handshaking = new ArrayDeque<>();
    private final ArrayDeque<Connection> closed = new ArrayDeque<>();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final SegmentDecision clientDecision = new SegmentDecision();
    private final SegmentDecision localDecision = new SegmentDecision();
    private final SegmentDecision admissionDecision = new SegmentDecision();
    private final long[] clientDrops = new long[SegmentDropReason.values().length];
    private final long[] localDrops = new long[SegmentDropReason.values().length];
    private final long[] admissionDrops = new long[SegmentDropReason.values().length];
    private long opened;
    private long reclaimed;

    /**
     * @param portalAddress the portal IPv4 address (network order as an {@code int})
     * @param isnSecret the cluster's secret for {@link SequenceTranslator#clusterIsn}
     * @param maxConnections the most connections the table holds; further SYNs are dropped
     * @param timeWaitNs how long a closed connection stays for retransmissions before it is reclaimed
     * @param handshakeTimeoutNs how long a connection may stay in {@link ConnectionState#SYN_SEEN}
     * @param classifier which data segments are read-only ({@link ReadOnlyClassifier#GENERIC}: none)
     */
    public ConnectionManager(int portalAddress, long isnSecret, int maxConnections, long timeWaitNs,
            long handshakeTimeoutNs, ReadOnlyClassifier classifier) {
        this(portalAddress, isnSecret, maxConnections, timeWaitNs, handshakeTimeoutNs, classifier, false);
    }

    /**
     * @param readOnlyElsewhere whether read-only requests exist (the primary classifies them before
     *        admission, and admits new client data only in stream order): a gap before a new causal
     *        request is a read-only request served elsewhere whose notice has not arrived
     *        ({@link SequenceTranslator#skipGapBefore}), and a client may acknowledge response bytes
     *        another node sent, so ACKs are checked against a window beyond what this node sent; the
     *        protocol is strictly request/response (MySQL), so a new request acknowledges every byte the
     *        local stack sent ({@link SequenceTranslator#acknowledgeEverythingOnNewRequest})
     */
    public ConnectionManager(int portalAddress, long isnSecret, int maxConnections, long timeWaitNs,
            long handshakeTimeoutNs, ReadOnlyClassifier classifier, boolean readOnlyElsewhere) {
        if (maxConnections < 1 || timeWaitNs < 0 || handshakeTimeoutNs < 0) {
            throw new IllegalArgumentException("bad limits: " + maxConnections + ", " + timeWaitNs + ", " + handshakeTimeoutNs);
        }
        this.portalAddress = portalAddress;
        this.isnSecret = isnSecret;
        this.maxConnections = maxConnections;
        this.timeWaitNs = timeWaitNs;
        this.handshakeTimeoutNs = handshakeTimeoutNs;
        this.classifier = classifier;
        this.readOnlyElsewhere = readOnlyElsewhere;
        this.table = new ConnectionMap(Math.min(maxConnections, 1024));
    }

    // ------------------------------------------------------------------ client segments

    /**
     * A client segment: the IPv4 packet {@code buffer[offset, offset + length)}. Checks it, and when
     * it is legal and not read-only, translates its sequence and ACK numbers in place for the local
     * stack (strips the SYN's per-node options), fixing the TCP checksum incrementally.
     *
     * @param orderingNumber the ordering number MO gave the segment's message (recorded for response
     *        numbers when the segment is a new causal request; ignored otherwise)
     * @return the decision, valid until the next client segment
     */
    public SegmentDecision onClientSegment(byte[] buffer, int offset, int length, long orderingNumber, long nowNs) {
        SegmentDecision d = clientDecision;
        Connection c = check(d, buffer, offset, length, clientDrops);
        if (d.kind == SegmentDecision.Kind.DROP) {
            return d;
        }
        int flags = tcp.flags();
        long key = d.connectionKey;
        if ((flags & TcpSegment.SYN) != 0) {
            return onClientSyn(d, c, key, orderingNumber, nowNs);
        }
        long seq = tcp.sequenceNumber();
        int segLen = tcp.sequenceLength();
        long end = TCP.add(seq, segLen);
        boolean ack = (flags & TcpSegment.ACK) != 0;
        if ((flags & TcpSegment.RST) != 0) {
            long lan = ack ? c.translator.onFollowUp(tcp.acknowledgmentNumber()) : 0;
            rewrite(d, c.translator.localSequence(seq), ack, lan, segLen);
            c.reset = true;
            close(c, ConnectionEvent.RESET, nowNs);
            d.state = c.state;
            d.kind = SegmentDecision.Kind.CAUSAL;
            return d;
        }
        long can = tcp.acknowledgmentNumber();
        boolean isNew = segLen > 0 && TCP.greaterThan(end, c.clientNext);
        // Legal from here on.
        c.clientAcked = TCP.max(c.clientAcked, can);
        c.sentMax = TCP.max(c.sentMax, can);
        if (TCP.greaterOrEqual(can, TCP.next(c.translator.clusterIsn()))) {
            c.on(ConnectionEvent.HANDSHAKE_ACK);
        }
        if (c.serverFinSeen && TCP.greaterOrEqual(can, c.serverFinEnd)) {
            c.serverFinAcked = true;
        }
        int payload = tcp.payloadLength();
        boolean fin = (flags & TcpSegment.FIN) != 0;
        if (d.kind == SegmentDecision.Kind.READ_ONLY) {
            // Not translated: whether this node serves it is known only once MO scheduled it.
            c.clientNext = end;
            d.sequenceNumber = seq;
            d.acknowledgmentNumber = can;
            d.sequenceLength = segLen;
            d.state = c.state;
            return d;
        }
        if (isNew && readOnlyElsewhere && c.translator.skipGapBefore(seq) > 0) {
            gapsSkipped++;
        }
        long lsn = c.translator.localSequence(seq);
        long lan;
        if (isNew) {
            c.readOnlyBase = false;
            lan = c.translator.onBaseRequest(seq, can, segLen);
            c.numbering.record(orderingNumber, lsn, segLen);
            c.clientNext = end;
            if (fin) {
                c.clientFinSeen = true;
                c.clientFinLocalEnd = TCP.add(lsn, segLen);
                c.on(ConnectionEvent.CLIENT_FIN);
            }
        } else {
            lan = c.translator.onFollowUp(can);
            d.duplicate = segLen > 0;
        }
        rewrite(d, lsn, true, lan, segLen);
        checkBothFinsAcknowledged(c, nowNs);
        d.state = c.state;
        return d;
    }

    /**
     * The primary's admission check (paper §4: CM checks every client packet before MO orders it):
     * the same legality checks as {@link #onClientSegment}, without changing the segment or the
     * connection table. Drops are counted apart ({@link #admissionDrops}).
     *
     * @return the decision: DROP with its reason, or the kind the segment would get (CAUSAL, READ_ONLY
     *         or PURE_ACK) with the segment's own (untranslated) sequence and ACK numbers, and
     *         {@link SegmentDecision#duplicate()} set for data that carries no new sequence space;
     *         valid until the next admission
     */
    public SegmentDecision admit(byte[] buffer, int offset, int length) {
        SegmentDecision d = admissionDecision;
        Connection c = check(d, buffer, offset, length, admissionDrops);
        if (d.kind == SegmentDecision.Kind.DROP) {
            return d;
        }
        int segLen = tcp.sequenceLength();
        d.sequenceNumber = tcp.sequenceNumber();
        d.acknowledgmentNumber = tcp.acknowledgmentNumber();
        d.sequenceLength = segLen;
        if (c != null && (tcp.flags() & TcpSegment.SYN) == 0) {
            d.duplicate = segLen > 0 && !TCP.greaterThan(TCP.add(tcp.sequenceNumber(), segLen), c.clientNext);
        }
        return d;
    }

    /**
     * The legality checks of a client segment, changing nothing but {@code d} and the drop counters.
     * Sets {@code d.kind} to DROP (counted in {@code drops}) or to the kind the segment gets, and
     * leaves the flyweights on the segment.
     *
     * @return the segment's connection ({@code null} for a SYN that opens one, or a drop)
     */
    private Connection check(SegmentDecision d, byte[] buffer, int offset, int length, long[] drops) {
        d.reset();
        SegmentDropReason bad = parse(buffer, offset, length);
        if (bad == null && ip.destination() != portalAddress) {
            bad = SegmentDropReason.NOT_PORTAL;
        }
        if (bad == null && !tcp.verifyChecksum(ip.source(), ip.destination())) {
            bad = SegmentDropReason.BAD_CHECKSUM;
        }
        if (bad != null) {
            drop(d, drops, bad);
            return null;
        }
        int flags = tcp.flags();
        boolean syn = (flags & TcpSegment.SYN) != 0;
        boolean rst = (flags & TcpSegment.RST) != 0;
        boolean ack = (flags & TcpSegment.ACK) != 0;
        if (syn && (ack || (flags & (TcpSegment.FIN | TcpSegment.RST)) != 0) || !syn && !ack && !rst) {
            drop(d, drops, SegmentDropReason.BAD_FLAGS);
            return null;
        }
        long key = ConnectionKey.of(ip.source(), tcp.sourcePort(), tcp.destinationPort());
        d.connectionKey = key;
        Connection c = table.get(key);
        if (c != null) {
            d.state = c.state;
        }
        if (syn) {
            if (c != null && c.clientIsn != tcp.sequenceNumber()) {
                drop(d, drops, SegmentDropReason.SYN_MISMATCH);
            } else if (c == null && table.size() >= maxConnections) {
                drop(d, drops, SegmentDropReason.TABLE_FULL);
            } else {
                d.kind = SegmentDecision.Kind.CAUSAL;
            }
            return c;
        }
        if (c == null) {
            drop(d, drops, SegmentDropReason.NO_CONNECTION);
            return null;
        }
        if (c.reset) {
            drop(d, drops, SegmentDropReason.CONNECTION_CLOSED);
            return null;
        }
        if (!c.translator.localIsnKnown()) {
            drop(d, drops, SegmentDropReason.AWAITING_LOCAL_SYN_ACK);
            return null;
        }
        long seq = tcp.sequenceNumber();
        int segLen = tcp.sequenceLength();
        long end = TCP.add(seq, segLen);
        long window = c.windowBytes;
        if (rst) {
            if (!(TCP.greaterOrEqual(seq, c.clientNext) && TCP.lessThan(seq, TCP.add(c.clientNext, window)))) {
                drop(d, drops, SegmentDropReason.SEQUENCE_OUT_OF_WINDOW);
                return null;
            }
            d.kind = SegmentDecision.Kind.CAUSAL;
            return c;
        }
        if (TCP.lessThan(seq, TCP.add(c.clientNext, -window)) || TCP.greaterThan(end, TCP.add(c.clientNext, window))) {
            drop(d, drops, SegmentDropReason.SEQUENCE_OUT_OF_WINDOW);
            return null;
        }
        long can = tcp.acknowledgmentNumber();
        // While a negligible read-only request is answered by another node, this node cannot see
        // those response bytes: the client may acknowledge up to a window beyond what this node sent.
        long ackLimit = readOnlyElsewhere || c.translator.phase() == SequenceTranslator.Phase.NEGLIGIBLE
                ? TCP.add(c.sentMax, window) : c.sentMax;
        if (TCP.greaterThan(can, ackLimit) || TCP.lessThan(can, TCP.add(c.clientAcked, -window))) {
            drop(d, drops, SegmentDropReason.ACK_OUT_OF_WINDOW);
            return null;
        }
        boolean isNew = segLen > 0 && TCP.greaterThan(end, c.clientNext);
        if (isNew && c.state.isClosed()) {
            drop(d, drops, SegmentDropReason.CONNECTION_CLOSED);
            return null;
        }
        boolean fin = (flags & TcpSegment.FIN) != 0;
        if (isNew && !fin && classifier.isReadOnly(key, buffer, tcp.payloadOffset(), tcp.payloadLength())) {
            d.kind = SegmentDecision.Kind.READ_ONLY;
        } else {
            d.kind = segLen == 0 ? SegmentDecision.Kind.PURE_ACK : SegmentDecision.Kind.CAUSAL;
        }
        return c;
    }

    private SegmentDecision onClientSyn(SegmentDecision d, Connection c, long key, long orderingNumber, long nowNs) {
        long isn = tcp.sequenceNumber();
        if (c == null) {
            long clusterIsn = SequenceTranslator.clusterIsn(isnSecret, ip.source(), tcp.sourcePort(), portalAddress,
                    tcp.destinationPort(), isn);
            c = new Connection(key, isn, clusterIsn);
            if (readOnlyElsewhere) {
                c.translator.acknowledgeEverythingOnNewRequest();
            }
            c.clientOfferedWindowScale = tcp.windowScale() >= 0;
            c.clientNext = TCP.next(isn);
            c.windowBytes = MIN_WINDOW_BYTES;
            c.translator.onClientSyn(isn);
            c.numbering.record(orderingNumber, isn, 1);
            c.deadlineNs = nowNs + handshakeTimeoutNs;
            table.put(c);
            handshaking.addLast(c);
            opened++;
        } else {
            d.duplicate = true;
        }
        TcpOptions.stripPerNodeOptions(tcp);
        rewrite(d, c.translator.localSequence(isn), false, 0, 1);
        d.state = c.state;
        d.kind = SegmentDecision.Kind.CAUSAL;
        return d;
    }

    /**
     * A client read-only segment ({@link SegmentDecision.Kind#READ_ONLY}) that MO has scheduled:
     * translated in place as a base request when this node is its duty node, or counted into
     * ΣReq_LEN_NRO when it is negligible here (paper §4.2, §5.1).
     *
     * @param duty whether this node serves it
     * @param orderingNumber the number its responses are to carry (recorded for the duty node)
     * @return whether the segment was translated for delivery (false: negligible, or no longer
     *         translatable, and the caller drops it)
     */
    public boolean onReadOnlyScheduled(byte[] buffer, int offset, int length, boolean duty, long orderingNumber) {
        if (parse(buffer, offset, length) != null) {
            return false;
        }
        Connection c = table.get(ConnectionKey.of(ip.source(), tcp.sourcePort(), tcp.destinationPort()));
        if (c == null || !c.translator.localIsnKnown()) {
            return false;
        }
        long seq = tcp.sequenceNumber();
        int segLen = tcp.sequenceLength();
        long end = TCP.add(seq, segLen);
        if ((tcp.flags() & TcpSegment.ACK) != 0) {
            // Legal (the primary admitted it): its ACK moves the window the legality checks use, as a
            // delivered segment's does. A client reading over and over acknowledges only answers other
            // nodes sent; without this its ACKs left this node's window after 64 KiB and every later
            // segment was refused (ACK_OUT_OF_WINDOW).
            long can = tcp.acknowledgmentNumber();
            c.clientAcked = TCP.max(c.clientAcked, can);
            c.sentMax = TCP.max(c.sentMax, can);
        }
        if (!duty) {
            c.translator.onNegligibleReadOnly(seq, tcp.payloadLength());
            c.clientNext = TCP.max(c.clientNext, end);
            return false;
        }
        if (!c.translator.carriesNewBytes(seq, segLen) && !c.translator.reclaimLastNegligible(seq, segLen)) {
            return false; // a late notice of a request this node has passed already
        }
        if (readOnlyElsewhere && c.translator.skipGapBefore(seq) > 0) {
            gapsSkipped++;
        }
        c.clientNext = end;
        c.readOnlyBase = true;
        long lsn = c.translator.localSequence(seq);
        long lan = c.translator.onBaseRequest(seq, tcp.acknowledgmentNumber(), segLen);
        c.numbering.record(orderingNumber, lsn, segLen);
        tcp.rewriteSequenceNumber(lsn).rewriteAcknowledgmentNumber(lan);
        return true;
    }

    // ------------------------------------------------------------------ local-stack segments

    /**
     * A segment the local stack sent (read from the TUN device): the IPv4 packet
     * {@code buffer[offset, offset + length)} from the portal IP to a client. Translates its sequence
     * and ACK numbers in place for the client, fixing the TCP checksum incrementally, and numbers it.
     *
     * @return the decision (kind {@code RESPONSE}, {@code PURE_ACK_RESPONSE} or {@code DROP}), valid
     *         until the next local segment
     */
    public SegmentDecision onLocalSegment(byte[] buffer, int offset, int length, long nowNs) {
        SegmentDecision d = localDecision;
        d.reset();
        SegmentDropReason bad = parse(buffer, offset, length);
        if (bad == null && ip.source() != portalAddress) {
            bad = SegmentDropReason.NOT_PORTAL;
        }
        if (bad == null && !tcp.verifyChecksum(ip.source(), ip.destination())) {
            bad = SegmentDropReason.BAD_CHECKSUM;
        }
        if (bad != null) {
            return drop(d, localDrops, bad);
        }
        long key = ConnectionKey.of(ip.destination(), tcp.destinationPort(), tcp.sourcePort());
        d.connectionKey = key;
        Connection c = table.get(key);
        if (c == null) {
            return drop(d, localDrops, SegmentDropReason.NO_CONNECTION);
        }
        d.state = c.state;
        SequenceTranslator t = c.translator;
        int flags = tcp.flags();
        boolean ack = (flags & TcpSegment.ACK) != 0;
        long lsn = tcp.sequenceNumber();
        long lan = tcp.acknowledgmentNumber();
        int segLen = tcp.sequenceLength();
        long csn;
        if ((flags & TcpSegment.SYN) != 0) {
            if (!ack || t.localIsnKnown() && lsn != t.localIsn()) {
                return drop(d, localDrops, SegmentDropReason.BAD_FLAGS);
            }
            csn = t.onLocalSynAck(lsn);
            int scale = tcp.windowScale();
            c.serverWindowScale = c.clientOfferedWindowScale && scale >= 0 ? Math.min(scale, 14) : 0;
        } else if (!t.localIsnKnown()) {
            if ((flags & TcpSegment.RST) == 0 || !ack) {
                return drop(d, localDrops, SegmentDropReason.AWAITING_LOCAL_SYN_ACK);
            }
            // The local stack refused the connection (nothing listens): its RST answers the SYN. A client
            // in SYN-SENT checks only that the RST acknowledges its SYN (RFC 9293 §3.10.7.3), and before
            // the handshake nothing is negligible, so the ACK number is the client's own space already.
            rewrite(d, t.clusterIsn(), true, lan, 0);
            c.reset = true;
            close(c, ConnectionEvent.RESET, nowNs);
            d.state = c.state;
            d.kind = SegmentDecision.Kind.RESPONSE;
            return d;
        } else {
            csn = t.responseSequence(lsn, segLen);
        }
        long can = 0;
        if (ack) {
            long eq4 = t.responseAck();
            long localInClientSpace = TCP.add(lan, t.negligibleBytes());
            can = TCP.min(eq4, localInClientSpace);
            d.responseNumber = c.numbering.responseNumber(lan);
            if (c.clientFinSeen && TCP.greaterOrEqual(lan, c.clientFinLocalEnd)) {
                c.clientFinAcked = true;
            }
        }
        long scaledWindow = (flags & TcpSegment.SYN) != 0 ? tcp.window() : (long) tcp.window() << c.serverWindowScale;
        c.windowBytes = Math.max(c.windowBytes, scaledWindow);
        long end = TCP.add(csn, segLen);
        c.sentMax = TCP.max(c.sentMax, end);
        rewrite(d, csn, ack, can, segLen);
        if ((flags & TcpSegment.RST) != 0) {
            c.reset = true;
            close(c, ConnectionEvent.RESET, nowNs);
        } else {
            if ((flags & TcpSegment.FIN) != 0 && !c.serverFinSeen) {
                c.serverFinSeen = true;
                c.serverFinEnd = end;
                c.on(ConnectionEvent.SERVER_FIN);
            }
            checkBothFinsAcknowledged(c, nowNs);
        }
        d.state = c.state;
        d.readOnlyResponse = c.readOnlyBase && (flags & (TcpSegment.SYN | TcpSegment.RST)) == 0;
        d.kind = ResponseNumbering.isPureAck(flags, tcp.payloadLength()) ? SegmentDecision.Kind.PURE_ACK_RESPONSE
                : SegmentDecision.Kind.RESPONSE;
        return d;
    }

    // ------------------------------------------------------------------ time

    /**
     * Removes the connections whose handshake timed out or whose TIME_WAIT passed by {@code nowNs}.
     *
     * @return how many were removed
     */
    public int reclaim(long nowNs) {
        int n = 0;
        while (!handshaking.isEmpty() && handshaking.peekFirst().deadlineNs - nowNs <= 0) {
            Connection c = handshaking.pollFirst();
            if (c.state == ConnectionState.SYN_SEEN && table.remove(c)) {
                n++;
            }
        }
        while (!closed.isEmpty() && closed.peekFirst().deadlineNs - nowNs <= 0) {
            if (table.remove(closed.pollFirst())) {
                n++;
            }
        }
        reclaimed += n;
        return n;
    }

    // ------------------------------------------------------------------ state, for the shell and tests

    /** The connection of {@code key}, or {@code null}. */
    public Connection connection(long key) {
        return table.get(key);
    }

    /** The number of connections in the table (closed ones not yet reclaimed included). */
    public int size() {
        return table.size();
    }

    /** Gaps before a new request counted as read-only requests served elsewhere ({@link SequenceTranslator#skipGapBefore}). */
    public long gapsSkippedCount() {
        return gapsSkipped;
    }

    /** Connections opened so far. */
    public long openedCount() {
        return opened;
    }

    /** Connections reclaimed so far. */
    public long reclaimedCount() {
        return reclaimed;
    }

    /** Client segments dropped for {@code reason}. */
    public long clientDrops(SegmentDropReason reason) {
        return clientDrops[reason.ordinal()];
    }

    /** Local-stack segments dropped for {@code reason}. */
    public long localDrops(SegmentDropReason reason) {
        return localDrops[reason.ordinal()];
    }

    /** Client segments the admission check ({@link #admit}) refused for {@code reason}. */
    public long admissionDrops(SegmentDropReason reason) {
        return admissionDrops[reason.ordinal()];
    }

    /** All client segments the admission check refused. */
    public long admissionDropsTotal() {
        return sum(admissionDrops);
    }

    /** All client segments dropped. */
    public long clientDropsTotal() {
        return sum(clientDrops);
    }

    /** All local-stack segments dropped. */
    public long localDropsTotal() {
        return sum(localDrops);
    }

    // ------------------------------------------------------------------ internals

    /** Wraps the flyweights and checks what both directions need; the reason to drop, or {@code null}. */
    private SegmentDropReason parse(byte[] buffer, int offset, int length) {
        ip.wrap(buffer, offset, length);
        if (!ip.isValid()) {
            return SegmentDropReason.MALFORMED;
        }
        if (ip.protocol() != Ipv4Packet.PROTOCOL_TCP) {
            return SegmentDropReason.NOT_TCP;
        }
        if (ip.isFragment()) {
            return SegmentDropReason.FRAGMENT;
        }
        if (!ip.verifyHeaderChecksum()) {
            return SegmentDropReason.BAD_CHECKSUM;
        }
        tcp.wrap(ip);
        if (!tcp.isValid() || !tcp.optionsWellFormed()) {
            return SegmentDropReason.MALFORMED;
        }
        return null;
    }

    private void rewrite(SegmentDecision d, long seq, boolean hasAck, long ack, int segLen) {
        tcp.rewriteSequenceNumber(seq);
        if (hasAck) {
            tcp.rewriteAcknowledgmentNumber(ack);
        }
        d.sequenceNumber = seq;
        d.acknowledgmentNumber = hasAck ? ack : 0;
        d.sequenceLength = segLen;
    }

    private void checkBothFinsAcknowledged(Connection c, long nowNs) {
        if (c.state == ConnectionState.CLOSING && c.clientFinAcked && c.serverFinAcked) {
            close(c, ConnectionEvent.BOTH_FINS_ACKNOWLEDGED, nowNs);
        }
    }

    private void close(Connection c, ConnectionEvent event, long nowNs) {
        boolean wasClosed = c.state.isClosed();
        c.on(event);
        if (!wasClosed && c.state.isClosed()) {
            c.deadlineNs = nowNs + timeWaitNs;
            closed.addLast(c);
        }
    }

    private static SegmentDecision drop(SegmentDecision d, long[] counters, SegmentDropReason reason) {
        counters[reason.ordinal()]++;
        d.kind = SegmentDecision.Kind.DROP;
        d.dropReason = reason;
        return d;
    }

    private static long sum(long[] counts) {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
