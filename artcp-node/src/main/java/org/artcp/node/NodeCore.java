package org.artcp.node;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.artcp.node.membership.AggregatorRing;
import org.artcp.node.membership.Election;
import org.artcp.node.membership.ElectionState;
import org.artcp.node.membership.FailureDetector;
import org.artcp.node.membership.NodeRole;
import org.artcp.node.order.CausalMessage;
import org.artcp.node.order.ConnectionTable;
import org.artcp.node.order.DeliveryMode;
import org.artcp.node.order.MessageLog;
import org.artcp.node.order.ReadOnlyScheduler;
import org.artcp.node.order.Sequencer;
import org.artcp.node.order.SerialNumbers;
import org.artcp.node.wire.DropCounters;
import org.artcp.node.wire.DropReason;
import org.artcp.node.wire.FrameAuthenticator;
import org.artcp.node.wire.FrameType;
import org.artcp.node.wire.FrameValidator;
import org.artcp.node.wire.TunnelFrame;

/**
 * The ordering and membership core of one AR-TCP node: message ordering (MO, paper §4.1–4.3) and
 * failover (§5.2), pure and single-threaded. Time is a parameter; the core never reads a clock,
 * sleeps or touches a socket. Inputs arrive as {@link #onFrame}, {@link #onClientRequest} and
 * {@link #doWork}; effects leave through the {@link NodeSink} given at construction.
 *
 * <h2>Protocol summary</h2>
 * <ul>
 *   <li>The primary numbers each causal request message (all its packets share the number) and
 *       multicasts it, stamped with the aggregator ring (live backups) it was numbered under.
 *       Backups hold messages by number and track the highest contiguous number they hold.</li>
 *   <li>Best-effort: deliver contiguous messages at once; a gap (seen from a later number or from
 *       the primary's heartbeat) that persists for {@code nakDelayNs} is NAKed to the primary, which
 *       retransmits. Safe: backups multicast a cumulative positive ACK when their contiguous number
 *       advances (heartbeats repeat it, so lost ACKs are recovered by the heartbeat timeout), and a
 *       node delivers a message only once every live backup has ACKed it.</li>
 *   <li>Read-only requests carry the scheduling header (duty rank, last causal number); the duty
 *       node serves one after delivering that number, every other node treats it as negligible.
 *       Pure ACKs are relayed with the special number and no reliability.</li>
 *   <li>Membership: heartbeats and a {@link FailureDetector}. A failed backup is excluded, the ring
 *       re-formed, and safe deliveries waiting for it released. A failed primary starts an
 *       {@link Election} of the next term: ballots carry each node's contiguous number; the highest,
 *       then the smallest rank, wins, fills every survivor up to its number (which also discards
 *       anything they hold beyond it), and only then numbers new requests.</li>
 * </ul>
 *
 * <p>Bad frames are dropped and counted in {@link #drops()}, never thrown.
 */
public final class NodeCore {
    private static final long NONE = Long.MIN_VALUE;
    private static final int MAX_RETRANSMIT_PER_REQUEST = 64;

    private final NodeConfig config;
    private final int self;
    private final int clusterSize;
    private final SerialNumbers serial;
    private final NodeSink sink;
    private final FrameAuthenticator authenticator;
    private final FrameValidator validator;
    private final TunnelFrame in = new TunnelFrame();
    private final TunnelFrame out = new TunnelFrame();
    private final byte[] outBuffer = new byte[TunnelFrame.frameLength(TunnelFrame.MAX_PAYLOAD_LENGTH)];
    private final DropCounters drops = new DropCounters();

    private final FailureDetector failureDetector;
    private final Election election;
    private long readOnlyRescheduled;
    private long excludedPeerHeartbeats;
    /** The rank whose frame showed that the others excluded this node, or -1. */
    private int excludedBy = -1;
    private final AggregatorRing ring;
    private NodeRole role;
    private long term;
    private int primaryRank;
    private long ballotTerm = -1;
    private long ballotPosition;
    /** The primary whose failure started the current election (sent in ballots so stragglers exclude it). */
    private int lostPrimary = TunnelFrame.NO_RANK;

    // Ordering numbers are kept as unwrapped 64-bit positions (SerialNumbers.unwrap / fold): compared
    // with '<', folded only on the wire. Every number a node receives is within the window of its
    // own contiguous position, so unwrapping against that position is exact.
    private final Sequencer sequencer;
    private final MessageLog log;
    private long contiguous;
    private long delivered;
    private long highestKnown;
    private final long[] acked;
    private long gapSinceNs = NONE;
    private long nextNakNs;
    private long nextHeartbeatNs;
    private long recoveryBase;
    private int confirmedMask;

    private final ConnectionTable connections = new ConnectionTable();
    private final ReadOnlyScheduler readOnlyScheduler;
    private final Map<ReadOnlyKey, PendingReadOnly> pendingReadOnly = new LinkedHashMap<>();

    private long deliveredCount;
    private long servedCount;
    private long negligibleCount;

    private record ReadOnlyKey(long connectionId, long clientSequence) {
    }

    /** A read-only request waiting for the causal requests ordered before it: to serve (duty) or to account (negligible). */
    private static final class PendingReadOnly {
        final long lastCausal;
        final byte[][] packets;
        final boolean duty;
        int received;

        PendingReadOnly(long lastCausal, int count, boolean duty) {
            this.lastCausal = lastCausal;
            this.packets = new byte[count][];
            this.duty = duty;
        }
    }

    /**
     * @param config the cluster's shared parameters
     * @param rank this node's rank, 0..N-1
     * @param sink where effects go
     * @param nowNs the time at start
     */
    public NodeCore(NodeConfig config, int rank, NodeSink sink, long nowNs) {
        this(config, rank, sink, nowNs, 0);
    }

    /**
     * A core whose failure detector suspects nobody before {@code nowNs + startupGraceNs} plus the
     * failure timeout: the nodes of a cluster are started one by one, and a peer that is still
     * starting is not a crashed one.
     *
     * @param startupGraceNs how long peers have to send their first frame
     */
    public NodeCore(NodeConfig config, int rank, NodeSink sink, long nowNs, long startupGraceNs) {
        this(config, rank, sink, nowNs, startupGraceNs, Long.MAX_VALUE, 0);
    }

    /**
     * @param pauseThresholdNs a gap between two duty cycles longer than this is a pause of this node, during
     *        which peers' silence does not count (see {@link FailureDetector}); {@code Long.MAX_VALUE}: off
     * @param afterFirstFrameNs what is left of a peer's start-up grace after its first frame
     */
    public NodeCore(NodeConfig config, int rank, NodeSink sink, long nowNs, long startupGraceNs, long pauseThresholdNs,
                    long afterFirstFrameNs) {
        if (rank < 0 || rank >= config.clusterSize()) {
            throw new IllegalArgumentException("rank outside the cluster: " + rank);
        }
        this.config = config;
        this.self = rank;
        this.clusterSize = config.clusterSize();
        this.serial = SerialNumbers.withFoldBound(config.foldBound());
        this.sink = sink;
        this.authenticator = new FrameAuthenticator(config.clusterKey());
        this.validator = new FrameValidator(config.clusterId(), clusterSize, authenticator);
        this.failureDetector = new FailureDetector(clusterSize, rank, config.failureTimeoutNs(), nowNs + startupGraceNs,
                pauseThresholdNs, afterFirstFrameNs);
        this.election = new Election(clusterSize, rank);
        this.primaryRank = config.initialPrimary();
        this.role = rank == primaryRank ? NodeRole.PRIMARY : NodeRole.BACKUP;
        int all = (1 << clusterSize) - 1;
        this.ring = new AggregatorRing(all & ~(1 << primaryRank));
        long initial = config.initialOrderingNumber();
        this.sequencer = new Sequencer(serial, initial);
        this.log = new MessageLog(initial, Math.min(1024, config.maxInFlight() * 2));
        this.contiguous = initial;
        this.delivered = initial;
        this.highestKnown = initial;
        this.acked = new long[clusterSize];
        java.util.Arrays.fill(acked, initial);
        this.readOnlyScheduler = new ReadOnlyScheduler(clusterSize, config.readOnlyIncludesPrimary());
        this.nextHeartbeatNs = nowNs;
    }

    // ------------------------------------------------------------------ inputs

    /**
     * A frame from the tunnel. Never throws for any content: a frame that fails authentication or
     * is malformed, truncated, from an unknown or excluded rank, stale or unexpected is counted in
     * {@link #drops()} and ignored.
     */
    public void onFrame(byte[] buffer, int offset, int length, long nowNs) {
        if (role == NodeRole.STOPPED) {
            return;
        }
        DropReason bad = validator.check(buffer, offset, length);
        if (bad != null) {
            drops.increment(bad);
            return;
        }
        in.wrap(buffer, offset);
        int from = in.senderRank();
        if (from == self) {
            drops.increment(DropReason.UNKNOWN_RANK);
            return;
        }
        if ((in.liveMask() & (1 << self)) == 0 && yieldsTo(from)) {
            // A peer excluded this node: it suspected it wrongly (a pause, a cut link, a starved process).
            // Exclusion is final (crash-stop), and a node the others no longer count must not go on
            // serving, so it stops as if it had crashed.
            excludedBy = from;
            become(NodeRole.STOPPED);
            sink.roleChanged(role, term, primaryRank);
            return;
        }
        if (!failureDetector.isAlive(from)) {
            drops.increment(DropReason.FROM_EXCLUDED);
            if (in.type() == FrameType.HEARTBEAT) {
                excludedPeerHeartbeats++; // a cut healed: the peer stops (yieldsTo); the primary claims the portal again
            }
            return;
        }
        int target = in.targetRank();
        if (target != TunnelFrame.NO_RANK && target != self) {
            drops.increment(DropReason.UNEXPECTED);
            return;
        }
        FrameType type = in.type();
        if (type != FrameType.READ_ONLY && type != FrameType.PURE_ACK && type != FrameType.RESPONSE
                && !serial.isValid(in.orderingNumber())) {
            drops.increment(DropReason.BAD_FIELD);
            return;
        }
        failureDetector.onHeard(from, nowNs);
        switch (type) {
            case REQUEST, RETRANSMIT -> onCausalPacket(from, nowNs);
            case READ_ONLY -> onReadOnlyPacket(from);
            case PURE_ACK -> onPureAckFrame(from);
            case ACK, HEARTBEAT -> onProgress(from, type, nowNs);
            case NAK -> onNak(from);
            case VOTE -> onVote(from, nowNs);
            case NEW_PRIMARY -> onNewPrimary(from, nowNs);
            case RESPONSE -> drops.increment(DropReason.UNEXPECTED); // response control is not this core's
        }
    }

    /**
     * A client request message that CM accepted (the primary's portal input).
     *
     * @param connectionId   the connection it belongs to
     * @param clientSequence the TCP sequence number of its first byte: its identity within the connection
     * @param kind           causal, read-only or pure ACK (paper §4)
     * @param packets        its packets, in order (one, for a pure ACK)
     */
    public ClientRequestOutcome onClientRequest(long connectionId, long clientSequence, RequestKind kind,
                                                byte[][] packets, long nowNs) {
        return onClientRequest(connectionId, clientSequence, kind, packets, nowNs, false);
    }

    /**
     * As {@link #onClientRequest(long, long, RequestKind, byte[][], long)}; with {@code onPreviousDutyNode}
     * a read-only request goes to the node that served the connection's previous request when that was a
     * read-only one and its node is alive: the request reads what the previous statement left in that
     * node's session (MySQL's SHOW WARNINGS, FOUND_ROWS()), which no other node has.
     */
    public ClientRequestOutcome onClientRequest(long connectionId, long clientSequence, RequestKind kind,
                                                byte[][] packets, long nowNs, boolean onPreviousDutyNode) {
        if (role != NodeRole.PRIMARY) {
            return ClientRequestOutcome.REFUSED_NOT_PRIMARY;
        }
        if (packets == null || packets.length == 0 || packets.length > 0xFFFF || clientSequence < 0
                || clientSequence > 0xFFFF_FFFFL) {
            return ClientRequestOutcome.REFUSED_INVALID;
        }
        for (byte[] p : packets) {
            if (p == null || p.length > TunnelFrame.MAX_PAYLOAD_LENGTH) {
                return ClientRequestOutcome.REFUSED_INVALID;
            }
        }
        return switch (kind) {
            case CAUSAL -> sequence(connectionId, clientSequence, packets);
            case READ_ONLY -> schedule(connectionId, clientSequence, packets, onPreviousDutyNode);
            case PURE_ACK -> relayPureAck(connectionId, packets[0]);
        };
    }

    /**
     * The duty cycle: failure detection, heartbeats, NAKs, election and gap-fill retransmissions.
     *
     * @return how much work was done (frames sent or state changed); 0 when idle
     */
    public int doWork(long nowNs) {
        if (role == NodeRole.STOPPED) {
            return 0;
        }
        int work = 0;
        int failed = failureDetector.poll(nowNs);
        while (failed != 0) {
            int r = Integer.numberOfTrailingZeros(failed);
            failed &= failed - 1;
            onNodeFailure(r, nowNs);
            work++;
        }
        if (nowNs - nextHeartbeatNs >= 0) {
            nextHeartbeatNs = nowNs + config.heartbeatIntervalNs();
            sendControl(FrameType.HEARTBEAT, TunnelFrame.NO_RANK, contiguous, followedPrimary());
            work++;
            if (role == NodeRole.CANDIDATE) {
                sendControl(FrameType.VOTE, TunnelFrame.NO_RANK, ballotPosition, lostPrimary);
                work++;
            } else if (role == NodeRole.RECOVERING_PRIMARY) {
                work += continueRecovery();
            }
        }
        if (role == NodeRole.BACKUP) {
            work += checkGap(nowNs);
        }
        return work;
    }

    /**
     * Heartbeats heard from peers this node excluded: a cut between them healed. Such a peer stops when it
     * hears this node (unless this node yields to it), but it may have announced the portal meanwhile.
     */
    public long excludedPeerHeartbeats() {
        return excludedPeerHeartbeats;
    }

    /** Pauses of this node during which peers' silence was not counted. */
    public long localPauses() {
        return failureDetector.localPauses();
    }

    /**
     * Whether this node, excluded by {@code from} (whose frame is {@link #in}), must stop. Yes when
     * {@code from} is live here: its group went on without this node. When this node excluded
     * {@code from} too, a cut healed and each side thinks the other dead: the side with fewer live
     * nodes stops, between equals the one that ordered less (it did not serve the clients), then the
     * higher rank, decided on heartbeats (which carry the sender's contiguous number), so exactly one
     * side stops.
     */
    private boolean yieldsTo(int from) {
        if (failureDetector.isAlive(from)) {
            return true;
        }
        if (in.type() != FrameType.HEARTBEAT || !serial.isValid(in.orderingNumber())) {
            return false;
        }
        int theirs = Integer.bitCount(in.liveMask());
        int mine = Integer.bitCount(failureDetector.liveMask());
        if (theirs != mine) {
            return theirs > mine;
        }
        long theirNumber = serial.unwrap(in.orderingNumber(), contiguous);
        if (theirNumber != contiguous) {
            return theirNumber > contiguous;
        }
        return from < self;
    }

    /** The peer whose frame showed this node that it was excluded (then it stopped), or -1. */
    public int excludedBy() {
        return excludedBy;
    }

    /** Stops the node for good (crash-stop, or an operator's stop). */
    public void stop() {
        become(NodeRole.STOPPED);
    }

    // ------------------------------------------------------------------ primary: numbering and scheduling

    private ClientRequestOutcome sequence(long connectionId, long clientSequence, byte[][] packets) {
        if (connections.isRepeat(connectionId, clientSequence)) {
            return ClientRequestOutcome.DUPLICATE;
        }
        if (sequencer.lastPosition() - trimPoint() >= config.maxInFlight()) {
            return ClientRequestOutcome.REFUSED_WINDOW;
        }
        long n = sequencer.next();
        int ringMask = ring.ringMask();
        CausalMessage m = new CausalMessage(n, serial.fold(n), connectionId, clientSequence, ringMask, packets.length);
        for (int i = 0; i < packets.length; i++) {
            m.addPacket(i, packets[i].clone());
        }
        log.put(m);
        contiguous = n;
        highestKnown = n;
        acked[self] = n;
        connections.recordCausal(connectionId, clientSequence);
        sendMessage(FrameType.REQUEST, NodeSink.MULTICAST, m);
        tryDeliver();
        return ClientRequestOutcome.SEQUENCED;
    }

    private ClientRequestOutcome schedule(long connectionId, long clientSequence, byte[][] packets,
                                          boolean onPreviousDutyNode) {
        ConnectionTable.Entry e = connections.get(connectionId);
        ClientRequestOutcome outcome = ClientRequestOutcome.SCHEDULED;
        int duty;
        if (e != null && e.hasSequence() && SerialNumbers.TCP.lessOrEqual(clientSequence, e.lastSequence())) {
            if (!e.lastWasReadOnly() || e.lastSequence() != clientSequence) {
                return ClientRequestOutcome.DUPLICATE;
            }
            duty = e.lastDutyRank();
            if (duty < 0 || !failureDetector.isAlive(duty)) {
                duty = readOnlyScheduler.next(failureDetector.liveMask(), self);
            }
            outcome = ClientRequestOutcome.RESCHEDULED;
        } else if (onPreviousDutyNode && e != null && e.lastWasReadOnly() && e.lastDutyRank() >= 0
                && failureDetector.isAlive(e.lastDutyRank())) {
            duty = e.lastDutyRank();
        } else {
            duty = readOnlyScheduler.next(failureDetector.liveMask(), self);
        }
        long lastCausal = sequencer.lastPosition();
        connections.recordReadOnly(connectionId, clientSequence, duty, lastCausal);
        for (int i = 0; i < packets.length; i++) {
            out.wrap(outBuffer, 0).initHeader();
            header(FrameType.READ_ONLY, TunnelFrame.NO_RANK)
                    .orderingNumber(TunnelFrame.SPECIAL_ORDERING_NUMBER)
                    .connectionId(connectionId).clientSequence(clientSequence)
                    .packetIndex(i).packetCount(packets.length)
                    .dutyRank(duty).lastCausalOrderingNumber(serial.fold(lastCausal))
                    .payload(packets[i], 0, packets[i].length);
            seal(NodeSink.MULTICAST);
        }
        // The primary's own stack needs the request too: served here, or accounted as negligible.
        PendingReadOnly p = new PendingReadOnly(lastCausal, packets.length, duty == self);
        for (int i = 0; i < packets.length; i++) {
            p.packets[i] = packets[i].clone();
        }
        p.received = packets.length;
        connections.rememberReadOnlyPackets(connectionId, clientSequence, p.packets);
        pendingReadOnly.put(new ReadOnlyKey(connectionId, clientSequence), p);
        serveReadyReadOnly();
        return outcome;
    }

    private ClientRequestOutcome relayPureAck(long connectionId, byte[] packet) {
        out.wrap(outBuffer, 0).initHeader();
        header(FrameType.PURE_ACK, TunnelFrame.NO_RANK)
                .orderingNumber(TunnelFrame.SPECIAL_ORDERING_NUMBER)
                .connectionId(connectionId).packetCount(1)
                .payload(packet, 0, packet.length);
        seal(NodeSink.MULTICAST);
        sink.deliverPureAck(connectionId, packet);
        return ClientRequestOutcome.RELAYED;
    }

    // ------------------------------------------------------------------ frames in

    private boolean fromCurrentPrimary(int from) {
        if (role != NodeRole.BACKUP || from != primaryRank || in.term() != term) {
            drops.increment(in.term() < term ? DropReason.STALE_TERM : DropReason.UNEXPECTED);
            return false;
        }
        return true;
    }

    private void onCausalPacket(int from, long nowNs) {
        if (!fromCurrentPrimary(from)) {
            return;
        }
        long n = serial.unwrap(in.orderingNumber(), contiguous);
        if (n <= contiguous) {
            drops.increment(DropReason.DUPLICATE);
            return;
        }
        if (n - contiguous > 2L * config.maxInFlight()) {
            drops.increment(DropReason.OUT_OF_WINDOW);
            return;
        }
        CausalMessage m = log.get(n);
        if (m == null) {
            m = new CausalMessage(n, in.orderingNumber(), in.connectionId(), in.clientSequence(), in.liveMask(),
                    in.packetCount());
            if (!log.put(m)) {
                drops.increment(DropReason.OUT_OF_WINDOW);
                return;
            }
        } else if (m.packetCount() != in.packetCount() || m.connectionId() != in.connectionId()
                || m.clientSequence() != in.clientSequence()) {
            drops.increment(DropReason.BAD_FIELD);
            return;
        }
        if (!m.addPacket(in.packetIndex(), in.payloadCopy())) {
            drops.increment(DropReason.DUPLICATE);
            return;
        }
        highestKnown = Math.max(highestKnown, n);
        advanceContiguous();
        if (contiguous < highestKnown && gapSinceNs == NONE) {
            gapSinceNs = nowNs;
        }
    }

    private void onReadOnlyPacket(int from) {
        if (!fromCurrentPrimary(from)) {
            return;
        }
        long conn = in.connectionId();
        long seq = in.clientSequence();
        int duty = in.dutyRank();
        if (!serial.isValid(in.lastCausalOrderingNumber())) {
            drops.increment(DropReason.BAD_FIELD);
            return;
        }
        long lastCausal = serial.unwrap(in.lastCausalOrderingNumber(), contiguous);
        connections.recordReadOnly(conn, seq, duty, lastCausal);
        if (duty == self && connections.served(conn, seq)) {
            drops.increment(DropReason.DUPLICATE);
            return;
        }
        // A negligible request waits like a duty one: accounted before a later causal request is
        // delivered, and not before an earlier one (equation 1 uses the sum at delivery).
        ReadOnlyKey key = new ReadOnlyKey(conn, seq);
        PendingReadOnly p = pendingReadOnly.get(key);
        if (p == null || p.duty != (duty == self)) {
            p = new PendingReadOnly(lastCausal, in.packetCount(), duty == self); // the latest schedule wins
            pendingReadOnly.put(key, p);
        }
        int i = in.packetIndex();
        if (p.packets.length != in.packetCount() || p.packets[i] != null) {
            drops.increment(DropReason.DUPLICATE);
            return;
        }
        p.packets[i] = in.payloadCopy();
        p.received++;
        if (p.received == p.packets.length) {
            connections.rememberReadOnlyPackets(conn, seq, p.packets);
        }
        serveReadyReadOnly();
    }

    private void onPureAckFrame(int from) {
        if (!fromCurrentPrimary(from)) {
            return;
        }
        sink.deliverPureAck(in.connectionId(), in.payloadCopy());
    }

    /** ACK and HEARTBEAT: the sender holds every causal request up to the ordering number. */
    private void onProgress(int from, FrameType type, long nowNs) {
        long n = serial.unwrap(in.orderingNumber(), contiguous);
        acked[from] = Math.max(acked[from], n);
        if (role == NodeRole.BACKUP && from == primaryRank && in.term() == term && type == FrameType.HEARTBEAT) {
            highestKnown = Math.max(highestKnown, n);
            if (contiguous < highestKnown && gapSinceNs == NONE) {
                gapSinceNs = nowNs;
            }
        }
        if (role == NodeRole.RECOVERING_PRIMARY && in.term() == term && in.extra() == self
                && n >= recoveryBase) {
            confirmedMask |= 1 << from;
            checkRecoveryDone();
        }
        tryDeliver();
    }

    private void onNak(int from) {
        if ((role != NodeRole.PRIMARY && role != NodeRole.RECOVERING_PRIMARY) || in.term() != term) {
            drops.increment(in.term() < term ? DropReason.STALE_TERM : DropReason.UNEXPECTED);
            return;
        }
        if (!serial.isValid(in.extra())) {
            drops.increment(DropReason.BAD_FIELD);
            return;
        }
        long first = serial.unwrap(in.orderingNumber(), contiguous);
        long last = serial.unwrap(in.extra(), contiguous);
        retransmit(from, first - 1, Math.min(last, contiguous));
    }

    private void onVote(int from, long nowNs) {
        long t = in.term();
        if (t > term) {
            if (role == NodeRole.PRIMARY) {
                // Every live node confirmed this primary, so no live node can have started a later
                // election: only possible if this node were wrongly suspected.
                drops.increment(DropReason.UNEXPECTED);
                return;
            }
            // A RECOVERING_PRIMARY steps down too: it won with a ballot set that missed an
            // announcement (the winner it waited for announced to others, then failed), so some
            // survivor followed another primary of this term and is electing the next. Nothing new was
            // numbered yet, so joining the later election loses nothing.
            long failed = in.extra();
            if (failed < clusterSize && failed != self) {
                if (failureDetector.exclude((int) failed)) {
                    onNodeFailureBookkeeping((int) failed);
                }
            }
            startElection(t, (int) failed, nowNs);
            election.onBallot(from, serial.unwrap(in.orderingNumber(), contiguous));
            evaluateElection(nowNs);
        } else if (t == term) {
            if (role == NodeRole.CANDIDATE) {
                election.onBallot(from, serial.unwrap(in.orderingNumber(), contiguous));
                evaluateElection(nowNs);
            } else if ((in.flags() & TunnelFrame.FLAG_REPLY) == 0 && ballotTerm == term) {
                // A straggler still collecting: it needs this node's ballot to decide, and, if this
                // node is the winner, its announcement. A reply is never answered (no ping-pong).
                out.wrap(outBuffer, 0).initHeader();
                header(FrameType.VOTE, from).flags(TunnelFrame.FLAG_REPLY).orderingNumber(serial.fold(ballotPosition))
                        .extra(lostPrimary);
                seal(from);
                if (role == NodeRole.PRIMARY || role == NodeRole.RECOVERING_PRIMARY) {
                    out.wrap(outBuffer, 0).initHeader();
                    header(FrameType.NEW_PRIMARY, from).orderingNumber(serial.fold(recoveryBase))
                            .liveMask(failureDetector.liveMask());
                    seal(from);
                }
            }
        } else {
            drops.increment(DropReason.STALE_TERM);
        }
    }

    private void onNewPrimary(int from, long nowNs) {
        long t = in.term();
        long base = serial.unwrap(in.orderingNumber(), contiguous);
        if (t < term) {
            drops.increment(DropReason.STALE_TERM);
            return;
        }
        if (role == NodeRole.PRIMARY || role == NodeRole.RECOVERING_PRIMARY) {
            drops.increment(DropReason.UNEXPECTED);
            return;
        }
        if (t == term && role == NodeRole.BACKUP && primaryRank == from) {
            sendControl(FrameType.ACK, TunnelFrame.NO_RANK, contiguous, followedPrimary());
            return;
        }
        if ((t == term && role == NodeRole.BACKUP) || base < contiguous) {
            // Two winners of one term: this node already follows the first, which announced, filled
            // some gaps and failed before the second heard of it (the second decided without the
            // first). This node may hold (and have delivered) requests beyond the second's base, so it
            // must not follow it: it keeps the first until the failure detector excludes it, then
            // starts the next election, which the second joins (see onVote), and the highest number
            // wins again.
            drops.increment(DropReason.UNEXPECTED);
            return;
        }
        int announcedLive = in.liveMask();
        for (int r = 0; r < clusterSize; r++) {
            if ((announcedLive & (1 << r)) == 0 && failureDetector.exclude(r)) {
                onNodeFailureBookkeeping(r);
            }
        }
        if (ballotTerm != t) {
            ballotTerm = t;
            ballotPosition = contiguous;
        }
        term = t;
        primaryRank = from;
        become(NodeRole.BACKUP);
        election.finish();
        log.discardAfter(base);
        highestKnown = Math.max(contiguous, base);
        gapSinceNs = NONE;
        pendingReadOnly.clear();
        ring.reform(failureDetector.liveMask() & ~(1 << from));
        sink.roleChanged(role, term, primaryRank);
        sendControl(FrameType.ACK, TunnelFrame.NO_RANK, contiguous, followedPrimary());
        if (contiguous < highestKnown) {
            gapSinceNs = nowNs;
        }
        tryDeliver();
    }

    // ------------------------------------------------------------------ ordering and delivery

    private void advanceContiguous() {
        boolean advanced = false;
        while (true) {
            long next = contiguous + 1;
            CausalMessage m = log.get(next);
            if (m == null || !m.complete()) {
                break;
            }
            contiguous = next;
            connections.recordCausal(m.connectionId(), m.clientSequence());
            advanced = true;
        }
        if (!advanced) {
            return;
        }
        acked[self] = contiguous;
        if (contiguous >= highestKnown) {
            gapSinceNs = NONE;
        }
        if (config.deliveryMode() == DeliveryMode.SAFE) {
            sendControl(FrameType.ACK, TunnelFrame.NO_RANK, contiguous, followedPrimary());
        }
        tryDeliver();
    }

    /** The highest number every live backup holds (safe delivery's stability), capped by what this node holds. */
    private long stableUpTo() {
        long s = contiguous;
        int live = failureDetector.liveMask();
        boolean hasPrimary = role == NodeRole.PRIMARY || role == NodeRole.BACKUP || role == NodeRole.RECOVERING_PRIMARY;
        for (int r = 0; r < clusterSize; r++) {
            if ((live & (1 << r)) == 0 || (hasPrimary && r == primaryRank) || r == self) {
                continue;
            }
            s = Math.min(s, acked[r]);
        }
        return s;
    }

    private void tryDeliver() {
        long limit = config.deliveryMode() == DeliveryMode.SAFE ? stableUpTo() : contiguous;
        boolean any = false;
        while (delivered < limit) {
            if (!pendingReadOnly.isEmpty()) {
                serveReadyReadOnly(); // read-only requests ordered before the next causal one go first
            }
            long n = delivered + 1;
            CausalMessage m = log.get(n);
            if (m == null) {
                break; // cannot happen: everything up to contiguous is held
            }
            delivered = n;
            deliveredCount++;
            any = true;
            sink.deliverCausal(m.orderingNumber(), m.connectionId(), m.clientSequence(), m.ringMask(), m.packets());
        }
        if (any) {
            serveReadyReadOnly();
        }
        log.trimTo(Math.min(trimPoint(), delivered));
    }

    /** The highest number every live node is known to hold: nothing at or below it can be needed again. */
    private long trimPoint() {
        long t = contiguous;
        int live = failureDetector.liveMask();
        for (int r = 0; r < clusterSize; r++) {
            if ((live & (1 << r)) != 0 && r != self) {
                t = Math.min(t, acked[r]);
            }
        }
        return t;
    }

    private void serveReadyReadOnly() {
        if (pendingReadOnly.isEmpty()) {
            return;
        }
        Iterator<Map.Entry<ReadOnlyKey, PendingReadOnly>> it = pendingReadOnly.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<ReadOnlyKey, PendingReadOnly> e = it.next();
            PendingReadOnly p = e.getValue();
            if (p.received != p.packets.length || p.lastCausal > delivered) {
                continue;
            }
            it.remove();
            ReadOnlyKey k = e.getKey();
            if (!p.duty) {
                negligibleCount++;
                sink.negligibleReadOnly(k.connectionId(), k.clientSequence(), p.packets);
                continue;
            }
            if (connections.served(k.connectionId(), k.clientSequence())) {
                continue;
            }
            connections.recordServed(k.connectionId(), k.clientSequence());
            servedCount++;
            sink.serveReadOnly(k.connectionId(), k.clientSequence(), serial.fold(p.lastCausal), p.packets);
        }
    }

    private int checkGap(long nowNs) {
        if (contiguous >= highestKnown) {
            gapSinceNs = NONE;
            return 0;
        }
        if (gapSinceNs == NONE) {
            gapSinceNs = nowNs;
            return 0;
        }
        if (nowNs - gapSinceNs < config.nakDelayNs() || nowNs - nextNakNs < 0) {
            return 0;
        }
        nextNakNs = nowNs + config.nakRetryNs();
        out.wrap(outBuffer, 0).initHeader();
        header(FrameType.NAK, primaryRank).orderingNumber(serial.fold(contiguous + 1)).extra(serial.fold(highestKnown));
        seal(primaryRank);
        return 1;
    }

    /** Sends {@code (after, upTo]} to {@code toRank} as RETRANSMIT frames, at most a bounded number of messages. */
    private int retransmit(int toRank, long after, long upTo) {
        int sent = 0;
        long n = after;
        while (n < upTo && sent < MAX_RETRANSMIT_PER_REQUEST) {
            n++;
            CausalMessage m = log.get(n);
            if (m != null) {
                sendMessage(FrameType.RETRANSMIT, toRank, m);
                sent++;
            }
        }
        return sent;
    }

    // ------------------------------------------------------------------ membership

    private void onNodeFailure(int rank, long nowNs) {
        onNodeFailureBookkeeping(rank);
        switch (role) {
            case BACKUP -> {
                if (rank == primaryRank) {
                    startElection(term + 1, rank, nowNs);
                } else {
                    tryDeliver();
                }
            }
            case CANDIDATE -> {
                election.onFailure(rank);
                evaluateElection(nowNs);
                tryDeliver();
            }
            case RECOVERING_PRIMARY -> {
                checkRecoveryDone();
                tryDeliver();
            }
            case PRIMARY -> {
                rescheduleReadOnlyOfFailed();
                tryDeliver();
            }
            case STOPPED -> {
            }
        }
    }

    /**
     * Read-only requests whose duty node failed before the client sent anything after them are executed
     * again on a survivor (paper §5.2 leaves them to the client's retransmission, which backs off). A
     * read-only request changes nothing, and the client's TCP drops whatever part of the answer it
     * had: the answer resumes at the right byte.
     */
    private void rescheduleReadOnlyOfFailed() {
        connections.forEachReadOnlyOnFailed(failureDetector.liveMask(), (conn, seq, packets) -> {
            if (schedule(conn, seq, packets, false) == ClientRequestOutcome.RESCHEDULED) {
                readOnlyRescheduled++;
            }
        });
    }

    /** Read-only requests executed again after their duty node failed ({@link #rescheduleReadOnlyOfFailed}). */
    public long readOnlyRescheduledCount() {
        return readOnlyRescheduled;
    }

    /** What every role does when a rank is excluded: it leaves the ring and the election. */
    private void onNodeFailureBookkeeping(int rank) {
        ring.remove(rank);
        election.onFailure(rank);
    }

    private void startElection(long newTerm, int failedPrimary, long nowNs) {
        if (failedPrimary >= 0 && failedPrimary < clusterSize && failureDetector.exclude(failedPrimary)) {
            onNodeFailureBookkeeping(failedPrimary);
        }
        become(NodeRole.CANDIDATE);
        term = newTerm;
        primaryRank = -1;
        lostPrimary = failedPrimary;
        ballotTerm = newTerm;
        ballotPosition = contiguous;
        highestKnown = contiguous;
        gapSinceNs = NONE;
        pendingReadOnly.clear(); // the new primary reschedules what the client retransmits
        election.start(newTerm, contiguous, failureDetector.liveMask());
        sink.roleChanged(role, term, primaryRank);
        sendControl(FrameType.VOTE, TunnelFrame.NO_RANK, ballotPosition, failedPrimary);
        evaluateElection(nowNs);
    }

    private void evaluateElection(long nowNs) {
        if (role == NodeRole.CANDIDATE && election.state() == ElectionState.DECIDED_SELF) {
            becomeRecoveringPrimary();
        }
    }

    private void becomeRecoveringPrimary() {
        become(NodeRole.RECOVERING_PRIMARY);
        primaryRank = self;
        recoveryBase = contiguous;
        log.discardAfter(contiguous);
        highestKnown = contiguous;
        sequencer.resetTo(contiguous);
        confirmedMask = 1 << self;
        int live = failureDetector.liveMask();
        ring.reform(live & ~(1 << self));
        for (int r = 0; r < clusterSize; r++) {
            if ((live & (1 << r)) != 0 && r != self && election.hasBallot(r)) {
                acked[r] = Math.max(acked[r], election.ballotOf(r));
            }
        }
        sink.roleChanged(role, term, primaryRank);
        continueRecovery();
        checkRecoveryDone();
    }

    /** Announces this node and fills each unconfirmed survivor up to the base (repeated every heartbeat). */
    private int continueRecovery() {
        int work = 1;
        out.wrap(outBuffer, 0).initHeader();
        header(FrameType.NEW_PRIMARY, TunnelFrame.NO_RANK).orderingNumber(serial.fold(recoveryBase))
                .liveMask(failureDetector.liveMask());
        seal(NodeSink.MULTICAST);
        int live = failureDetector.liveMask();
        for (int r = 0; r < clusterSize; r++) {
            if ((live & (1 << r)) != 0 && (confirmedMask & (1 << r)) == 0) {
                work += retransmit(r, acked[r], recoveryBase);
            }
        }
        return work;
    }

    private void checkRecoveryDone() {
        if (role != NodeRole.RECOVERING_PRIMARY) {
            return;
        }
        int live = failureDetector.liveMask();
        if ((confirmedMask & live) == live) {
            become(NodeRole.PRIMARY);
            election.finish();
            sink.roleChanged(role, term, primaryRank);
            rescheduleReadOnlyOfFailed();
            tryDeliver();
        }
    }

    /**
     * Every role change goes through here and is checked against {@link NodeRole#canBecome}: an
     * illegal transition is a bug in this class, not bad input, so it fails loudly (the simulation
     * reports it with its seed).
     */
    private void become(NodeRole next) {
        if (!role.canBecome(next)) {
            throw new IllegalStateException("node " + self + ": illegal role transition " + role + " -> " + next);
        }
        role = next;
    }

    // ------------------------------------------------------------------ frames out

    /** The primary this node follows (itself when primary), or {@link TunnelFrame#NO_RANK} during an election. */
    private int followedPrimary() {
        return primaryRank < 0 ? TunnelFrame.NO_RANK : primaryRank;
    }

    private TunnelFrame header(FrameType type, int targetRank) {
        return out.type(type).clusterId(config.clusterId()).senderRank(self).term(term).targetRank(targetRank)
                .liveMask(failureDetector.liveMask());
    }

    private void seal(int toRank) {
        int covered = TunnelFrame.HEADER_LENGTH + out.payloadLength();
        int length = authenticator.seal(outBuffer, 0, covered);
        sink.send(toRank, outBuffer, 0, length);
    }

    /** Sends a frame without payload whose ordering number is {@code position}, folded. */
    private void sendControl(FrameType type, int toRank, long position, long extra) {
        out.wrap(outBuffer, 0).initHeader();
        header(type, toRank).orderingNumber(serial.fold(position)).extra(extra).payloadLength(0);
        seal(toRank == TunnelFrame.NO_RANK ? NodeSink.MULTICAST : toRank);
    }

    private void sendMessage(FrameType type, int toRank, CausalMessage m) {
        for (int i = 0; i < m.packetCount(); i++) {
            byte[] p = m.packet(i);
            out.wrap(outBuffer, 0).initHeader();
            header(type, toRank == NodeSink.MULTICAST ? TunnelFrame.NO_RANK : toRank)
                    .orderingNumber(m.orderingNumber()).connectionId(m.connectionId())
                    .clientSequence(m.clientSequence()).packetIndex(i).packetCount(m.packetCount())
                    .liveMask(m.ringMask()).payload(p, 0, p.length);
            seal(toRank);
        }
    }

    // ------------------------------------------------------------------ observation

    public int rank() {
        return self;
    }

    public NodeRole role() {
        return role;
    }

    public long term() {
        return term;
    }

    /** The rank this node follows as primary, or -1 during an election. */
    public int primaryRank() {
        return primaryRank;
    }

    public ElectionState electionState() {
        return election.state();
    }

    /** The highest ordering number such that this node holds every causal request up to it (folded). */
    public long contiguousOrderingNumber() {
        return serial.fold(contiguous);
    }

    /** The ordering number of the last causal request delivered (folded). */
    public long deliveredOrderingNumber() {
        return serial.fold(delivered);
    }

    public long deliveredCount() {
        return deliveredCount;
    }

    public long servedReadOnlyCount() {
        return servedCount;
    }

    /** Whether the connection's last ordered or scheduled request was a read-only one (on the primary). */
    public boolean lastRequestWasReadOnly(long connectionId) {
        ConnectionTable.Entry e = connections.get(connectionId);
        return e != null && e.hasSequence() && e.lastWasReadOnly();
    }

    /** Read-only requests accounted as negligible here (served by another node). */
    public long negligibleReadOnlyCount() {
        return negligibleCount;
    }

    /** Bit r set while this node believes rank r alive. */
    public int liveMask() {
        return failureDetector.liveMask();
    }

    /** The current aggregator ring (live backups). */
    public int ringMask() {
        return ring.ringMask();
    }

    /**
     * The aggregator of response number {@code x} for a request numbered under {@code stampedRing}:
     * the stamped ring with failed members (and a member since promoted to primary) replaced by their
     * successors, falling back to the current ring, and to the primary when no backup is alive.
     */
    public int aggregatorFor(long responseNumber, int stampedRing) {
        // Only backups aggregate: a backup promoted to primary hands its duties on like a failed one.
        int live = failureDetector.liveMask() & (primaryRank >= 0 ? ~(1 << primaryRank) : ~0);
        int a = AggregatorRing.aggregatorFor(responseNumber, stampedRing, live);
        if (a < 0) {
            a = AggregatorRing.aggregatorFor(responseNumber, ring.ringMask(), live);
        }
        return a < 0 ? primaryRank : a;
    }

    public DropCounters drops() {
        return drops;
    }

    public SerialNumbers serialNumbers() {
        return serial;
    }
}
