package org.artcp.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import org.artcp.node.membership.NodeRole;
import org.artcp.node.order.DeliveryMode;
import org.artcp.node.wire.DropReason;
import org.artcp.node.wire.FrameType;
import org.artcp.node.wire.TunnelFrame;
import org.junit.jupiter.api.Test;

/** Node cores driven by hand: frames are carried (or dropped) by the test, time is a long it advances. */
class NodeCoreTest {
    private static final byte[] KEY = "node-core-test-key-0123456789abc".getBytes();
    private static final long HB = 1_000_000;
    private static final long TIMEOUT = 5_000_000;

    /** A frame in flight. */
    record Frame(int from, int to, byte[] bytes) {
        FrameType type() {
            return FrameType.fromCode(bytes[TunnelFrame.TYPE_OFFSET] & 0xFF);
        }

        long orderingNumber() {
            return new TunnelFrame().wrap(bytes, 0).orderingNumber();
        }
    }

    interface Filter {
        boolean drop(Frame f);
    }

    static final class Cluster {
        final NodeCore[] cores;
        final List<List<Long>> delivered = new ArrayList<>();
        final List<List<Long>> served = new ArrayList<>();
        final List<List<Long>> negligible = new ArrayList<>();
        final List<List<Long>> pureAcks = new ArrayList<>();
        final Deque<Frame> inFlight = new ArrayDeque<>();
        final boolean[] down;
        long now;

        Cluster(int n, DeliveryMode mode, long foldBound, long initial) {
            NodeConfig cfg = new NodeConfig(7, n, KEY, mode, foldBound, initial, (int) Math.min(64, foldBound / 8), HB,
                    TIMEOUT, 100_000, 500_000, false, 0);
            cores = new NodeCore[n];
            down = new boolean[n];
            for (int r = 0; r < n; r++) {
                final int rank = r;
                delivered.add(new ArrayList<>());
                served.add(new ArrayList<>());
                negligible.add(new ArrayList<>());
                pureAcks.add(new ArrayList<>());
                cores[r] = new NodeCore(cfg, r, new NodeSink() {
                    @Override
                    public void send(int toRank, byte[] frame, int offset, int length) {
                        byte[] copy = java.util.Arrays.copyOfRange(frame, offset, offset + length);
                        for (int to = 0; to < n; to++) {
                            if (to != rank && (toRank == MULTICAST || toRank == to)) {
                                inFlight.add(new Frame(rank, to, copy));
                            }
                        }
                    }

                    @Override
                    public void deliverCausal(long orderingNumber, long connectionId, long clientSequence, int ringMask,
                                              byte[][] packets) {
                        delivered.get(rank).add(clientSequence);
                    }

                    @Override
                    public void serveReadOnly(long connectionId, long clientSequence, long lastCausal, byte[][] packets) {
                        served.get(rank).add(clientSequence);
                    }

                    @Override
                    public void negligibleReadOnly(long connectionId, long clientSequence, byte[][] packets) {
                        negligible.get(rank).add(clientSequence);
                    }

                    @Override
                    public void deliverPureAck(long connectionId, byte[] packet) {
                        pureAcks.get(rank).add(connectionId);
                    }
                }, 0);
            }
        }

        /** Carries every frame in flight (and those they cause) to live nodes, dropping what the filter says. */
        void pump(Filter filter) {
            while (!inFlight.isEmpty()) {
                Frame f = inFlight.poll();
                if (down[f.from()] || down[f.to()] || filter.drop(f)) {
                    continue;
                }
                cores[f.to()].onFrame(f.bytes(), 0, f.bytes().length, now);
            }
        }

        void pump() {
            pump(f -> false);
        }

        /** Advances time in heartbeat-sized steps, running every live node's duty cycle and carrying frames. */
        void run(long durationNs, Filter filter) {
            long end = now + durationNs;
            while (now < end) {
                now += HB / 4;
                for (int r = 0; r < cores.length; r++) {
                    if (!down[r]) {
                        cores[r].doWork(now);
                    }
                }
                pump(filter);
            }
        }

        void crash(int r) {
            down[r] = true;
            cores[r].stop();
        }

        ClientRequestOutcome request(long seq, RequestKind kind) {
            return cores[0].onClientRequest(1, seq, kind, new byte[][] {{(byte) seq, 1, 2}}, now);
        }
    }

    @Test
    void bestEffortDeliversAtOnceDetectsTheGapAndRecoversByNak() {
        Cluster c = new Cluster(2, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(100, RequestKind.CAUSAL));
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(200, RequestKind.CAUSAL));
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(300, RequestKind.CAUSAL));
        assertEquals(List.of(100L, 200L, 300L), c.delivered.get(0), "the primary delivers at once");
        c.pump(f -> f.type() == FrameType.REQUEST && f.orderingNumber() == 2);
        assertEquals(List.of(100L), c.delivered.get(1), "gap at 2: 3 waits");
        List<Frame> naks = new ArrayList<>();
        c.run(3 * HB, f -> {
            if (f.type() == FrameType.NAK) {
                naks.add(f);
            }
            return false;
        });
        assertTrue(!naks.isEmpty(), "the gap was NAKed");
        assertEquals(2, naks.get(0).orderingNumber());
        assertEquals(List.of(100L, 200L, 300L), c.delivered.get(1));
    }

    @Test
    void tailLossIsFoundFromThePrimarysHeartbeat() {
        Cluster c = new Cluster(2, DeliveryMode.BEST_EFFORT, 16, 14);
        c.request(1, RequestKind.CAUSAL);
        c.pump(f -> f.type() == FrameType.REQUEST);
        assertEquals(List.of(), c.delivered.get(1));
        c.run(3 * HB, f -> false);
        assertEquals(List.of(1L), c.delivered.get(1));
    }

    @Test
    void safeDeliveryWaitsForEveryBackupsAckAndAFailureReleasesIt() {
        Cluster c = new Cluster(3, DeliveryMode.SAFE, 1L << 32, 0);
        c.request(100, RequestKind.CAUSAL);
        Filter noAckFrom2 = f -> f.from() == 2 && (f.type() == FrameType.ACK || f.type() == FrameType.HEARTBEAT);
        c.pump(noAckFrom2);
        assertEquals(List.of(), c.delivered.get(0), "not stable: backup 2 has not ACKed");
        assertEquals(List.of(), c.delivered.get(1));
        c.crash(2);
        c.run(TIMEOUT + 2 * HB, f -> false);
        assertTrue(!c.cores[0].drops().snapshot().containsKey(DropReason.BAD_MAC));
        assertEquals(0b011, c.cores[0].liveMask());
        assertEquals(List.of(100L), c.delivered.get(0), "released once backup 2 is excluded");
        assertEquals(List.of(100L), c.delivered.get(1));
    }

    @Test
    void safeDeliveryDeliversOnceAcked() {
        Cluster c = new Cluster(3, DeliveryMode.SAFE, 1L << 32, 0);
        c.request(100, RequestKind.CAUSAL);
        c.pump();
        for (int r = 0; r < 3; r++) {
            assertEquals(List.of(100L), c.delivered.get(r), "node " + r);
        }
    }

    @Test
    void aNegligibleReadOnlyRequestIsAccountedOnlyAfterTheCausalRequestsBeforeIt() {
        Cluster c = new Cluster(3, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        c.request(100, RequestKind.CAUSAL);
        List<Frame> held = new ArrayList<>();
        c.pump(f -> {
            if (f.type() == FrameType.REQUEST && f.to() == 2) {
                held.add(f);
                return true;
            }
            return false;
        });
        assertEquals(ClientRequestOutcome.SCHEDULED, c.request(200, RequestKind.READ_ONLY)); // RR-NP: rank 1 first
        c.pump();
        assertEquals(List.of(200L), c.served.get(1));
        assertEquals(List.of(200L), c.negligible.get(0), "the primary's own stack accounts it too");
        assertEquals(List.of(), c.negligible.get(2), "node 2 has not delivered causal 1 yet");
        c.inFlight.addAll(held);
        c.pump();
        assertEquals(List.of(100L), c.delivered.get(2));
        assertEquals(List.of(200L), c.negligible.get(2));
    }

    @Test
    void readOnlyRunsOnTheDutyNodeAfterTheCausalRequestsBeforeIt() {
        Cluster c = new Cluster(3, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        c.request(100, RequestKind.CAUSAL);
        List<Frame> held = new ArrayList<>();
        c.pump(f -> {
            if (f.type() == FrameType.REQUEST && f.to() == 1) {
                held.add(f);
                return true;
            }
            return false;
        });
        assertEquals(ClientRequestOutcome.SCHEDULED, c.request(200, RequestKind.READ_ONLY)); // RR-NP: rank 1 first
        c.pump();
        assertEquals(List.of(), c.served.get(1), "duty node has not delivered causal 1 yet");
        assertEquals(List.of(200L), c.negligible.get(2));
        c.inFlight.addAll(held);
        c.pump();
        assertEquals(List.of(200L), c.served.get(1));
        assertEquals(List.of(), c.served.get(0));
        assertEquals(List.of(), c.served.get(2));
        assertEquals(ClientRequestOutcome.SCHEDULED, c.request(300, RequestKind.READ_ONLY)); // next: rank 2
        c.pump();
        assertEquals(List.of(300L), c.served.get(2));
        assertEquals(ClientRequestOutcome.RESCHEDULED, c.request(300, RequestKind.READ_ONLY));
        c.pump();
        assertEquals(List.of(300L), c.served.get(2), "a retransmitted read-only request is served once");
    }

    @Test
    void aReadOnlyRequestWhoseDutyNodeFailsIsExecutedAgainOnASurvivor() {
        Cluster c = new Cluster(3, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        c.request(100, RequestKind.CAUSAL);
        assertEquals(ClientRequestOutcome.SCHEDULED, c.request(200, RequestKind.READ_ONLY)); // RR-NP: rank 1
        c.pump();
        assertEquals(List.of(200L), c.served.get(1));
        assertEquals(List.of(200L), c.negligible.get(2));
        c.crash(1);
        c.run(3 * TIMEOUT, f -> false);
        assertEquals(0b101, c.cores[0].liveMask());
        assertEquals(List.of(200L), c.served.get(2), "the survivor executes it again: rank 1 may have died before answering");
        assertEquals(1, c.cores[0].readOnlyRescheduledCount());

        c.request(300, RequestKind.CAUSAL);
        c.request(400, RequestKind.READ_ONLY); // rank 2, the only backup left
        c.request(500, RequestKind.CAUSAL);
        c.pump();
        c.crash(2);
        c.run(3 * TIMEOUT, f -> false);
        assertEquals(1, c.cores[0].readOnlyRescheduledCount(), "a read-only request followed by another is answered");
    }

    @Test
    void aNodeThatLearnsTheOthersExcludedItStops() {
        Cluster c = new Cluster(3, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        c.run(2 * TIMEOUT, f -> f.from() == 2); // rank 2 hears the others; they do not hear it
        assertEquals(0b011, c.cores[0].liveMask());
        assertEquals(NodeRole.STOPPED, c.cores[2].role(), "a node the others no longer count must not serve");
        assertTrue(c.cores[2].excludedBy() == 0 || c.cores[2].excludedBy() == 1);
        assertEquals(NodeRole.PRIMARY, c.cores[0].role());
    }

    @Test
    void whenACutHealsTheSideWithFewerLiveNodesStops() {
        Cluster c = new Cluster(3, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        c.run(2 * TIMEOUT, f -> f.from() == 2 || f.to() == 2); // rank 2 cut off both ways
        assertEquals(0b011, c.cores[0].liveMask());
        assertEquals(0b100, c.cores[2].liveMask(), "it excluded the others in turn");
        assertEquals(NodeRole.PRIMARY, c.cores[2].role(), "alone, it elected itself");
        c.run(2 * HB, f -> false); // healed
        assertEquals(NodeRole.STOPPED, c.cores[2].role(), "one live node against two: it stops");
        assertEquals(NodeRole.PRIMARY, c.cores[0].role());
        assertEquals(NodeRole.BACKUP, c.cores[1].role());
    }

    @Test
    void whenACutBetweenTwoNodesHealsTheOneThatOrderedLessStops() {
        Cluster c = new Cluster(2, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        c.run(2 * TIMEOUT, f -> true); // cut: each thinks the other dead
        assertEquals(NodeRole.PRIMARY, c.cores[1].role());
        c.request(100, RequestKind.CAUSAL); // the clients went on with rank 0
        c.run(2 * HB, f -> false); // healed
        assertEquals(NodeRole.STOPPED, c.cores[1].role());
        assertEquals(NodeRole.PRIMARY, c.cores[0].role(), "exactly one side stops");
    }

    @Test
    void pureAcksAreRelayedWithTheSpecialNumber() {
        Cluster c = new Cluster(3, DeliveryMode.SAFE, 1L << 32, 0);
        assertEquals(ClientRequestOutcome.RELAYED, c.cores[0].onClientRequest(5, 0, RequestKind.PURE_ACK, new byte[][] {{}}, 0));
        Frame f = c.inFlight.peek();
        assertEquals(FrameType.PURE_ACK, f.type());
        assertEquals(TunnelFrame.SPECIAL_ORDERING_NUMBER, f.orderingNumber());
        c.pump();
        assertEquals(List.of(5L), c.pureAcks.get(1));
        assertEquals(List.of(5L), c.pureAcks.get(2));
        assertEquals(List.of(), c.delivered.get(1), "not a causal request");
    }

    @Test
    void aRetransmittedCausalRequestIsNotNumberedTwice() {
        Cluster c = new Cluster(2, DeliveryMode.BEST_EFFORT, 1L << 32, 0);
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(100, RequestKind.CAUSAL));
        assertEquals(ClientRequestOutcome.DUPLICATE, c.request(100, RequestKind.CAUSAL));
        c.pump();
        assertEquals(List.of(100L), c.delivered.get(1));
        assertEquals(ClientRequestOutcome.REFUSED_NOT_PRIMARY,
                c.cores[1].onClientRequest(1, 500, RequestKind.CAUSAL, new byte[][] {{1}}, 0));
    }

    @Test
    void primaryFailureElectsHighestNumberThenSmallestRankWhichFillsTheGaps() {
        Cluster c = new Cluster(4, DeliveryMode.BEST_EFFORT, 64, 61);
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(100, RequestKind.CAUSAL)); // number 62
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(200, RequestKind.CAUSAL)); // number 63
        assertEquals(ClientRequestOutcome.SEQUENCED, c.request(300, RequestKind.CAUSAL)); // number 0: across the fold
        // backup 3 misses the last two; backups 1 and 2 tie on the highest number
        c.pump(f -> f.to() == 3 && f.type() == FrameType.REQUEST && f.orderingNumber() != 62);
        c.crash(0); // before anyone could NAK
        c.run(TIMEOUT + 6 * HB, f -> false);
        for (int r = 1; r <= 3; r++) {
            assertEquals(1, c.cores[r].term(), "node " + r);
            assertEquals(1, c.cores[r].primaryRank(), "node " + r + ": tie on the number goes to the smaller rank");
            assertEquals(List.of(100L, 200L, 300L), c.delivered.get(r), "node " + r + " filled up to the winner");
        }
        assertEquals(NodeRole.PRIMARY, c.cores[1].role());
        assertEquals(NodeRole.BACKUP, c.cores[2].role());
        assertEquals(0b1110, c.cores[3].liveMask());
        // the new primary carries on numbering after its base
        assertEquals(ClientRequestOutcome.SEQUENCED,
                c.cores[1].onClientRequest(1, 400, RequestKind.CAUSAL, new byte[][] {{4}}, c.now));
        c.pump();
        assertEquals(List.of(100L, 200L, 300L, 400L), c.delivered.get(3));
        // and the ring of aggregators no longer holds the old primary nor the new one
        assertEquals(0b1100, c.cores[3].ringMask());
    }

    @Test
    void highestOrderingNumberWinsOverSmallerRank() {
        Cluster c = new Cluster(3, DeliveryMode.SAFE, 1L << 32, 0);
        c.request(100, RequestKind.CAUSAL);
        c.pump(f -> f.to() == 1 && f.type() == FrameType.REQUEST);
        c.crash(0);
        c.run(TIMEOUT + 6 * HB, f -> false);
        assertEquals(2, c.cores[1].primaryRank());
        assertEquals(NodeRole.PRIMARY, c.cores[2].role());
        assertEquals(List.of(100L), c.delivered.get(1));
        assertEquals(List.of(100L), c.delivered.get(2));
    }

    /**
     * Authenticated frames (a member's key) with random field values, sent to nodes in every role
     * (primary, backup, after an election): whatever they claim, a node never throws. (What such a
     * frame makes a node deliver is not checked: a holder of the cluster key is a member.)
     */
    @Test
    void authenticatedFramesWithRandomFieldsNeverThrow() {
        Random random = new Random(7);
        org.artcp.node.wire.FrameAuthenticator auth = new org.artcp.node.wire.FrameAuthenticator(KEY);
        for (int round = 0; round < 20; round++) {
            Cluster c = new Cluster(3, round % 2 == 0 ? DeliveryMode.SAFE : DeliveryMode.BEST_EFFORT, 64, 60);
            c.request(100, RequestKind.CAUSAL);
            c.pump();
            if (round % 4 == 1) {
                c.crash(0);
                c.run(TIMEOUT + 2 * HB, f -> false); // nodes 1 and 2 elect; node 1 primary
            }
            for (int i = 0; i < 2_000; i++) {
                byte[] payload = new byte[random.nextInt(4)];
                byte[] b = new byte[TunnelFrame.frameLength(payload.length)];
                TunnelFrame f = new TunnelFrame().wrap(b, 0).initHeader();
                FrameType[] types = FrameType.values();
                f.type(types[random.nextInt(types.length)]).clusterId(7).senderRank(random.nextInt(3))
                        .flags(random.nextInt(2)).term(random.nextInt(4)).orderingNumber(random.nextInt(70))
                        .connectionId(random.nextInt(3)).clientSequence(random.nextInt(300))
                        .packetCount(1 + random.nextInt(3)).dutyRank(random.nextInt(4) == 0 ? 0xFF : random.nextInt(3))
                        .targetRank(random.nextInt(3) == 0 ? 0xFF : random.nextInt(3)).liveMask(random.nextInt(8))
                        .lastCausalOrderingNumber(random.nextInt(70)).extra(random.nextInt(70))
                        .payload(payload, 0, payload.length);
                f.packetIndex(random.nextInt(f.packetCount()));
                auth.seal(b, 0, TunnelFrame.HEADER_LENGTH + payload.length);
                int to = random.nextInt(3);
                if (!c.down[to]) {
                    c.cores[to].onFrame(b, 0, b.length, c.now);
                }
                if (i % 100 == 0) {
                    c.now += HB / 4;
                    for (int r = 0; r < 3; r++) {
                        if (!c.down[r]) {
                            c.cores[r].doWork(c.now);
                        }
                    }
                    c.inFlight.clear();
                }
            }
        }
    }

    @Test
    void garbageAndForgedFramesAreCountedNeverThrown() {
        Cluster c = new Cluster(2, DeliveryMode.SAFE, 1L << 32, 0);
        Random random = new Random(42);
        NodeCore core = c.cores[1];
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length > 4 && random.nextBoolean()) {
                junk[0] = (byte) 0xA7;
                junk[1] = (byte) 0xC9;
                junk[2] = 1;
            }
            core.onFrame(junk, 0, junk.length, 0);
        }
        assertEquals(10_000, core.drops().total());
        // a well-formed frame sealed under another key
        Cluster other = new Cluster(2, DeliveryMode.SAFE, 1L << 32, 0);
        other.cores[0].doWork(0);
        Frame forged = other.inFlight.poll();
        byte[] bytes = forged.bytes().clone();
        new org.artcp.node.wire.FrameAuthenticator("a forger's key of 16+ bytes".getBytes())
                .seal(bytes, 0, bytes.length - TunnelFrame.MAC_LENGTH);
        long badMacBefore = core.drops().get(DropReason.BAD_MAC);
        core.onFrame(bytes, 0, bytes.length, 0);
        assertEquals(badMacBefore + 1, core.drops().get(DropReason.BAD_MAC), "forged frame fails authentication");
        core.onFrame(bytes, 0, 10, 0);
        core.onFrame(bytes, 5, bytes.length, 0);
        assertEquals(10_003, core.drops().total());
        assertEquals(List.of(), c.delivered.get(1));
    }
}
