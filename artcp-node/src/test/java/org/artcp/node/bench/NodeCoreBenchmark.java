package org.artcp.node.bench;

import java.util.concurrent.TimeUnit;

import org.artcp.node.ClientRequestOutcome;
import org.artcp.node.NodeConfig;
import org.artcp.node.NodeCore;
import org.artcp.node.NodeSink;
import org.artcp.node.RequestKind;
import org.artcp.node.order.DeliveryMode;
import org.artcp.node.wire.FrameAuthenticator;
import org.artcp.node.wire.FrameType;
import org.artcp.node.wire.TunnelFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-request cost of the ordering core, one thread (issue 3: "≥ 1,000,000 requests/s per core"):
 * <ul>
 *   <li>{@code primary}: a 100-byte causal request is numbered, encoded into a tunnel frame, sealed
 *       with HMAC-SHA-256 and handed to the sink (and delivered locally, best-effort);</li>
 *   <li>{@code backup}: a 164-byte REQUEST frame is verified, decoded, ordered and delivered (plus
 *       one primary heartbeat every 256 requests, which lets the backup trim its log).</li>
 * </ul>
 * Run: see docs/results-sim.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NodeCoreBenchmark {
    private static final byte[] KEY = "benchmark-cluster-key-0123456789".getBytes();
    private static final int FOLD = 4096;
    private static final int HEARTBEAT_EVERY = 256;

    private NodeCore primary;
    private NodeCore backup;
    private final byte[][] request = {new byte[100]};
    private long clientSequence;
    private byte[][] frames;
    private byte[][] heartbeats;
    private int next;
    private long sunk;

    private final class CountingSink implements NodeSink {
        @Override
        public void send(int toRank, byte[] frame, int offset, int length) {
            sunk += length;
        }

        @Override
        public void deliverCausal(long orderingNumber, long connectionId, long clientSequence, int ringMask,
                                  byte[][] packets) {
            sunk += orderingNumber;
        }

        @Override
        public void serveReadOnly(long connectionId, long clientSequence, long lastCausal, byte[][] packets) {
        }

        @Override
        public void deliverPureAck(long connectionId, byte[] packet) {
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        for (int i = 0; i < 100; i++) {
            request[0][i] = (byte) i;
        }
        // a one-node cluster: nothing ever waits for a backup, so the measured path is
        // number + encode + seal + send + deliver
        NodeConfig solo = new NodeConfig(1, 1, KEY, DeliveryMode.BEST_EFFORT, 1L << 32, 0, 1024, 10_000_000,
                100_000_000, 200_000, 2_000_000, false, 0);
        primary = new NodeCore(solo, 0, new CountingSink(), 0);

        NodeConfig pair = new NodeConfig(1, 2, KEY, DeliveryMode.BEST_EFFORT, FOLD, 0, FOLD / 8, 10_000_000,
                100_000_000, 200_000, 2_000_000, false, 0);
        backup = new NodeCore(pair, 1, new CountingSink(), 0);
        FrameAuthenticator auth = new FrameAuthenticator(KEY);
        frames = new byte[FOLD][];
        heartbeats = new byte[FOLD / HEARTBEAT_EVERY][];
        for (int i = 0; i < FOLD; i++) {
            frames[i] = frame(auth, FrameType.REQUEST, (i + 1) % FOLD, request[0]);
        }
        for (int h = 0; h < heartbeats.length; h++) {
            heartbeats[h] = frame(auth, FrameType.HEARTBEAT, ((h + 1) * HEARTBEAT_EVERY) % FOLD, new byte[0]);
        }
    }

    private static byte[] frame(FrameAuthenticator auth, FrameType type, long n, byte[] payload) {
        byte[] b = new byte[TunnelFrame.frameLength(payload.length)];
        TunnelFrame f = new TunnelFrame().wrap(b, 0).initHeader();
        f.type(type).clusterId(1).senderRank(0).term(0).orderingNumber(n).connectionId(7).clientSequence(n * 100)
                .packetIndex(0).packetCount(1).liveMask(0b10).payload(payload, 0, payload.length);
        auth.seal(b, 0, TunnelFrame.HEADER_LENGTH + payload.length);
        return b;
    }

    /** The primary's per-request cost: sequence + encode + authenticate a 100-byte request. */
    @Benchmark
    public ClientRequestOutcome primary() {
        clientSequence = (clientSequence + 100) & 0xFFFF_FFFFL;
        return primary.onClientRequest(7, clientSequence, RequestKind.CAUSAL, request, 0);
    }

    /** A backup's per-request cost: verify + decode + order (and deliver) one REQUEST frame. */
    @Benchmark
    public void backup(Blackhole bh) {
        byte[] f = frames[next];
        backup.onFrame(f, 0, f.length, 0);
        next++;
        if (next % HEARTBEAT_EVERY == 0) {
            byte[] hb = heartbeats[next / HEARTBEAT_EVERY - 1];
            backup.onFrame(hb, 0, hb.length, 0);
            if (next == FOLD) {
                next = 0;
            }
        }
        bh.consume(sunk);
    }
}
