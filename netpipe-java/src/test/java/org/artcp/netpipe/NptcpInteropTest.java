package org.artcp.netpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/**
 * netpipe-java against Debian's {@code NPtcp} 3.7.2 on loopback, both ways: Java transmitter with the C receiver and
 * the C transmitter with the Java receiver; and mismatched upper bounds caught on the Java side.
 */
@EnabledIfNptcp
class NptcpInteropTest {
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

    private Process nptcp(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(NptcpCondition.nptcp().orElseThrow().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".stdout").toFile())
                .redirectError(dir.resolve(name + ".stderr").toFile()).start();
        started.add(p);
        return p;
    }

    private static NetpipeOptions java(int port, Path dir, int end) {
        return NetpipeOptions.defaults(Compat.V3_7).withPort(port).withRange(1, end).withBindAddress("127.0.0.1")
                .withOutput(dir.resolve("np.out")).withJvmWarmup(false).withStallTimeout(Duration.ofSeconds(20));
    }

    private static List<Long> sizes(Path npOut) throws IOException {
        return NpOut.parse(npOut).stream().map(NpOut.Point::bytes).toList();
    }

    private static List<Long> expected(int start, int end, int perturbation) {
        return SizeSchedule.sizes(start, end, perturbation).stream().map(Integer::longValue).toList();
    }

    @Test
    void javaTransmitterWithNptcpReceiver(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        Process receiver = nptcp(dir, "receiver", "-P", Integer.toString(port), "-u", "4096");
        TestPorts.awaitListening(port, Duration.ofSeconds(10));
        List<PointResult> points = NetpipeTransmitter.run(java(port, dir, 4096).withHost("127.0.0.1"),
                NetpipeListener.SILENT);
        assertTrue(receiver.waitFor(30, TimeUnit.SECONDS), "NPtcp's receiver did not finish");
        assertEquals(0, receiver.exitValue(), Files.readString(dir.resolve("receiver.stdout")));
        assertEquals(expected(1, 4096, 3), sizes(dir.resolve("np.out")));
        assertEquals(58, points.size());
    }

    @Test
    void nptcpTransmitterWithJavaReceiver(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        JavaReceiverThread rx = new JavaReceiverThread(java(port, dir, 4096)).awaitListening();
        Process transmitter = nptcp(dir, "transmitter", "-h", "127.0.0.1", "-P", Integer.toString(port), "-u", "4096",
                "-o", "c-np.out");
        assertTrue(transmitter.waitFor(60, TimeUnit.SECONDS), "NPtcp's transmitter did not finish");
        assertEquals(0, transmitter.exitValue(), Files.readString(dir.resolve("transmitter.stderr")));
        assertTrue(rx.join(Duration.ofSeconds(10)));
        assertNull(rx.failure);
        List<Long> c = sizes(dir.resolve("c-np.out"));
        assertEquals(expected(1, 4096, 3), c);
        assertEquals(c, rx.points.stream().map(p -> (long) p.bytes()).toList());
    }

    @Test
    void bothDirectionsWriteTheSameSizesWithStartAndNoPerturbation(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("java-tx"));
        Path b = Files.createDirectories(dir.resolve("c-tx"));
        String[] opts = {"-l", "5", "-u", "3000", "-p", "0"};

        int port = TestPorts.freePort();
        List<String> rxArgs = new ArrayList<>(List.of("-P", Integer.toString(port)));
        rxArgs.addAll(List.of(opts));
        Process receiver = nptcp(a, "receiver", rxArgs.toArray(String[]::new));
        TestPorts.awaitListening(port, Duration.ofSeconds(10));
        NetpipeTransmitter.run(java(port, a, 3000).withRange(5, 3000).withPerturbation(0).withHost("127.0.0.1"),
                NetpipeListener.SILENT);
        assertTrue(receiver.waitFor(30, TimeUnit.SECONDS));

        int port2 = TestPorts.freePort();
        JavaReceiverThread rx = new JavaReceiverThread(java(port2, b, 3000).withRange(5, 3000).withPerturbation(0))
                .awaitListening();
        List<String> txArgs = new ArrayList<>(List.of("-h", "127.0.0.1", "-P", Integer.toString(port2), "-o",
                "np.out"));
        txArgs.addAll(List.of(opts));
        Process transmitter = nptcp(b, "transmitter", txArgs.toArray(String[]::new));
        assertTrue(transmitter.waitFor(60, TimeUnit.SECONDS));
        assertTrue(rx.join(Duration.ofSeconds(10)));
        assertNull(rx.failure);

        assertEquals(expected(5, 3000, 0), sizes(a.resolve("np.out")));
        assertEquals(sizes(b.resolve("np.out")), sizes(a.resolve("np.out")));
    }

    @Test
    void javaTransmitterNoticesAnNptcpReceiverWithASmallerUpperBound(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        Process receiver = nptcp(dir, "receiver", "-P", Integer.toString(port), "-u", "64", "-n", "20");
        TestPorts.awaitListening(port, Duration.ofSeconds(10));
        NetpipeException e = assertThrows(NetpipeException.class, () -> NetpipeTransmitter.run(
                java(port, dir, 1024).withFixedRepeats(20).withHost("127.0.0.1"), NetpipeListener.SILENT));
        assertEquals(NetpipeException.Kind.SCHEDULE_MISMATCH, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("give both the same -l/-u/-p"), e.getMessage());
        receiver.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void javaReceiverNoticesAnNptcpTransmitterWithALargerUpperBound(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        JavaReceiverThread rx = new JavaReceiverThread(java(port, dir, 64)).awaitListening();
        nptcp(dir, "transmitter", "-h", "127.0.0.1", "-P", Integer.toString(port), "-u", "1024", "-n", "20");
        assertTrue(rx.join(Duration.ofSeconds(30)));
        assertNotNull(rx.failure, "the Java receiver must notice");
        assertEquals(NetpipeException.Kind.SCHEDULE_MISMATCH, rx.failure.kind(), rx.failure.getMessage());
        assertTrue(rx.failure.getMessage().contains("give both the same -l/-u/-p"), rx.failure.getMessage());
    }

    @Test
    void javaReceiverNoticesAnNptcpTransmitterWithASmallerUpperBound(@TempDir Path dir) throws Exception {
        int port = TestPorts.freePort();
        JavaReceiverThread rx = new JavaReceiverThread(java(port, dir, 1024)).awaitListening();
        Process tx = nptcp(dir, "transmitter", "-h", "127.0.0.1", "-P", Integer.toString(port), "-u", "64", "-n",
                "20");
        assertTrue(rx.join(Duration.ofSeconds(30)));
        assertNotNull(rx.failure, "the Java receiver must notice");
        assertEquals(NetpipeException.Kind.SCHEDULE_MISMATCH, rx.failure.kind(), rx.failure.getMessage());
        tx.waitFor(10, TimeUnit.SECONDS);
    }
}
