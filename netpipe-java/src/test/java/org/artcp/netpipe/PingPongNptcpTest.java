package org.artcp.netpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NetpipePingPong} against Debian's {@code NPtcp} 3.7.2 receiver on loopback. */
@EnabledIfNptcp
class PingPongNptcpTest {
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatWeStarted() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private Process receiver(Path dir, int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(NptcpCondition.nptcp().orElseThrow().toString(), "-P",
                Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("receiver.out").toFile()).start();
        started.add(p);
        TestPorts.awaitListening(port, Duration.ofSeconds(10));
        return p;
    }

    private static NetpipeOptions options(int port) {
        return NetpipeOptions.defaults(Compat.V3_7).withHost("127.0.0.1").withPort(port).withJvmWarmup(false)
                .withStallTimeout(Duration.ofSeconds(20));
    }

    /**
     * Counts round trips and checks each takes time and starts where the previous ended, or later across a trial's
     * Sync.
     */
    private static final class Recorder implements NetpipePingPong.RoundTrips {
        long count;
        long previousEnd = Long.MIN_VALUE;
        String problem;

        @Override
        public void onRoundTrip(long startNanos, long endNanos) {
            if (problem == null && (endNanos <= startNanos || startNanos < previousEnd)) {
                problem = "round trip " + count + ": " + startNanos + " .. " + endNanos + " after " + previousEnd;
            }
            previousEnd = endNanos;
            count++;
        }
    }

    @Test
    void aFixedRepeatCountAtOneSizeEndsWithQuitAsNetpipeDoes(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        Process nptcp = receiver(dir, port, "-l", "64", "-u", "64", "-p", "0");
        NetpipeOptions o = options(port).withRange(64, 64).withPerturbation(0).withFixedRepeats(500);
        assertEquals(64, NetpipePingPong.blockBytes(o));
        Recorder r = new Recorder();
        long made = NetpipePingPong.run(o, () -> false, r, NetpipeListener.SILENT);
        assertEquals(3 * 500, made, "three trials of -n 500");
        assertEquals(made, r.count);
        assertEquals(null, r.problem);
        assertTrue(nptcp.waitFor(20, TimeUnit.SECONDS), "NPtcp did not finish");
        assertEquals(0, nptcp.exitValue(), Files.readString(dir.resolve("receiver.out")));
    }

    @Test
    void aReceiverWithDefaultOptionsPingPongsOneByteUntilStopped(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        Process nptcp = receiver(dir, port);
        NetpipeOptions o = options(port);
        assertEquals(1, NetpipePingPong.blockBytes(o), "NPtcp's first point is 1 byte");
        Recorder r = new Recorder();
        long stopAt = System.nanoTime() + 500_000_000L;
        long made = NetpipePingPong.run(o, () -> System.nanoTime() > stopAt, r, NetpipeListener.SILENT);
        System.out.println("[PingPongNptcpTest] " + made + " round trips of 1 byte in 0.5 s");
        assertTrue(made > 100, "round trips: " + made);
        assertEquals(made, r.count);
        assertEquals(null, r.problem);
        // the receiver sees the connection end mid-trial and exits: NPtcp serves one transmitter
        assertTrue(nptcp.waitFor(20, TimeUnit.SECONDS), "NPtcp did not exit after the connection closed: "
                + Files.readString(dir.resolve("receiver.out")));
        System.out.println("[PingPongNptcpTest] NPtcp exited with " + nptcp.exitValue() + ": "
                + Files.readString(dir.resolve("receiver.out")).strip().replace('\n', '|'));
    }

    @Test
    void theBlockSizeIsTheReceiversFirstPoint() {
        NetpipeOptions o = NetpipeOptions.defaults(Compat.V3_7);
        assertEquals(61, NetpipePingPong.blockBytes(o.withRange(64, 64)), "-l 64 with perturbation 3 starts at 61");
        assertEquals(64, NetpipePingPong.blockBytes(o.withRange(64, 10_000_000).withPerturbation(0)));
    }

    @Test
    void nothingListeningIsSaid() throws Exception {
        int port = TestPorts.freePort();
        NetpipeException e = assertThrows(NetpipeException.class,
                () -> NetpipePingPong.run(options(port), () -> false, (a, b) -> { }, NetpipeListener.SILENT));
        assertEquals(NetpipeException.Kind.NOTHING_LISTENING, e.kind());
    }

    @Test
    void netpipe24IsRefused() {
        NetpipeException e = assertThrows(NetpipeException.class, () -> NetpipePingPong.run(
                NetpipeOptions.defaults(Compat.V2_4).withHost("127.0.0.1"), () -> false, (a, b) -> { },
                NetpipeListener.SILENT));
        assertEquals(NetpipeException.Kind.BAD_OPTION, e.kind());
    }
}
