package org.artcp.node.dataplane;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.artcp.node.ClientRequestOutcome;
import org.artcp.node.NodeConfig;
import org.artcp.node.NodeCore;
import org.artcp.node.NodeSink;
import org.artcp.node.RequestKind;
import org.artcp.node.cm.ConnectionManager;
import org.artcp.node.cm.SegmentDecision;
import org.artcp.node.cm.SegmentDropReason;
import org.artcp.node.membership.NodeRole;
import org.artcp.node.net.LinuxNet;
import org.artcp.node.net.NativeException;
import org.artcp.node.net.PacketInfo;
import org.artcp.node.order.SerialNumbers;
import org.artcp.node.packet.ArpPacket;
import org.artcp.node.packet.EthernetFrame;
import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.packet.TcpSegment;
import org.artcp.node.process.NodeProcessConfig;
import org.artcp.node.rc.StreamAggregator;
import org.artcp.node.wire.DropReason;
import org.artcp.node.wire.FrameAuthenticator;
import org.artcp.node.wire.FrameType;
import org.artcp.node.wire.FrameValidator;
import org.artcp.node.wire.TunnelFrame;

/**
 * The I/O shell of one node (DESIGN §2–3): one thread that moves bytes between the kernel and the
 * pure cores, blocking in {@code poll(2)} when idle.
 *
 * <pre>
 *  LAN (AF_PACKET, primary only) ─ CM.admit ─ NodeCore (MO) ─ tunnel (UDP) ─▶ every node
 *  every node: NodeCore delivers ─ CM translates ─ TUN ─ kernel TCP ─ local server
 *              kernel TCP ─ TUN ─ CM translates ─ RESPONSE frame ─▶ the connection's aggregator
 *  aggregator: StreamAggregator ─ raw IP socket (SO_MARK, past the TUN route) ─▶ client
 *  primary:    answers ARP for the portal IP, announces it with a gratuitous ARP
 * </pre>
 *
 * <p>One aggregator per connection: the ring member that the paper's rule {@code (x % (N-1)) + 1}
 * gives for the ordering number of the connection's SYN, under the ring stamped on it, replaced by
 * its successor when it fails ({@link NodeCore#aggregatorFor}). Every response byte of a connection
 * goes there, because {@link StreamAggregator} gathers byte streams (see its Javadoc for why).
 *
 * <p>Not thread-safe: {@link #run} owns everything; {@link #snapshot} is safe from other threads.
 */
public final class DataPlane implements NodeSink, StreamAggregator.Sink {
    /** {@code SO_MARK} of the raw socket's packets; policy routing sends them to the LAN (see {@code HostSetup}). */
    public static final int RESPONSE_MARK = 0xA7C9;

    private static final int MAX_BATCH = 256;
    private static final long RECLAIM_INTERVAL_NS = 100_000_000L;
    private static final long TIME_WAIT_NS = 2_000_000_000L;
    private static final long HANDSHAKE_TIMEOUT_NS = 5_000_000_000L;
    private static final long RESEND_HOLDOFF_NS = 20_000_000L;
    /**
     * How long the aggregator holds the reference's response bytes for a live node that sent fewer
     * (its replica answered differently, or it is slow) before sending them without it. Long: a slow
     * node that is overtaken sends the rest of its answer late, and with MySQL's realignment at the
     * next request those bytes land in its next answer (500 ms overtook a replica building a FULLTEXT
     * index on a loaded CI machine, and that replica then answered a read with the old OK packet).
     */
    private static final long LAG_LIMIT_NS = 5_000_000_000L;
    private static final int MAX_CONNECTIONS = 65_536;
    /** The most response bytes kept per connection for a new aggregator (a stack's send window is less). */
    private static final long MAX_UNACKNOWLEDGED_BYTES = 16L << 20;

    private final NodeProcessConfig config;
    private final LinuxNet net;
    private final int self;
    private final int portal;
    private final int[] nodeAddresses;
    private final NodeCore core;
    private final ConnectionManager cm;
    private final StreamAggregator aggregator;
    private final FrameValidator validator;
    private final FrameAuthenticator authenticator;
    private final long ourMac;
    private final int lanFd;
    private final int arpFd;
    private final int tunFd;
    private final int udpFd;
    private final int rawFd;
    private final int[] fds;
    private final boolean[] readable;
    private final byte[] rx = new byte[70_000];
    private final byte[] scratch = new byte[70_000];
    private final byte[] frameOut = new byte[TunnelFrame.frameLength(TunnelFrame.MAX_PAYLOAD_LENGTH)];
    private final byte[] arpOut = new byte[ArpPacket.LENGTH];
    private final PacketInfo info = new PacketInfo();
    private final TunnelFrame frame = new TunnelFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final ArpPacket arp = new ArpPacket();
    private final Counters counters = new Counters();
    /**
     * Per connection: the ordering number of its SYN, the ring stamped on it (which aggregator), and the
     * aggregator this node last sent the connection's versions to (to see it change after a failure).
     */
    private final Map<Long, long[]> aggregation = new HashMap<>();
    /**
     * Per connection: the response versions with data this node sent to the aggregator and the client
     * has not acknowledged, oldest first. When the aggregator fails, they go again to its successor
     * (paper §5.2 leaves that to the nodes' TCP retransmissions, which back off to a second or more).
     */
    private final Map<Long, Kept> unacknowledged = new HashMap<>();
    /** Bytes held in {@link #unacknowledged}, over every connection. */
    private long unacknowledgedBytes;
    private final java.io.PrintStream log;
    /** MySQL classification and handshake rewriting; {@code null} for the generic classifier. */
    private final MysqlTraffic mysql;
    private long nowNs;
    private long nextReclaimNs;
    private int lastLiveMask;
    private NodeRole lastRole;
    private long lastExcludedPeerHeartbeats;
    private volatile Snapshot snapshot;

    /**
     * Opens every descriptor the node needs (the host must be set up already: TUN device name free,
     * LAN interface present) and builds the cores.
     */
    public DataPlane(NodeProcessConfig config, LinuxNet net, java.io.PrintStream log)
            throws NativeException, java.io.IOException {
        this.config = config;
        this.net = net;
        this.log = log;
        this.self = config.rank();
        this.portal = config.portal();
        this.nodeAddresses = config.nodes().stream().mapToInt(Integer::intValue).toArray();
        long now = System.nanoTime();
        NodeConfig nc = new NodeConfig(config.clusterId(), nodeAddresses.length, config.clusterKey(), config.delivery(),
                SerialNumbers.MAX_ORDERING_BOUND, 0, 1024, config.heartbeatMs() * 1_000_000L,
                config.failureTimeoutMs() * 1_000_000L, 200_000L, 2_000_000L, config.readOnlyIncludesPrimary(), 0);
        this.core = new NodeCore(nc, self, this, now, config.startupGraceMs() * 1_000_000L,
                config.failureTimeoutMs() * 1_000_000L / 4, Math.min(config.startupGraceMs(), 2_000) * 1_000_000L);
        this.cm = new ConnectionManager(portal, isnSecret(config.clusterKey()), MAX_CONNECTIONS, TIME_WAIT_NS,
                HANDSHAKE_TIMEOUT_NS, ConnectionManager.ReadOnlyClassifier.GENERIC, config.classifier().equals("mysql"));
        this.mysql = config.classifier().equals("mysql") ? new MysqlTraffic(config, log) : null;
        this.lastLiveMask = core.liveMask();
        this.aggregator = new StreamAggregator(nodeAddresses.length, lastLiveMask, RESEND_HOLDOFF_NS, LAG_LIMIT_NS, this);
        this.authenticator = new FrameAuthenticator(config.clusterKey());
        this.validator = new FrameValidator(config.clusterId(), nodeAddresses.length, authenticator);
        this.ourMac = mac(net.macAddress(config.lanInterface()));
        this.tunFd = net.openTun(config.tunDevice());
        this.lanFd = net.openPacketSocket(config.lanInterface(), LinuxNet.ETH_P_IP);
        this.arpFd = net.openPacketSocket(config.lanInterface(), LinuxNet.ETH_P_ARP);
        this.udpFd = net.openUdpSocket(0, config.tunnelPort(), config.tunnelGroup(), config.selfAddress());
        this.rawFd = net.openRawIpSocket(RESPONSE_MARK);
        this.fds = new int[] {udpFd, lanFd, tunFd, arpFd};
        this.readable = new boolean[fds.length];
        this.lastRole = core.role();
        this.snapshot = takeSnapshot(false, false);
    }

    /** The cluster's secret for the ISN mapping, derived from the cluster key (every node computes the same). */
    static long isnSecret(byte[] clusterKey) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(clusterKey);
            d.update("artcp isn secret".getBytes(StandardCharsets.US_ASCII));
            byte[] h = d.digest();
            long s = 0;
            for (int i = 0; i < 8; i++) {
                s = s << 8 | (h[i] & 0xFF);
            }
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long mac(byte[] b) {
        long m = 0;
        for (byte x : b) {
            m = m << 8 | (x & 0xFF);
        }
        return m;
    }

    private static byte[] macBytes(long m) {
        byte[] b = new byte[6];
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) m;
            m >>>= 8;
        }
        return b;
    }

    /** Runs until {@code stop} says so; then closes every descriptor. */
    public void run(BooleanSupplier stop) throws NativeException {
        try {
            nowNs = System.nanoTime();
            if (core.role() == NodeRole.PRIMARY) {
                announcePortal();
            }
            snapshot = takeSnapshot(true, false);
            long nextSnapshotNs = nowNs;
            long snapshotIntervalNs = config.statusIntervalMs() * 1_000_000L / 2;
            int pollMillis = (int) Math.max(1, Math.min(10, config.heartbeatMs() / 2));
            while (!stop.getAsBoolean() && core.role() != NodeRole.STOPPED) {
                net.pollReadable(fds, readable, pollMillis);
                nowNs = System.nanoTime();
                if (readable[0]) {
                    drainTunnel();
                }
                if (readable[1]) {
                    drainLan();
                }
                if (readable[2]) {
                    drainTun();
                }
                if (readable[3]) {
                    drainArp();
                }
                nowNs = System.nanoTime();
                core.doWork(nowNs);
                followMembership();
                if (nowNs - nextReclaimNs >= 0) {
                    nextReclaimNs = nowNs + RECLAIM_INTERVAL_NS;
                    reclaim();
                    aggregator.onTick(nowNs);
                    counters.lanKernelDrops += net.takePacketDrops(lanFd);
                }
                if (nowNs - nextSnapshotNs >= 0) {
                    nextSnapshotNs = nowNs + snapshotIntervalNs;
                    snapshot = takeSnapshot(true, false);
                }
            }
            snapshot = takeSnapshot(true, true);
        } finally {
            for (int fd : new int[] {lanFd, arpFd, udpFd, rawFd, tunFd}) {
                net.close(fd);
            }
        }
    }

    /** The latest status, for the status writer (any thread). */
    public Snapshot snapshot() {
        return snapshot;
    }

    // ------------------------------------------------------------------ LAN: client segments (primary)

    private void drainLan() throws NativeException {
        for (int i = 0; i < MAX_BATCH; i++) {
            int n = net.receivePacket(lanFd, rx, 0, rx.length, info);
            if (n < 0) {
                return;
            }
            if (info.packetType == LinuxNet.PACKET_OUTGOING || n < Ipv4Packet.MIN_HEADER_LENGTH
                    || (rx[0] & 0xF0) != 0x40 || ip.wrap(rx, 0, n).destination() != portal) {
                continue;
            }
            counters.lanIn++;
            onClientPacket(n);
        }
    }

    private void onClientPacket(int n) {
        if (core.role() != NodeRole.PRIMARY) {
            counters.clientNotPrimary++;
            return;
        }
        SegmentDecision d = cm.admit(rx, 0, n);
        if (d.kind() == SegmentDecision.Kind.DROP) {
            counters.clientRefused++;
            return;
        }
        long conn = d.connectionKey();
        long seq = d.sequenceNumber();
        RequestKind kind = switch (d.kind()) {
            case PURE_ACK -> RequestKind.PURE_ACK;
            case READ_ONLY -> RequestKind.READ_ONLY;
            default -> d.duplicate() ? RequestKind.PURE_ACK : RequestKind.CAUSAL;
        };
        boolean onPreviousDutyNode = false;
        if (mysql != null && d.kind() == SegmentDecision.Kind.CAUSAL && d.state() != null
                && (tcp.wrap(ip.wrap(rx, 0, n)).flags() & (TcpSegment.SYN | TcpSegment.RST)) == 0) {
            long clientIsn = cm.connection(conn).clientIsn();
            if (!d.duplicate()) {
                MysqlTraffic.Admission a = mysql.admit(conn, clientIsn, rx, n);
                if (a == MysqlTraffic.Admission.OUT_OF_ORDER) {
                    counters.clientRefused++; // counted by reason in mysql.outOfOrderRefused; the client retransmits
                    return;
                }
                kind = a == MysqlTraffic.Admission.READ_ONLY ? RequestKind.READ_ONLY : RequestKind.CAUSAL;
                if (a == MysqlTraffic.Admission.PREVIOUS_STATEMENT && core.lastRequestWasReadOnly(conn)) {
                    kind = RequestKind.READ_ONLY;
                    onPreviousDutyNode = true;
                    counters.previousStatementReads++;
                }
            } else if (mysql.repeatsReadOnly(conn, seq)) {
                kind = RequestKind.READ_ONLY; // the client retransmits a read-only request: rescheduled
            }
        }
        counters.clientAdmitted++;
        byte[][] packets = {java.util.Arrays.copyOf(rx, n)};
        ClientRequestOutcome o = core.onClientRequest(conn, seq, kind, packets, nowNs, onPreviousDutyNode);
        if (o == ClientRequestOutcome.DUPLICATE) {
            // A retransmission: not ordered again, but every stack sees it (it re-ACKs, TCP recovers).
            counters.duplicatesRelayed++;
            core.onClientRequest(conn, seq, RequestKind.PURE_ACK, packets, nowNs);
        } else if (o == ClientRequestOutcome.REFUSED_WINDOW || o == ClientRequestOutcome.REFUSED_INVALID) {
            // Admitted, but MO is too far ahead of the slowest node: dropped, the client retransmits.
            counters.orderingRefused++;
            if (mysql != null) {
                mysql.refused(conn, seq);
            }
        }
    }

    // ------------------------------------------------------------------ NodeSink: delivery to the local stack

    @Override
    public void send(int toRank, byte[] frameBytes, int offset, int length) {
        try {
            if (toRank == NodeSink.MULTICAST) {
                net.sendUdp(udpFd, frameBytes, offset, length, config.tunnelGroup(), config.tunnelPort());
            } else {
                net.sendUdp(udpFd, frameBytes, offset, length, nodeAddresses[toRank], config.tunnelPort());
            }
            counters.tunnelOut++;
        } catch (NativeException e) {
            counters.tunnelSendErrors++;
        }
    }

    @Override
    public void deliverCausal(long orderingNumber, long connectionId, long clientSequence, int ringMask, byte[][] packets) {
        for (byte[] p : packets) {
            observeMysql(connectionId, p);
            deliver(p, orderingNumber, ringMask);
        }
    }

    @Override
    public void serveReadOnly(long connectionId, long clientSequence, long lastCausal, byte[][] packets) {
        for (byte[] p : packets) {
            observeMysql(connectionId, p);
            System.arraycopy(p, 0, scratch, 0, p.length);
            if (cm.onReadOnlyScheduled(scratch, 0, p.length, true, lastCausal)) {
                counters.readOnlyServed++;
                writeTun(p.length);
            }
        }
    }

    @Override
    public void negligibleReadOnly(long connectionId, long clientSequence, byte[][] packets) {
        for (byte[] p : packets) {
            observeMysql(connectionId, p);
            System.arraycopy(p, 0, scratch, 0, p.length);
            cm.onReadOnlyScheduled(scratch, 0, p.length, false, -1);
        }
        counters.readOnlyNegligible++;
    }

    @Override
    public void deliverPureAck(long connectionId, byte[] packet) {
        deliver(packet, -1, 0);
    }

    /** On a node that is not the primary, the MySQL session follows the client's bytes (see {@link MysqlTraffic#observe}). */
    private void observeMysql(long conn, byte[] p) {
        if (mysql == null || core.role() == NodeRole.PRIMARY) {
            return;
        }
        org.artcp.node.cm.Connection c = cm.connection(conn);
        if (c != null) {
            mysql.observe(conn, c.clientIsn(), p, p.length);
        }
    }

    /** Translates one client packet for the local stack (on a copy: the log keeps the original) and writes it to TUN. */
    private void deliver(byte[] p, long orderingNumber, int ringMask) {
        int n = p.length;
        boolean whole = ip.wrap(p, 0, n).isValid() && tcp.wrap(ip).isValid();
        boolean hasAck = whole && (tcp.flags() & TcpSegment.ACK) != 0;
        long clientAck = hasAck ? tcp.acknowledgmentNumber() : 0;
        boolean syn = whole && (tcp.flags() & TcpSegment.SYN) != 0;
        long clientSequence = whole ? tcp.sequenceNumber() : 0;
        System.arraycopy(p, 0, scratch, 0, n);
        SegmentDecision d = cm.onClientSegment(scratch, 0, n, orderingNumber, nowNs);
        if (d.kind() == SegmentDecision.Kind.DROP) {
            return; // counted by CM (deliveryRefused in the status)
        }
        long conn = d.connectionKey();
        if (syn && orderingNumber >= 0 && !aggregation.containsKey(conn)) {
            long[] a = {orderingNumber, ringMask, -1};
            aggregation.put(conn, a);
            a[2] = aggregatorOf(conn);
        }
        if (hasAck) {
            trimUnacknowledged(conn);
        }
        if (aggregatorOf(conn) == self) {
            aggregator.onClientSegment(conn, hasAck, clientAck, d.duplicate());
        }
        if (mysql != null && !syn) {
            mysql.beforeDelivery(conn, cm.connection(conn).clientIsn(), clientSequence, scratch, n);
        }
        writeTun(n);
    }

    private void writeTun(int n) {
        try {
            net.write(tunFd, scratch, 0, n);
            counters.tunOut++;
        } catch (NativeException e) {
            counters.tunWriteErrors++;
        }
    }

    // ------------------------------------------------------------------ TUN: the local stack's segments

    private void drainTun() throws NativeException {
        for (int i = 0; i < MAX_BATCH; i++) {
            int n = net.read(tunFd, rx, 0, rx.length);
            if (n < 0) {
                return;
            }
            counters.tunIn++;
            long localSequence = mysql == null || !ip.wrap(rx, 0, n).isValid() || !tcp.wrap(ip).isValid() ? 0
                    : tcp.sequenceNumber();
            SegmentDecision d = cm.onLocalSegment(rx, 0, n, nowNs);
            if (d.kind() == SegmentDecision.Kind.DROP) {
                counters.localRefused++;
                continue;
            }
            long conn = d.connectionKey();
            if (mysql != null) {
                org.artcp.node.cm.Connection c = cm.connection(conn);
                if (c.translator().localIsnKnown()) {
                    mysql.afterLocalSegment(conn, c.clientIsn(), c.translator().localIsn(), localSequence, rx, n);
                }
            }
            int a = aggregatorOf(conn);
            if (d.readOnlyResponse()) {
                // The answer to a duty read-only request: straight to the client (paper §4.2).
                counters.readOnlyResponseSegments++;
                sendToClient(conn, ip.wrap(rx, 0, n).destination(), rx, 0, n);
            } else if (a == self) {
                retain(conn, rx, n);
                aggregate(self, conn, rx, 0, n);
            } else if (a >= 0) {
                retain(conn, rx, n);
                sendVersion(a, conn, rx, n);
            } else {
                counters.localRefused++;
            }
        }
    }

    /** The rank that aggregates the connection's responses now, or -1 when the connection is unknown. */
    private int aggregatorOf(long conn) {
        long[] a = aggregation.get(conn);
        return a == null ? -1 : core.aggregatorFor(a[0], (int) a[1]);
    }

    private void sendVersion(int toRank, long conn, byte[] packet, int n) {
        frame.wrap(frameOut, 0).initHeader();
        frame.type(FrameType.RESPONSE).clusterId(config.clusterId()).senderRank(self).term(core.term())
                .targetRank(toRank).liveMask(core.liveMask()).orderingNumber(TunnelFrame.SPECIAL_ORDERING_NUMBER)
                .connectionId(conn).packetCount(1).payload(packet, 0, n);
        int length = authenticator.seal(frameOut, 0, TunnelFrame.HEADER_LENGTH + n);
        send(toRank, frameOut, 0, length);
        counters.versionsSent++;
    }

    /** Keeps a copy of a version with data (or a FIN) until the client acknowledges it. */
    private void retain(long conn, byte[] packet, int n) {
        if (!ip.wrap(packet, 0, n).isValid() || !tcp.wrap(ip).isValid() || tcp.sequenceLength() == 0
                || (tcp.flags() & (TcpSegment.SYN | TcpSegment.RST)) != 0) {
            return;
        }
        Kept k = unacknowledged.computeIfAbsent(conn, key -> new Kept());
        k.add(java.util.Arrays.copyOf(packet, n));
        while (k.bytes > MAX_UNACKNOWLEDGED_BYTES && k.packets.size() > 1) {
            k.removeFirst();
            counters.unacknowledgedDropped++;
        }
    }

    /** One connection's kept versions, oldest first. */
    private final class Kept {
        final ArrayDeque<byte[]> packets = new ArrayDeque<>();
        long bytes;

        void add(byte[] p) {
            packets.addLast(p);
            bytes += p.length;
            unacknowledgedBytes += p.length;
        }

        void removeFirst() {
            int n = packets.pollFirst().length;
            bytes -= n;
            unacknowledgedBytes -= n;
        }
    }

    /** Drops the kept versions the client has acknowledged (CM's view of its ACK, in the cluster's space). */
    private void trimUnacknowledged(long conn) {
        Kept k = unacknowledged.get(conn);
        org.artcp.node.cm.Connection c = cm.connection(conn);
        if (k == null || c == null) {
            return;
        }
        long acked = c.clientAcked();
        while (!k.packets.isEmpty()) {
            byte[] p = k.packets.peekFirst();
            tcp.wrap(ip.wrap(p, 0, p.length));
            long end = (tcp.sequenceNumber() + tcp.sequenceLength()) & 0xFFFF_FFFFL;
            if (!SerialNumbers.TCP.lessOrEqual(end, acked)) {
                break;
            }
            k.removeFirst();
        }
        if (k.packets.isEmpty()) {
            unacknowledged.remove(conn);
        }
    }

    /**
     * Hands {@code rank}'s version to the aggregator. One it drops for want of a connection this node
     * knows past its handshake means this node took over from a failed aggregator (or a survivor that
     * noticed the failure first sends to it): the connection is adopted and the version handed again.
     */
    private void aggregate(int rank, long conn, byte[] packet, int offset, int n) {
        if (aggregator.onVersion(rank, conn, packet, offset, n, nowNs) == StreamAggregator.Outcome.DROPPED
                && adopt(conn, packet, offset, n)) {
            aggregator.onVersion(rank, conn, packet, offset, n, nowNs);
        }
    }

    /** Starts aggregating {@code conn} mid-stream from what CM knows; false when there is nothing to adopt. */
    private boolean adopt(long conn, byte[] packet, int offset, int n) {
        org.artcp.node.cm.Connection c = cm.connection(conn);
        if (c == null || c.state() == org.artcp.node.cm.ConnectionState.SYN_SEEN || !c.translator().localIsnKnown()
                || !tcp.wrap(ip.wrap(packet, offset, n)).isValid() || (tcp.flags() & TcpSegment.SYN) != 0
                || !aggregator.adopt(conn, packet, offset, n, c.translator().clusterIsn(), c.clientIsn(),
                        c.clientAcked(), c.clientNext())) {
            return false;
        }
        log.println("aggregator: took over connection " + org.artcp.node.cm.ConnectionKey.format(conn)
                + " mid-stream at the client's ACK " + c.clientAcked());
        return true;
    }

    /**
     * After a membership or role change, connections whose aggregator changed get this node's kept
     * versions again, at their new aggregator (which may be this node).
     */
    private void reaggregate() {
        for (Map.Entry<Long, long[]> e : aggregation.entrySet()) {
            long conn = e.getKey();
            long[] a = e.getValue();
            int now = aggregatorOf(conn);
            if (now == a[2]) {
                continue;
            }
            a[2] = now;
            counters.aggregatorChanges++;
            Kept k = unacknowledged.get(conn);
            if (k == null || now < 0) {
                continue;
            }
            for (byte[] p : k.packets) {
                if (now == self) {
                    aggregate(self, conn, p, 0, p.length);
                } else {
                    sendVersion(now, conn, p, p.length);
                }
                counters.versionsReplayed++;
            }
        }
    }

    // ------------------------------------------------------------------ tunnel frames

    private void drainTunnel() throws NativeException {
        for (int i = 0; i < MAX_BATCH; i++) {
            int n = net.receiveUdp(udpFd, rx, 0, rx.length);
            if (n < 0) {
                return;
            }
            counters.tunnelIn++;
            if (n > TunnelFrame.TYPE_OFFSET && (rx[TunnelFrame.TYPE_OFFSET] & 0xFF) == FrameType.RESPONSE.code()) {
                onVersionFrame(n);
            } else {
                core.onFrame(rx, 0, n, nowNs);
            }
        }
    }

    private void onVersionFrame(int n) {
        DropReason bad = validator.check(rx, 0, n);
        frame.wrap(rx, 0);
        if (bad != null || frame.targetRank() != self || frame.senderRank() == self) {
            counters.versionsRefused++;
            return;
        }
        counters.versionsReceived++;
        aggregate(frame.senderRank(), frame.connectionId(), rx, TunnelFrame.HEADER_LENGTH, frame.payloadLength());
    }

    // ------------------------------------------------------------------ StreamAggregator.Sink: to the client

    @Override
    public void sendToClient(long connectionId, int clientAddress, byte[] packet, int offset, int length) {
        try {
            net.sendRawIp(rawFd, packet, offset, length, clientAddress);
            counters.toClient++;
        } catch (NativeException e) {
            counters.toClientErrors++;
        }
    }

    @Override
    public void divergence(long connectionId, long clusterSequence, int rank, boolean first, String detail) {
        if (first) {
            log.println("divergence: connection " + org.artcp.node.cm.ConnectionKey.format(connectionId)
                    + ": node rank " + rank + " sent different bytes at sequence " + clusterSequence
                    + " (the reference's were sent; after 5 on a connection they are only counted): " + detail);
        }
    }

    // ------------------------------------------------------------------ ARP (primary)

    private void drainArp() throws NativeException {
        for (int i = 0; i < MAX_BATCH; i++) {
            int n = net.receivePacket(arpFd, rx, 0, rx.length, info);
            if (n < 0) {
                return;
            }
            if (info.packetType == LinuxNet.PACKET_OUTGOING || core.role() != NodeRole.PRIMARY) {
                continue;
            }
            arp.wrap(rx, 0, n);
            if (arp.isRequestFor(portal)) {
                System.arraycopy(rx, 0, arpOut, 0, ArpPacket.LENGTH);
                arp.wrap(arpOut, 0, ArpPacket.LENGTH).toReply(ourMac);
                try {
                    net.sendPacket(arpFd, LinuxNet.ETH_P_ARP, macBytes(arp.targetMac()), arpOut, 0, ArpPacket.LENGTH);
                    counters.arpAnswered++;
                } catch (NativeException e) {
                    counters.arpErrors++;
                }
            }
        }
    }

    /** A gratuitous ARP for the portal IP, so that clients and the switch learn where it is. */
    private void announcePortal() {
        arp.wrap(arpOut, 0, ArpPacket.LENGTH).gratuitous(ourMac, portal);
        try {
            net.sendPacket(arpFd, LinuxNet.ETH_P_ARP, macBytes(EthernetFrame.BROADCAST), arpOut, 0, ArpPacket.LENGTH);
            counters.arpAnnounced++;
        } catch (NativeException e) {
            counters.arpErrors++;
        }
    }

    // ------------------------------------------------------------------ membership and housekeeping

    private void followMembership() {
        int live = core.liveMask();
        if (live != lastLiveMask) {
            log.println("membership: live ranks " + ranks(lastLiveMask) + " -> " + ranks(live));
            lastLiveMask = live;
            aggregator.onMembershipChange(live);
            reaggregate();
        }
        NodeRole role = core.role();
        long excludedHeard = core.excludedPeerHeartbeats();
        if (excludedHeard != lastExcludedPeerHeartbeats) {
            lastExcludedPeerHeartbeats = excludedHeard;
            if (role == NodeRole.PRIMARY) {
                announcePortal(); // an excluded peer is back (a healed cut) and may have claimed the portal
            }
        }
        if (role == NodeRole.STOPPED && lastRole != NodeRole.STOPPED) {
            log.println("excluded: node rank " + core.excludedBy() + " no longer counts this node as live (it was"
                    + " suspected: paused, cut off or starved); stopping, as a crashed node would");
        }
        if (role != lastRole) {
            log.println("role: " + lastRole + " -> " + role + " (term " + core.term() + ", primary rank "
                    + core.primaryRank() + ")");
            if (role == NodeRole.PRIMARY) {
                announcePortal();
            }
            lastRole = role;
            reaggregate();
        }
    }

    private void reclaim() {
        if (cm.reclaim(nowNs) == 0) {
            return;
        }
        for (Iterator<Long> it = aggregation.keySet().iterator(); it.hasNext();) {
            long conn = it.next();
            if (cm.connection(conn) == null) {
                it.remove();
                aggregator.forget(conn);
                Kept k = unacknowledged.remove(conn);
                if (k != null) {
                    unacknowledgedBytes -= k.bytes;
                }
                if (mysql != null) {
                    mysql.forget(conn);
                }
            }
        }
    }

    static String ranks(int mask) {
        StringBuilder sb = new StringBuilder("[");
        for (int m = mask; m != 0; m &= m - 1) {
            sb.append(sb.length() > 1 ? "," : "").append(Integer.numberOfTrailingZeros(m));
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ status

    /** Counters of the shell; each is touched by the data-plane thread only. */
    static final class Counters {
        long lanIn;
        long lanKernelDrops;
        long clientAdmitted;
        long clientRefused;
        long clientNotPrimary;
        long orderingRefused;
        long duplicatesRelayed;
        long tunOut;
        long tunWriteErrors;
        long tunIn;
        long localRefused;
        long versionsSent;
        long versionsReceived;
        long versionsRefused;
        long tunnelIn;
        long tunnelOut;
        long tunnelSendErrors;
        long toClient;
        long toClientErrors;
        long arpAnswered;
        long arpAnnounced;
        long arpErrors;
        long readOnlyServed;
        long readOnlyNegligible;
        long readOnlyResponseSegments;
        long previousStatementReads;
        long aggregatorChanges;
        long versionsReplayed;
        long unacknowledgedDropped;
    }

    /** One counter per drop reason that happened, named {@code prefix + reason}. */
    private static void putReasons(Map<String, Long> c, String prefix,
            java.util.function.ToLongFunction<SegmentDropReason> count) {
        for (SegmentDropReason r : SegmentDropReason.values()) {
            long v = count.applyAsLong(r);
            if (v > 0) {
                c.put(prefix + r, v);
            }
        }
    }

    private Snapshot takeSnapshot(boolean ready, boolean stopped) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("lanIn", counters.lanIn);
        c.put("lanKernelDrops", counters.lanKernelDrops);
        c.put("clientSegmentsAdmitted", counters.clientAdmitted);
        c.put("clientSegmentsRefused", counters.clientRefused);
        putReasons(c, "clientRefused.", cm::admissionDrops);
        c.put("clientSegmentsNotPrimary", counters.clientNotPrimary);
        c.put("requestsRefusedByOrdering", counters.orderingRefused);
        c.put("duplicatesRelayed", counters.duplicatesRelayed);
        c.put("deliveredToStack", counters.tunOut);
        c.put("deliveryRefused", cm.clientDropsTotal());
        putReasons(c, "deliveryRefused.", cm::clientDrops);
        c.put("tunWriteErrors", counters.tunWriteErrors);
        c.put("stackSegments", counters.tunIn);
        c.put("stackSegmentsRefused", counters.localRefused);
        putReasons(c, "stackRefused.", cm::localDrops);
        c.put("versionsSent", counters.versionsSent);
        c.put("versionsReceived", counters.versionsReceived);
        c.put("versionsRefused", counters.versionsRefused);
        c.put("tunnelFramesIn", counters.tunnelIn);
        c.put("tunnelFramesOut", counters.tunnelOut);
        c.put("tunnelSendErrors", counters.tunnelSendErrors);
        c.put("tunnelFramesDropped", core.drops().total());
        core.drops().snapshot().forEach((r, v) -> {
            if (v > 0) {
                c.put("tunnelDropped." + r, v);
            }
        });
        c.put("toClient", counters.toClient);
        c.put("toClientErrors", counters.toClientErrors);
        c.put("responseSegments", aggregator.segmentsSent());
        c.put("pureAcksToClient", aggregator.pureAcksSent());
        c.put("divergentResponses", aggregator.divergentRanges());
        c.put("responsesResent", aggregator.resentCount());
        c.put("aggregatorHeldBytes", aggregator.heldBytes());
        c.put("aggregatedConnections", (long) aggregator.flowCount());
        c.put("connectionsOpened", cm.openedCount());
        c.put("connectionsReclaimed", cm.reclaimedCount());
        c.put("causalDelivered", core.deliveredCount());
        c.put("readOnlyServed", counters.readOnlyServed);
        c.put("readOnlyNegligible", counters.readOnlyNegligible);
        c.put("readOnlyResponseSegments", counters.readOnlyResponseSegments);
        c.put("readOnlyGapsSkipped", cm.gapsSkippedCount());
        c.put("readOnlyOnPreviousNode", counters.previousStatementReads);
        c.put("readOnlyRescheduled", core.readOnlyRescheduledCount());
        c.put("aggregatorSkips", aggregator.skippedCount());
        c.put("aggregatorOvertakes", aggregator.overtakenCount());
        c.put("aggregatorChanges", counters.aggregatorChanges);
        c.put("aggregatorTakeovers", aggregator.adoptedCount());
        c.put("versionsReplayed", counters.versionsReplayed);
        c.put("versionsKeptBytes", unacknowledgedBytes);
        c.put("versionsKeptDropped", counters.unacknowledgedDropped);
        if (mysql != null) {
            mysql.putCounters(c);
        }
        c.put("localPauses", core.localPauses());
        c.put("arpAnswered", counters.arpAnswered);
        c.put("arpAnnounced", counters.arpAnnounced);
        c.put("arpErrors", counters.arpErrors);
        return new Snapshot(self, Ipv4Packet.formatAddress(config.selfAddress()), ready, stopped, core.role().name(),
                core.term(), core.primaryRank(), core.liveMask(), core.ringMask(),
                config.delivery() == org.artcp.node.order.DeliveryMode.SAFE ? "safe" : "best-effort",
                core.contiguousOrderingNumber(), core.deliveredOrderingNumber(), cm.size(), c);
    }

    /** What the status file shows. */
    public record Snapshot(int rank, String address, boolean ready, boolean stopped, String role, long term,
                           int primary, int liveMask, int ringMask, String delivery, long contiguous, long delivered,
                           int connections, Map<String, Long> counters) {

        /** The status file's JSON (see {@code NodeProcessConfig} for its place). */
        public String toJson(long pid, long nowMillis) {
            StringBuilder sb = new StringBuilder(1024).append('{');
            sb.append("\"rank\":").append(rank).append(",\"address\":\"").append(address).append('"')
                    .append(",\"pid\":").append(pid).append(",\"ready\":").append(ready)
                    .append(",\"stopped\":").append(stopped).append(",\"role\":\"").append(role).append('"')
                    .append(",\"term\":").append(term).append(",\"primary\":").append(primary)
                    .append(",\"liveMask\":").append(liveMask).append(",\"ringMask\":").append(ringMask)
                    .append(",\"delivery\":\"").append(delivery).append('"')
                    .append(",\"contiguous\":").append(contiguous).append(",\"delivered\":").append(delivered)
                    .append(",\"connections\":").append(connections).append(",\"counters\":{");
            boolean first = true;
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                sb.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
                first = false;
            }
            return sb.append("},\"updatedAtMillis\":").append(nowMillis).append('}').toString();
        }
    }
}
