package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.artcp.netpipe.NpOut;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real clients through the portal of a real cluster (issue 4's testbed tests): Debian's {@code NPtcp}
 * sweeps, a 100 MiB echo, 200 concurrent connections, and afterwards the nodes' counters: no segment
 * the primary admitted was refused by a node's CM, and the connection tables are empty.
 */
@RequiresTestbed
class PortalTrafficTest {
    static final String PORTAL = "198.18.0.10";
    static final int ECHO_PORT = 7007;
    private static final long TABLES_EMPTY_TIMEOUT_MS = 20_000;

    @TempDir
    static Path results;
    private Cluster cluster;
    private final List<InNamespace.EchoServer> echoServers = new ArrayList<>();

    @BeforeAll
    static void testbedUp() throws Exception {
        Testbed.up(new TestbedConfig(4, 2, null, null), line -> { });
    }

    @AfterAll
    static void testbedDown() throws Exception {
        Testbed.down(line -> { });
    }

    @AfterEach
    void clusterDown() throws Exception {
        for (InNamespace.EchoServer e : echoServers) {
            e.close();
        }
        if (cluster != null) {
            cluster.stopLeavingTestbed(line -> { });
        }
    }

    private Cluster start(int nodes, String delivery, String app) throws Exception {
        cluster = Cluster.start(Testbed.require(), new ClusterSpec(nodes, delivery, "rr-np", app),
                results.resolve(nodes + "-" + delivery + "-" + app + "-" + System.nanoTime()), line -> { });
        if (app.equals("none")) {
            for (int k = 1; k <= nodes; k++) {
                echoServers.add(new InNamespace.EchoServer("node" + k, ECHO_PORT));
            }
        }
        return cluster;
    }

    @ParameterizedTest(name = "{0} nodes, {1}")
    @CsvSource({"2, best-effort", "2, safe", "4, best-effort", "4, safe"})
    void nptcpCompletesASweepThroughThePortal(int nodes, String delivery) throws Exception {
        start(nodes, delivery, "netpipe");
        Path out = results.resolve("np-" + nodes + "-" + delivery + ".out");
        Process p = Testbed.require().exec("client1", List.of("NPtcp", "-h", PORTAL, "-u", "65536", "-o", out.toString()))
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the sweep finished");
        assertEquals(0, p.exitValue(), log);
        List<NpOut.Point> points = NpOut.parse(out);
        assertEquals(65_539, points.getLast().bytes(), "the sweep reached 64 KiB + 3");
        assertTrue(points.size() > 70, "every size of the schedule: " + points.size());
        assertNoIllegalSegmentAcceptedAndTablesEmpty();
    }

    @Test
    void oneHundredMebibytesComeBackIntact() throws Exception {
        start(2, "best-effort", "none");
        long total = 100L << 20;
        SocketChannel c = InNamespace.channels("client1", 1)[0];
        c.connect(new InetSocketAddress(PORTAL, ECHO_PORT));
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        try (ExecutorService x = Executors.newVirtualThreadPerTaskExecutor(); c) {
            Future<?> writer = x.submit(() -> {
                SplittableRandom random = new SplittableRandom(4);
                ByteBuffer b = ByteBuffer.allocate(64 * 1024);
                for (long at = 0; at < total; at += b.capacity()) {
                    b.clear();
                    while (b.hasRemaining()) {
                        b.putLong(random.nextLong());
                    }
                    b.flip();
                    sent.update(b.duplicate());
                    while (b.hasRemaining()) {
                        c.write(b);
                    }
                }
                c.shutdownOutput();
                return null;
            });
            ByteBuffer in = ByteBuffer.allocate(256 * 1024);
            long got = 0;
            int n;
            while ((n = c.read(in)) >= 0) {
                in.flip();
                received.update(in);
                in.clear();
                got += n;
            }
            writer.get();
            assertEquals(total, got, "every byte came back");
        }
        assertArrayEquals(sent.digest(), received.digest(), "and they are the bytes sent");
        assertNoIllegalSegmentAcceptedAndTablesEmpty();
    }

    @Test
    void twoHundredConnectionsEachFinishAThousandPingPongs() throws Exception {
        start(2, "best-effort", "none");
        int connections = 200;
        int rounds = 1000;
        SocketChannel[] channels = InNamespace.channels("client1", connections);
        try (ExecutorService x = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SocketChannel c = channels[i];
                int id = i;
                done.add(x.submit(() -> pingPong(c, id, rounds)));
            }
            for (Future<Integer> f : done) {
                assertEquals(rounds, f.get(5, TimeUnit.MINUTES));
            }
        }
        assertNoIllegalSegmentAcceptedAndTablesEmpty();
    }

    @Test
    void aPortNobodyListensOnIsRefusedAsByOneServer() throws Exception {
        start(2, "best-effort", "none");
        SocketChannel c = InNamespace.channels("client1", 1)[0];
        try (ExecutorService x = Executors.newVirtualThreadPerTaskExecutor(); c) {
            Future<?> connect = x.submit(() -> c.connect(new InetSocketAddress(PORTAL, ECHO_PORT + 1)));
            // Without the nodes' resets the client would retry its SYN for about two minutes; the bound only
            // keeps a broken build from hanging here.
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> connect.get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.net.ConnectException && e.getCause().getMessage().contains("refused"),
                    "the client is refused: " + e.getCause());
        }
        assertNoIllegalSegmentAcceptedAndTablesEmpty();
    }

    /** {@code rounds} round trips of a 64-byte message that names the connection and the round; returns how many matched. */
    static int pingPong(SocketChannel c, int id, int rounds) throws IOException {
        try (c) {
            c.connect(new InetSocketAddress(PORTAL, ECHO_PORT));
            ByteBuffer out = ByteBuffer.allocate(64);
            ByteBuffer in = ByteBuffer.allocate(64);
            int ok = 0;
            for (int r = 0; r < rounds; r++) {
                out.clear();
                while (out.hasRemaining()) {
                    out.putInt(id).putInt(r);
                }
                out.flip();
                while (out.hasRemaining()) {
                    c.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (c.read(in) < 0) {
                        throw new IOException("connection " + id + " closed in round " + r);
                    }
                }
                if (in.getInt(0) == id && in.getInt(60) == r) {
                    ok++;
                }
            }
            return ok;
        }
    }

    /**
     * Every node: no segment the primary admitted was refused at delivery (none illegal got through the
     * primary's check: a node's CM applies the same checks), no divergent response, and, once TIME_WAIT
     * passed, an empty connection table.
     */
    void assertNoIllegalSegmentAcceptedAndTablesEmpty() throws Exception {
        long deadline = System.currentTimeMillis() + TABLES_EMPTY_TIMEOUT_MS;
        List<NodeView> views = cluster.statuses();
        while (System.currentTimeMillis() < deadline
                && views.stream().anyMatch(v -> v.status() == null || v.status().connections() != 0)) {
            Thread.sleep(200);
            views = cluster.statuses();
        }
        for (NodeView v : views) {
            NodeStatus s = v.status();
            Map<String, Long> c = s.counters();
            assertEquals(NodeView.Health.READY, v.health(), v.toString());
            assertEquals(0L, c.getOrDefault("deliveryRefused", -1L), "node rank " + s.rank() + ": " + s.nonZeroCounters());
            assertEquals(0L, c.getOrDefault("divergentResponses", -1L), "node rank " + s.rank() + ": " + s.nonZeroCounters());
            assertEquals(0L, s.connections(), "node rank " + s.rank() + "'s connection table: " + s.nonZeroCounters());
            assertEquals(v.member().rank() == 0 ? 1 : 0, s.role().equals("PRIMARY") ? 1 : 0, "rank 0 stays primary");
            assertEquals((1L << views.size()) - 1, s.liveMask(), "nobody was suspected: " + s.nonZeroCounters());
            if (v.member().rank() != 0) {
                assertEquals(0L, c.getOrDefault("arpAnswered", -1L), "only the primary answers ARP for the portal");
            }
        }
    }
}
