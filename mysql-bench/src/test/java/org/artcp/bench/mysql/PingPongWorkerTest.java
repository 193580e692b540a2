package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PingPongWorker} against Debian's {@code NPtcp} receiver on loopback: READY, STOP, DONE, and every round trip
 * a {@code ping} op. Skipped, with the reason, where {@code NPtcp} is not installed.
 */
class PingPongWorkerTest {
    private final List<Process> started = new ArrayList<>();
    private Path nptcp;

    @BeforeEach
    void findNptcp() {
        Optional<Path> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "NPtcp")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            String why = "NPtcp is not on the PATH (apt-get install netpipe-tcp)";
            System.err.println("[PingPongWorkerTest] skipped: " + why);
            Assumptions.abort(why);
        }
        nptcp = found.get();
    }

    @AfterEach
    void stopWhatWeStarted() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private Process receiver(Path dir, int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(nptcp.toString(), "-P", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("receiver.out").toFile()).start();
        started.add(p);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!listening(port)) {
            assertTrue(System.currentTimeMillis() < deadline, "NPtcp does not listen on " + port);
            Thread.sleep(20);
        }
        return p;
    }

    /** From the socket table: NPtcp takes the first connection as its transmitter, so a probe must not connect. */
    private static boolean listening(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void pingsUntilStopAndWritesEveryRoundTrip(@TempDir Path dir) throws Exception {
        int port = freePort();
        receiver(dir, port, "-l", "64", "-u", "64", "-p", "0");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path ops = dir.resolve("ping.csv.gz");
        Path summary = dir.resolve("ping.json");
        long before = Op.nowMicros();
        int status = PingPongWorker.run(new String[] {"--host", "127.0.0.1", "--port", Integer.toString(port),
                "--start", "64", "--end", "64", "--perturbation", "0", "--warm-up-seconds", "1",
                "--ops-file", ops.toString(), "--summary-file", summary.toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8), new ByteArrayInputStream("STOP\n".getBytes(StandardCharsets.UTF_8)));
        long after = Op.nowMicros();
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        List<String> lines = printed.lines().toList();
        assertTrue(lines.indexOf(Worker.READY) >= 0 && lines.indexOf(Worker.READY) < lines.indexOf(Worker.DONE), printed);
        List<Op> pings = Op.readCsv(ops);
        JsonNode s = new ObjectMapper().readTree(summary.toFile());
        System.out.println("[PingPongWorkerTest] " + pings.size() + " round trips of 64 bytes; p50 "
                + s.path("p50RoundTripUs").asDouble() + " µs, max " + s.path("maxRoundTripUs").asDouble() + " µs");
        assertTrue(pings.size() > 100, "round trips in the 1 s warm-up: " + pings.size());
        assertEquals(pings.size(), s.path("roundTrips").asLong());
        assertEquals(64, s.path("bytes").asInt());
        assertEquals(0, s.path("errors").asInt());
        assertTrue(pings.stream().allMatch(op -> op.ok() && op.kind().equals(Op.PING) && op.thread() == 0));
        for (int i = 0; i < pings.size(); i++) {
            Op p = pings.get(i);
            assertTrue(p.startMicros() >= before && p.endMicros() <= after, "op " + i + " outside the run: " + p);
            if (i > 0) {
                assertTrue(p.startMicros() >= pings.get(i - 1).endMicros(), "op " + i + " starts before the previous ended");
            }
        }
    }

    @Test
    void aReceiverThatGoesAwayIsOneFailedPing(@TempDir Path dir) throws Exception {
        int port = freePort();
        Process receiver = receiver(dir, port);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path ops = dir.resolve("ping.csv");
        // the receiver is killed 300 ms after READY; the run stops after its duration
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                super.println(line);
                if (Worker.READY.equals(line)) {
                    Thread.ofPlatform().daemon().start(() -> {
                        try {
                            Thread.sleep(300);
                            receiver.destroyForcibly();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
        };
        int status = PingPongWorker.run(new String[] {"--host", "127.0.0.1", "--port", Integer.toString(port),
                "--warm-up-seconds", "0", "--duration", "2", "--ops-file", ops.toString()}, out,
                new ByteArrayInputStream(new byte[0]));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        List<Op> all = Op.readCsv(ops);
        List<Op> failed = all.stream().filter(op -> !op.ok()).toList();
        assertEquals(1, failed.size(), printed);
        assertEquals(failed.getFirst(), all.getLast(), "the failure ends the run");
        assertTrue(all.size() > 1, "round trips before the receiver died");
        System.out.println("[PingPongWorkerTest] after " + (all.size() - 1) + " round trips: " + failed.getFirst().error());
    }

    @Test
    void nothingListeningFailsBeforeReady(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = PingPongWorker.run(new String[] {"--host", "127.0.0.1", "--port", Integer.toString(freePort()),
                "--ops-file", dir.resolve("ops.csv").toString()}, new PrintStream(log, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, printed);
        assertTrue(printed.lines().noneMatch(Worker.READY::equals), printed);
        assertEquals(2, PingPongWorker.run(new String[] {"--host", "h"}, new PrintStream(new ByteArrayOutputStream()),
                new ByteArrayInputStream(new byte[0])), "--ops-file is required");
    }
}
