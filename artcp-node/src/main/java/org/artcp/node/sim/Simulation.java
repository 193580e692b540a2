package org.artcp.node.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

import org.artcp.node.ClientRequestOutcome;
import org.artcp.node.NodeConfig;
import org.artcp.node.NodeCore;
import org.artcp.node.NodeSink;
import org.artcp.node.RequestKind;
import org.artcp.node.membership.ElectionState;
import org.artcp.node.membership.NodeRole;
import org.artcp.node.order.DeliveryMode;
import org.artcp.node.order.SerialNumbers;
import org.artcp.node.wire.DropReason;
import org.artcp.node.wire.FrameType;
import org.artcp.node.wire.TunnelFrame;

/**
 * A deterministic simulation of N node cores (DESIGN §3–4): a virtual clock, one seeded random
 * source, a network that loses, duplicates, corrupts, delays and so reorders every frame copy on
 * every link, crashes at chosen instants (including the primary between the copies of one multicast,
 * and a second node during the election), and clients issuing causal, read-only and pure-ACK
 * requests interactively, retransmitting like TCP until served.
 *
 * <p>Invariants are checked as the run goes (each delivery, each read-only serve, each bad frame)
 * and at the end, after the workload finished and the cluster settled:
 * <ol>
 *   <li>every survivor delivered the same causal requests in the same order, numbered without a
 *       gap, each exactly once, with the bytes the client sent, in each connection's order, and
 *       every causal request the clients issued;</li>
 *   <li>safe delivery: every node's deliveries, crashed ones included, are a prefix of the
 *       survivors' (nothing was delivered anywhere that a survivor did not also deliver);</li>
 *   <li>each read-only request was served exactly once, by its duty node, after every causal
 *       request up to its header's number and every causal request the clients had seen
 *       completed before they sent it;</li>
 *   <li>the survivors agree on one primary, the term and the live set, and on the aggregator of
 *       every response number;</li>
 *   <li>every corrupted frame was dropped and counted; no core threw.</li>
 * </ol>
 * Everything is drawn from the scenario's seed, so a seed reruns exactly.
 */
public final class Simulation {
    /** Every node's duty cycle runs this often. */
    public static final long TICK_NS = 100_000;
    /** Heartbeat interval of the simulated cluster. */
    public static final long HEARTBEAT_NS = 500_000;
    private static final long CLIENT_RETRY_NS = 2_000_000;
    private static final long CLIENT_BACKOFF_NS = 200_000;
    private static final long DEADLINE_NS = 10_000_000_000L;

    private static final int EV_FRAME = 0;
    private static final int EV_TICK = 1;
    private static final int EV_CLIENT = 2;
    private static final int EV_CRASH = 3;

    private static final class Event implements Comparable<Event> {
        final long time;
        final long seq;
        final int kind;
        final int node;
        final int arg;
        final byte[] data;
        final boolean corrupted;

        Event(long time, long seq, int kind, int node, int arg, byte[] data, boolean corrupted) {
            this.time = time;
            this.seq = seq;
            this.kind = kind;
            this.node = node;
            this.arg = arg;
            this.data = data;
            this.corrupted = corrupted;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final class Request {
        final int id;
        final int conn;
        final long connectionId;
        final long clientSequence;
        final RequestKind kind;
        final byte[][] packets;
        int deliveredMask;
        boolean submitted;
        boolean completed;
        int mustSee;
        int served;
        /** The nodes that served it (a read-only request); more than one only after the earlier ones crashed. */
        int servedBy;

        Request(int id, int conn, long connectionId, long clientSequence, RequestKind kind, byte[][] packets) {
            this.id = id;
            this.conn = conn;
            this.connectionId = connectionId;
            this.clientSequence = clientSequence;
            this.kind = kind;
            this.packets = packets;
        }
    }

    private static final class Conn {
        final int index;
        final long connectionId;
        long nextSequence;
        int issued;
        Request current;
        final List<Request> requests = new ArrayList<>();

        Conn(int index, long connectionId, long isn) {
            this.index = index;
            this.connectionId = connectionId;
            this.nextSequence = isn;
        }
    }

    private record Delivery(long orderingNumber, int requestId, int ringMask) {
    }

    private final Scenario sc;
    private final SplittableRandom rnd;
    private final SerialNumbers serial;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long seq;
    private long now;
    private final int n;
    private final NodeCore[] cores;
    private final boolean[] crashed;
    private final int[][] consecutiveLosses;
    private final StringBuilder trace;
    private String failure;

    private final Conn[] conns;
    private final Map<Long, Request> byKey = new HashMap<>();
    private final List<Request> allRequests = new ArrayList<>();
    private final List<Request> completedCausal = new ArrayList<>();
    private final List<List<Delivery>> delivered = new ArrayList<>();
    private final List<Set<Integer>> deliveredIds = new ArrayList<>();
    private final long[] lastDelivered;

    private static final long MAX_EVENTS = 3_000_000;
    private long events;
    private long framesSent;
    private long badFramesDropped;
    private int crashCount;
    private int primaryChanges;

    // crash triggers: node crashes right after its `triggerAt`-th frame copy of `triggerType` (null = any)
    private final int[] triggerAt;
    private final FrameType[] triggerType;
    private final int[] copies;
    private int electionCrashNode = -1;
    private int electionCrashAfter;
    private boolean electionSeen;

    private final long failureTimeoutNs;

    private Simulation(Scenario sc, boolean traceOn, long failureTimeoutNs) {
        this.sc = sc;
        this.failureTimeoutNs = failureTimeoutNs;
        this.rnd = new SplittableRandom(sc.seed());
        this.serial = SerialNumbers.withFoldBound(sc.foldBound());
        this.n = sc.nodes();
        this.cores = new NodeCore[n];
        this.crashed = new boolean[n];
        this.consecutiveLosses = new int[n][n];
        this.trace = traceOn ? new StringBuilder() : null;
        this.conns = new Conn[sc.connections()];
        this.lastDelivered = new long[n];
        this.triggerAt = new int[n];
        this.triggerType = new FrameType[n];
        this.copies = new int[n];
        Arrays.fill(triggerAt, -1);
    }

    /** Runs one scenario. Never throws: an exception from a core is reported as a failure. */
    public static SimResult run(Scenario scenario, boolean trace) {
        return run(scenario, trace, failureTimeoutNs(scenario));
    }

    /**
     * Runs one scenario with another failure timeout than the one that makes the detector perfect:
     * a mutation used to show that the checks catch what an imperfect detector breaks.
     */
    static SimResult run(Scenario scenario, boolean trace, long failureTimeoutNs) {
        Simulation s = new Simulation(scenario, trace, failureTimeoutNs);
        try {
            s.execute();
        } catch (RuntimeException | AssertionError e) {
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(w));
            s.fail("exception at t=" + s.now + "ns: " + w);
        }
        int survivors = 0;
        long causal = 0;
        for (int r = 0; r < s.delivered.size(); r++) {
            if (!s.crashed[r]) {
                survivors++;
                causal = s.delivered.get(r).size();
            }
        }
        long served = 0;
        for (Request q : s.allRequests) {
            served += q.kind == RequestKind.READ_ONLY ? q.served : 0;
        }
        return new SimResult(scenario, s.failure, s.now, s.framesSent, survivors == 0 ? 0 : causal, served,
                s.crashCount, s.primaryChanges, s.badFramesDropped, trace ? s.trace.toString() : null);
    }

    /** The failure timeout that makes the detector perfect on these links (see {@code FailureDetector}). */
    static long failureTimeoutNs(Scenario sc) {
        return (Scenario.maxConsecutiveLosses + 1) * (HEARTBEAT_NS + TICK_NS) + sc.maxDelayNs() + 2 * TICK_NS;
    }

    static NodeConfig config(Scenario sc, long failureTimeoutNs) {
        byte[] key = new byte[32];
        new SplittableRandom(sc.seed() ^ 0x5DEECE66DL).nextBytes(key);
        int window = (int) Math.min(256, sc.foldBound() / 8);
        return new NodeConfig(0xA47C0001L, sc.nodes(), key, sc.mode(), sc.foldBound(), sc.initialOrderingNumber(),
                window, HEARTBEAT_NS, failureTimeoutNs, 2 * sc.maxDelayNs() + TICK_NS, 600_000L,
                sc.readOnlyIncludesPrimary(), 0);
    }

    private void execute() {
        NodeConfig cfg = config(sc, failureTimeoutNs);
        for (int r = 0; r < n; r++) {
            final int rank = r;
            delivered.add(new ArrayList<>());
            deliveredIds.add(new HashSet<>());
            lastDelivered[r] = sc.initialOrderingNumber();
            cores[r] = new NodeCore(cfg, r, new Sink(rank), 0);
            schedule(rnd.nextLong(TICK_NS), EV_TICK, r, 0, null, false);
        }
        planCrashes();
        for (int c = 0; c < conns.length; c++) {
            conns[c] = new Conn(c, 1000 + c, rnd.nextLong(1L << 32));
            nextRequest(conns[c]);
            schedule(rnd.nextLong(200_000), EV_CLIENT, 0, conns[c].current.id, null, false);
        }
        long settleUntil = Long.MAX_VALUE;
        while (failure == null && !queue.isEmpty()) {
            Event e = queue.poll();
            now = e.time;
            if (++events > MAX_EVENTS) {
                fail("event budget exhausted (" + MAX_EVENTS + " events, queue " + queue.size() + ") " + incomplete());
                break;
            }
            if (now > settleUntil) {
                break;
            }
            if (now > DEADLINE_NS) {
                fail("stalled: client requests still incomplete at the deadline " + incomplete());
                break;
            }
            int crashesBefore = crashCount;
            dispatch(e);
            if ((settleUntil == Long.MAX_VALUE || crashCount != crashesBefore) && allDone()) {
                // settle: long enough for every survivor to detect the last crash and finish an election
                settleUntil = now + 4 * failureTimeoutNs + 20 * HEARTBEAT_NS;
            }
        }
        if (failure == null) {
            finalChecks();
        }
    }

    // ------------------------------------------------------------------ crash plans

    private void planCrashes() {
        int total = sc.connections() * sc.requestsPerConnection();
        long workloadNs = total * 500_000L;
        int relayCopies = Math.max(1, (int) (total * 0.55 * 2 * (n - 1)));
        int backup = 1 + rnd.nextInt(n - 1);
        switch (sc.plan()) {
            case NONE -> {
            }
            case BACKUP_AT_TIME -> schedule(rnd.nextLong(workloadNs), EV_CRASH, backup, 0, null, false);
            case BACKUP_MID_SEND -> {
                triggerAt[backup] = pick(sc.crashAtCopy(), rnd.nextInt(1 + 8 * total));
                triggerType[backup] = null;
            }
            case PRIMARY_AT_TIME -> schedule(rnd.nextLong(workloadNs), EV_CRASH, 0, 0, null, false);
            case PRIMARY_MID_MULTICAST -> armPrimaryMidMulticast(relayCopies);
            case PRIMARY_THEN_DURING_ELECTION -> {
                armPrimaryMidMulticast(relayCopies);
                electionCrashNode = backup;
                electionCrashAfter = pick(sc.secondCrashAtCopy(), rnd.nextInt(10));
            }
            case BACKUP_THEN_PRIMARY -> {
                schedule(rnd.nextLong(workloadNs), EV_CRASH, backup, 0, null, false);
                armPrimaryMidMulticast(relayCopies);
            }
        }
    }

    private void armPrimaryMidMulticast(int relayCopies) {
        triggerAt[0] = pick(sc.crashAtCopy(), rnd.nextInt(relayCopies + 1));
        triggerType[0] = FrameType.REQUEST;
        if (triggerAt[0] == 0) {
            schedule(0, EV_CRASH, 0, 0, null, false);
        }
    }

    /** The fixed crash point if the scenario has one, else the drawn one (always drawn, to keep the random stream aligned). */
    private static int pick(int fixed, int drawn) {
        return fixed >= 0 ? fixed : drawn;
    }

    private void crash(int r, String why) {
        if (crashed[r]) {
            return;
        }
        crashed[r] = true;
        crashCount++;
        trace("node %d CRASHES (%s)", r, why);
        for (Conn c : conns) {
            if (c.current != null) {
                checkCausalComplete(c.current);
            }
        }
    }

    // ------------------------------------------------------------------ events

    private void schedule(long time, int kind, int node, int arg, byte[] data, boolean corrupted) {
        queue.add(new Event(time, seq++, kind, node, arg, data, corrupted));
    }

    private void dispatch(Event e) {
        switch (e.kind) {
            case EV_FRAME -> {
                if (crashed[e.node]) {
                    return;
                }
                NodeCore core = cores[e.node];
                long before = validationDrops(core);
                core.onFrame(e.data, 0, e.data.length, now);
                if (e.corrupted && !crashed[e.node]) {
                    if (validationDrops(core) != before + 1) {
                        fail("node " + e.node + " did not drop and count a corrupted frame");
                    }
                    badFramesDropped++;
                }
                afterCall(e.node);
            }
            case EV_TICK -> {
                if (crashed[e.node]) {
                    return;
                }
                cores[e.node].doWork(now);
                afterCall(e.node);
                schedule(now + TICK_NS, EV_TICK, e.node, 0, null, false);
            }
            case EV_CLIENT -> onClientTimer(conns[clientOf(e.arg)], e.arg);
            case EV_CRASH -> {
                crash(e.node, "scheduled");
                cores[e.node].stop();
            }
            default -> throw new IllegalStateException();
        }
    }

    private int clientOf(int requestId) {
        return allRequests.get(requestId).conn;
    }

    private void afterCall(int r) {
        if (crashed[r]) {
            cores[r].stop();
        }
    }

    private static long validationDrops(NodeCore core) {
        var d = core.drops();
        return d.get(DropReason.TRUNCATED) + d.get(DropReason.BAD_MAGIC) + d.get(DropReason.BAD_VERSION)
                + d.get(DropReason.BAD_LENGTH) + d.get(DropReason.BAD_MAC) + d.get(DropReason.UNKNOWN_TYPE)
                + d.get(DropReason.WRONG_CLUSTER) + d.get(DropReason.UNKNOWN_RANK) + d.get(DropReason.BAD_FIELD);
    }

    // ------------------------------------------------------------------ network

    private void transmit(int from, int to, byte[] frame) {
        framesSent++;
        int loss = sc.lossPercent();
        int corrupt = sc.corruptPercent();
        if (consecutiveLosses[from][to] < Scenario.maxConsecutiveLosses) {
            int roll = rnd.nextInt(100);
            if (roll < loss) {
                consecutiveLosses[from][to]++;
                trace("  %d->%d %s lost", from, to, typeOf(frame));
                return;
            }
            if (roll < loss + corrupt) {
                consecutiveLosses[from][to]++;
                byte[] bad;
                if (rnd.nextBoolean()) {
                    bad = frame.clone();
                    bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
                } else {
                    bad = Arrays.copyOf(frame, rnd.nextInt(frame.length));
                }
                schedule(now + delay(), EV_FRAME, to, 0, bad, true);
                trace("  %d->%d %s corrupted", from, to, typeOf(frame));
                return;
            }
        }
        consecutiveLosses[from][to] = 0;
        schedule(now + delay(), EV_FRAME, to, 0, frame, false);
        if (rnd.nextInt(100) < sc.duplicatePercent()) {
            schedule(now + delay(), EV_FRAME, to, 0, frame, false);
        }
    }

    private long delay() {
        return sc.minDelayNs() + rnd.nextLong(sc.maxDelayNs() - sc.minDelayNs() + 1);
    }

    private static String typeOf(byte[] frame) {
        FrameType t = frame.length > TunnelFrame.TYPE_OFFSET ? FrameType.fromCode(frame[TunnelFrame.TYPE_OFFSET] & 0xFF) : null;
        return t == null ? "?" : t.name();
    }

    private final class Sink implements NodeSink {
        private final int rank;

        Sink(int rank) {
            this.rank = rank;
        }

        @Override
        public void send(int toRank, byte[] frame, int offset, int length) {
            if (crashed[rank]) {
                return;
            }
            byte[] copy = Arrays.copyOfRange(frame, offset, offset + length);
            FrameType type = FrameType.fromCode(copy[TunnelFrame.TYPE_OFFSET] & 0xFF);
            if (trace != null) {
                TunnelFrame f = new TunnelFrame().wrap(copy, 0);
                trace("node %d sends %s to %s term=%d n=%d conn=%d seq=%d pkt=%d/%d duty=%d extra=%d",
                        rank, type, toRank == MULTICAST ? "all" : String.valueOf(toRank), f.term(), f.orderingNumber(),
                        f.connectionId(), f.clientSequence(), f.packetIndex(), f.packetCount(), f.dutyRank(), f.extra());
            }
            for (int to = 0; to < n; to++) {
                if (to == rank || (toRank != MULTICAST && to != toRank)) {
                    continue;
                }
                if (crashed[rank]) {
                    return; // crashed mid-multicast: the remaining copies never leave
                }
                transmit(rank, to, copy);
                countCopy(rank, type);
            }
        }

        @Override
        public void deliverCausal(long orderingNumber, long connectionId, long clientSequence, int ringMask,
                                  byte[][] packets) {
            if (crashed[rank]) {
                return;
            }
            onDeliver(rank, orderingNumber, connectionId, clientSequence, ringMask, packets);
        }

        @Override
        public void serveReadOnly(long connectionId, long clientSequence, long lastCausal, byte[][] packets) {
            if (crashed[rank]) {
                return;
            }
            onServe(rank, connectionId, clientSequence, lastCausal, packets);
        }

        @Override
        public void deliverPureAck(long connectionId, byte[] packet) {
            if (!crashed[rank]) {
                trace("node %d pure ACK conn=%d", rank, connectionId);
            }
        }

        @Override
        public void roleChanged(NodeRole role, long term, int primaryRank) {
            if (crashed[rank]) {
                return;
            }
            trace("node %d becomes %s term=%d primary=%d", rank, role, term, primaryRank);
            if (role == NodeRole.PRIMARY && term > 0) {
                primaryChanges++;
            }
            if (role == NodeRole.CANDIDATE && !electionSeen) {
                electionSeen = true;
                if (electionCrashNode >= 0 && !crashed[electionCrashNode]) {
                    if (electionCrashAfter == 0) {
                        crash(electionCrashNode, "at the start of the election");
                    } else {
                        copies[electionCrashNode] = 0;
                        triggerType[electionCrashNode] = null;
                        triggerAt[electionCrashNode] = electionCrashAfter;
                    }
                }
            }
        }
    }

    private void countCopy(int rank, FrameType type) {
        if (triggerAt[rank] < 0 || (triggerType[rank] != null && triggerType[rank] != type)) {
            return;
        }
        copies[rank]++;
        if (copies[rank] >= triggerAt[rank]) {
            triggerAt[rank] = -1;
            crash(rank, "after frame copy " + copies[rank] + " of " + (triggerType[rank] == null ? "any type" : type));
        }
    }

    // ------------------------------------------------------------------ clients

    private void nextRequest(Conn c) {
        if (c.issued == sc.requestsPerConnection()) {
            c.current = null;
            return;
        }
        c.issued++;
        int roll = rnd.nextInt(100);
        RequestKind kind = roll < 55 ? RequestKind.CAUSAL : roll < 85 ? RequestKind.READ_ONLY : RequestKind.PURE_ACK;
        int count = kind == RequestKind.PURE_ACK ? 1 : 1 + rnd.nextInt(3);
        byte[][] packets = new byte[count][];
        int bytes = 0;
        for (int i = 0; i < count; i++) {
            packets[i] = new byte[kind == RequestKind.PURE_ACK ? 0 : 4 + rnd.nextInt(40)];
            rnd.nextBytes(packets[i]);
            bytes += packets[i].length;
        }
        Request q = new Request(allRequests.size(), c.index, c.connectionId, c.nextSequence, kind, packets);
        if (kind != RequestKind.PURE_ACK) {
            c.nextSequence = SerialNumbers.TCP.add(c.nextSequence, bytes);
            byKey.put(key(c.connectionId, q.clientSequence), q);
        }
        allRequests.add(q);
        c.requests.add(q);
        c.current = q;
    }

    private static long key(long connectionId, long clientSequence) {
        return (connectionId << 32) ^ clientSequence;
    }

    private void onClientTimer(Conn c, int requestId) {
        Request q = c.current;
        if (q == null || q.id != requestId || q.completed) {
            return;
        }
        int primary = -1;
        for (int r = 0; r < n; r++) {
            if (!crashed[r] && cores[r].role() == NodeRole.PRIMARY) {
                if (primary >= 0) {
                    fail("two live primaries: " + primary + " and " + r);
                    return;
                }
                primary = r;
            }
        }
        if (primary < 0) {
            schedule(now + CLIENT_BACKOFF_NS, EV_CLIENT, 0, q.id, null, false);
            return;
        }
        if (!q.submitted) {
            q.submitted = true;
            q.mustSee = completedCausal.size();
        }
        ClientRequestOutcome outcome = cores[primary].onClientRequest(q.connectionId, q.clientSequence, q.kind,
                q.packets, now);
        trace("client %d sends %s seq=%d to node %d: %s", c.index, q.kind, q.clientSequence, primary, outcome);
        afterCall(primary);
        if (q.kind == RequestKind.PURE_ACK && outcome == ClientRequestOutcome.RELAYED) {
            q.completed = true;
            advance(c);
            return;
        }
        boolean refused = outcome == ClientRequestOutcome.REFUSED_WINDOW || outcome == ClientRequestOutcome.REFUSED_NOT_PRIMARY;
        if (outcome == ClientRequestOutcome.REFUSED_INVALID) {
            fail("primary refused a valid request as invalid");
            return;
        }
        if (!q.completed) {
            schedule(now + (refused ? CLIENT_BACKOFF_NS : CLIENT_RETRY_NS), EV_CLIENT, 0, q.id, null, false);
        }
    }

    private void advance(Conn c) {
        nextRequest(c);
        if (c.current != null) {
            schedule(now + rnd.nextLong(300_000), EV_CLIENT, 0, c.current.id, null, false);
        }
    }

    private int liveMask() {
        int m = 0;
        for (int r = 0; r < n; r++) {
            if (!crashed[r]) {
                m |= 1 << r;
            }
        }
        return m;
    }

    private void checkCausalComplete(Request q) {
        if (q.kind != RequestKind.CAUSAL || q.completed) {
            return;
        }
        int live = liveMask();
        if (live != 0 && (q.deliveredMask & live) == live) {
            q.completed = true;
            completedCausal.add(q);
            trace("client %d: causal seq=%d complete", q.conn, q.clientSequence);
            advance(conns[q.conn]);
        }
    }

    private boolean allDone() {
        for (Conn c : conns) {
            if (c.current != null) {
                return false;
            }
        }
        return true;
    }

    private String incomplete() {
        StringBuilder b = new StringBuilder();
        for (Conn c : conns) {
            if (c.current != null) {
                b.append("[conn ").append(c.index).append(' ').append(c.current.kind).append(" seq=")
                        .append(c.current.clientSequence).append("]");
            }
        }
        for (int r = 0; r < n; r++) {
            NodeCore k = cores[r];
            b.append(String.format(" node%d{%s term=%d primary=%d contig=%d delivered=%d live=%s%s}", r, k.role(),
                    k.term(), k.primaryRank(), k.contiguousOrderingNumber(), k.deliveredOrderingNumber(),
                    Integer.toBinaryString(k.liveMask()), crashed[r] ? " crashed" : "") + " drops" + k.drops());
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ invariant checks

    private void fail(String message) {
        if (failure == null) {
            failure = message;
            trace("FAIL: %s", message);
        }
    }

    private void onDeliver(int r, long orderingNumber, long connectionId, long clientSequence, int ringMask,
                           byte[][] packets) {
        Request q = byKey.get(key(connectionId, clientSequence));
        trace("node %d delivers n=%d conn=%d seq=%d", r, orderingNumber, connectionId, clientSequence);
        if (q == null || q.kind != RequestKind.CAUSAL) {
            fail("node " + r + " delivered n=" + orderingNumber + " that is no causal request");
            return;
        }
        if (!Arrays.deepEquals(q.packets, packets)) {
            fail("node " + r + " delivered request " + q.id + " with different bytes");
        }
        if (orderingNumber != serial.next(lastDelivered[r])) {
            fail("node " + r + " delivered n=" + orderingNumber + " after n=" + lastDelivered[r] + " (gap or disorder)");
        }
        if (!deliveredIds.get(r).add(q.id)) {
            fail("node " + r + " delivered request " + q.id + " twice");
        }
        lastDelivered[r] = orderingNumber;
        delivered.get(r).add(new Delivery(orderingNumber, q.id, ringMask));
        q.deliveredMask |= 1 << r;
        checkCausalComplete(q);
    }

    private void onServe(int r, long connectionId, long clientSequence, long lastCausal, byte[][] packets) {
        Request q = byKey.get(key(connectionId, clientSequence));
        trace("node %d serves read-only conn=%d seq=%d after n=%d", r, connectionId, clientSequence, lastCausal);
        if (q == null || q.kind != RequestKind.READ_ONLY) {
            fail("node " + r + " served something that is no read-only request");
            return;
        }
        if (!Arrays.deepEquals(q.packets, packets)) {
            fail("node " + r + " served read-only request " + q.id + " with different bytes");
        }
        if (!hasDelivered(r, lastCausal)) {
            fail("node " + r + " served read-only request " + q.id + " before delivering n=" + lastCausal);
        }
        for (int i = 0; i < q.mustSee; i++) {
            if (!deliveredIds.get(r).contains(completedCausal.get(i).id)) {
                fail("stale read: node " + r + " served read-only request " + q.id
                        + " before causal request " + completedCausal.get(i).id + " the client had seen complete");
                break;
            }
        }
        q.served++;
        for (int m = q.servedBy; m != 0; m &= m - 1) {
            int earlier = Integer.numberOfTrailingZeros(m);
            if (!crashed[earlier]) {
                // Executed again only when every node that served it before has crashed (the primary
                // reschedules a read-only request whose duty node failed, paper §5.2).
                fail("read-only request " + q.id + " served by node " + earlier + " and again by node " + r
                        + " while " + earlier + " was alive");
                break;
            }
        }
        q.servedBy |= 1 << r;
        if (!q.completed) {
            q.completed = true;
            advance(conns[q.conn]);
        }
    }

    /** Whether node r delivered the causal request numbered {@code orderingNumber} (or it is the number before the first). */
    private boolean hasDelivered(int r, long orderingNumber) {
        if (orderingNumber == sc.initialOrderingNumber()) {
            return true;
        }
        for (Delivery d : delivered.get(r)) {
            if (d.orderingNumber() == orderingNumber) {
                return true;
            }
        }
        return false;
    }

    private void finalChecks() {
        if (!allDone()) {
            fail("stalled: " + incomplete());
            return;
        }
        int live = liveMask();
        if (live == 0) {
            return;
        }
        int first = Integer.numberOfTrailingZeros(live);
        List<Delivery> reference = delivered.get(first);
        for (int r = 0; r < n; r++) {
            List<Delivery> mine = delivered.get(r);
            if (!crashed[r]) {
                if (!mine.equals(reference)) {
                    fail("survivors " + first + " and " + r + " delivered different sequences ("
                            + reference.size() + " vs " + mine.size() + ")");
                    return;
                }
            } else if (sc.mode() == DeliveryMode.SAFE) {
                if (mine.size() > reference.size() || !reference.subList(0, mine.size()).equals(mine)) {
                    fail("safe delivery violated: crashed node " + r + " delivered what survivor " + first + " did not");
                    return;
                }
            }
        }
        Set<Integer> causalIds = new HashSet<>();
        int[] lastIndexInConn = new int[conns.length];
        Arrays.fill(lastIndexInConn, -1);
        for (Delivery d : reference) {
            Request q = allRequests.get(d.requestId());
            int idx = conns[q.conn].requests.indexOf(q);
            if (idx < lastIndexInConn[q.conn]) {
                fail("connection " + q.conn + " requests delivered out of the client's order");
                return;
            }
            lastIndexInConn[q.conn] = idx;
            causalIds.add(q.id);
        }
        for (Request q : allRequests) {
            if (q.kind == RequestKind.CAUSAL && !causalIds.contains(q.id)) {
                fail("causal request " + q.id + " was never delivered by the survivors");
                return;
            }
            if (q.kind == RequestKind.READ_ONLY && q.served < 1) {
                fail("read-only request " + q.id + " served " + q.served + " times");
                return;
            }
        }
        NodeCore ref = cores[first];
        int primaries = 0;
        for (int r = 0; r < n; r++) {
            if (crashed[r]) {
                continue;
            }
            NodeCore k = cores[r];
            if (k.role() == NodeRole.PRIMARY) {
                primaries++;
            } else if (k.role() != NodeRole.BACKUP) {
                fail("survivor " + r + " did not settle: " + k.role());
                return;
            }
            if (k.term() != ref.term() || k.primaryRank() != ref.primaryRank()
                    || k.electionState() != ElectionState.IDLE) {
                fail("survivors disagree on the primary: " + incomplete());
                return;
            }
            if (k.liveMask() != live) {
                fail("node " + r + " believes live " + Integer.toBinaryString(k.liveMask()) + ", truly "
                        + Integer.toBinaryString(live));
                return;
            }
        }
        if (primaries != 1 || crashed[ref.primaryRank()]) {
            fail("survivors have " + primaries + " primaries");
            return;
        }
        for (Delivery d : reference) {
            int a = ref.aggregatorFor(d.orderingNumber(), d.ringMask());
            for (int r = 0; r < n; r++) {
                if (!crashed[r] && cores[r].aggregatorFor(d.orderingNumber(), d.ringMask()) != a) {
                    fail("nodes disagree on the aggregator of response number " + d.orderingNumber());
                    return;
                }
            }
            if (a < 0 || crashed[a] || (Integer.bitCount(live) > 1 && a == ref.primaryRank())) {
                fail("aggregator of response number " + d.orderingNumber() + " is " + a
                        + ", not a live backup");
                return;
            }
        }
    }

    private void trace(String format, Object... args) {
        if (trace != null) {
            trace.append(String.format("%10.3f ms  ", now / 1e6)).append(String.format(format, args)).append('\n');
        }
    }
}
