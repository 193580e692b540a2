package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The testbed faults of issue 6 on real 3-node clusters ({@code --app none}), each test on a fresh cluster
 * of one testbed: what each fault does to the processes and links, that {@code cluster stop} undoes it, and
 * what the nodes' existing failure detector makes of it (the survivors' {@code liveMask}).
 */
@RequiresTestbed
class FaultsTestbedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the survivors get to exclude a failed node: far above the 250 ms timeout, not a measurement. */
    private static final long EXCLUSION_WAIT_MS = 10_000;

    @TempDir
    static Path results;

    private Cluster cluster;

    @BeforeAll
    static void testbedUp() throws Exception {
        Testbed.up(new TestbedConfig(3, 1, null, null), line -> { });
    }

    @AfterAll
    static void testbedDown() throws Exception {
        Testbed.down(line -> { });
    }

    @AfterEach
    void stopCluster() throws Exception {
        Cluster.loadRunning().ifPresent(c -> {
            try {
                c.stop(line -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A 3-node cluster past the nodes' start-up grace, so that their detector suspects silent peers. */
    private Cluster start() throws Exception {
        cluster = Cluster.start(Testbed.require(), new ClusterSpec(3, "best-effort", "rr-np", "none"),
                results.resolve("cluster"), line -> { });
        // NodeProcessConfig's startupGraceMs (10 s) + the timeout, from the last node's start
        Thread.sleep(10_000 + 250 + 500);
        assertEquals(List.of(0, 1, 2), liveRanks("node1"), "no exclusion before any fault");
        return cluster;
    }

    private static List<Integer> liveRanks(String host) {
        NodeView v = Cluster.loadRunning().orElseThrow().statuses().stream()
                .filter(x -> x.member().host().equals(host)).findFirst().orElseThrow();
        return v.status() == null ? List.of() : v.status().liveRanks();
    }

    private static void awaitLive(List<Integer> expected, String... hosts) throws InterruptedException {
        long deadline = System.currentTimeMillis() + EXCLUSION_WAIT_MS;
        Map<String, List<Integer>> seen = new TreeMap<>();
        while (System.currentTimeMillis() < deadline) {
            seen.clear();
            for (String h : hosts) {
                seen.put(h, liveRanks(h));
            }
            if (seen.values().stream().allMatch(expected::equals)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected live ranks " + expected + " on " + List.of(hosts) + ", saw " + seen);
    }

    private static char processState(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private static String bridgePortState(String host) throws Exception {
        Sys.Result r = Sys.run(List.of("ip", "-n", "artcp-lan", "-br", "link", "show", "veth-" + host));
        return r.stdout().trim().split("\\s+")[1];
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void pauseStopsTheProcessAndResumeContinuesItAndAShortPauseExcludesNobody() throws Exception {
        start();
        long pid = cluster.member("node3").pid();
        Faults.pause("node3");
        assertEquals('T', processState(pid));
        assertEquals("paused", Cluster.loadRunning().orElseThrow().member("node3").faultState().label());
        Thread.sleep(250 / 3);
        Faults.resume("node3");
        assertTrue("SR".indexOf(processState(pid)) >= 0, "running or sleeping again: " + processState(pid));
        Thread.sleep(2_000);
        assertEquals(List.of(0, 1, 2), liveRanks("node1"), "a pause of a third of the timeout excludes nobody");
        assertEquals(List.of(0, 1, 2), liveRanks("node2"));
        assertEquals(List.of(0, 1, 2), liveRanks("node3"));
        assertEquals("-", Cluster.loadRunning().orElseThrow().member("node3").faultState().label());

        Run pause = cli("cluster", "pause", "node3");
        assertEquals(0, pause.exit(), pause.toString());
        assertTrue(pause.out().startsWith("paused node3 (SIGSTOP to its node process) at "), pause.out());
        Instant.parse(pause.out().strip().substring(pause.out().strip().lastIndexOf(' ') + 1));
        JsonNode status = JSON.readTree(cli("cluster", "status", "--json").out());
        assertEquals("paused", status.path("nodes").get(2).path("fault").asText(), status.toString());
        assertTrue(status.path("nodes").get(2).path("faults").path("paused").asBoolean(), status.toString());
        // stop sends SIGCONT first, so the paused node stops cleanly
        cluster.stop(line -> { });
        assertTrue(JSON.readTree(cluster.runDir().resolve("node3.status.json").toFile()).path("stopped").asBoolean());
    }

    @Test
    void aCutBackupIsExcludedAndHealAndStopBringItsLinkUp() throws Exception {
        start();
        assertEquals("UP", bridgePortState("node3"));
        Faults.cut("node3");
        assertEquals("DOWN", bridgePortState("node3"));
        assertTrue(cluster.member("node3").node().alive(), "a cut node keeps running");
        awaitLive(List.of(0, 1), "node1", "node2");
        assertTrue(cli("cluster", "status").out().lines().anyMatch(l -> l.startsWith("node3") && l.contains(" cut ")));
        Faults.heal("node3");
        assertEquals("UP", bridgePortState("node3"));
        assertEquals("-", Cluster.loadRunning().orElseThrow().member("node3").faultState().label());
        // (healed, node3 learns that it was excluded and stops: the node's business, see docs/failover.md)
        Faults.cut("node2");
        assertEquals("DOWN", bridgePortState("node2"));
        cluster.stop(line -> { });
        assertEquals("UP", bridgePortState("node2"), "stop heals the link of the testbed it leaves up");
    }

    @Test
    void aKilledBackupLeavesNoProcessIsExcludedAndStopCleansUp() throws Exception {
        start();
        long pid = cluster.member("node3").pid();
        Run kill = cli("cluster", "kill", "node3");
        assertEquals(0, kill.exit(), kill.toString());
        assertTrue(kill.out().startsWith("killed node3 "), kill.out());
        assertTrue(Testbed.isGone(pid));
        assertEquals(List.of(), Testbed.pids("artcp-node3"), "nothing runs in the killed host");
        assertEquals("DOWN", bridgePortState("node3"));
        awaitLive(List.of(0, 1), "node1", "node2");
        JsonNode status = JSON.readTree(cli("cluster", "status", "--json").out());
        JsonNode n3 = status.path("nodes").get(2);
        assertEquals("killed", n3.path("fault").asText(), n3.toString());
        assertEquals("dead", n3.path("state").asText(), n3.toString());
        assertEquals(1, cli("cluster", "kill", "node3").exit(), "a killed node cannot be killed again");
        assertEquals(1, cli("cluster", "pause", "node3").exit());

        Run stop = cli("cluster", "stop");
        assertEquals(0, stop.exit(), stop.toString());
        assertTrue(stop.out().contains("node in node3 was killed at "), stop.out());
        assertFalse(Files.exists(Cluster.STATE_FILE));
        assertFalse(Files.exists(Cluster.STATUS_DIR));
        for (String host : List.of("node1", "node2", "node3")) {
            assertEquals(List.of(), Testbed.pids("artcp-" + host), host);
            assertEquals("UP", bridgePortState(host), host);
        }
    }

    @Test
    void lossDropsAboutTheRateOnEveryKindOfFrameAndZeroRemovesTheRules() throws Exception {
        start();
        // which frames the bridge's forward hook sees on their way to node3, counted before the loss rules
        Sys.Result probeAdded = Sys.run(List.of("ip", "netns", "exec", "artcp-lan", "nft", "-f", "-"), """
                add table bridge artcp_faults
                add chain bridge artcp_faults probe { type filter hook forward priority -10; policy accept; }
                add rule bridge artcp_faults probe oifname "veth-node3" ether daddr ff:ff:ff:ff:ff:ff counter comment "broadcast"
                add rule bridge artcp_faults probe oifname "veth-node3" ether daddr 01:00:5e:00:00:00/24 counter comment "multicast"
                add rule bridge artcp_faults probe oifname "veth-node3" ether daddr 02:a7:c6:12:00:03 counter comment "unicast"
                """);
        assertTrue(probeAdded.ok(), probeAdded.toString());
        Faults.loss("node3", 20);
        assertEquals("loss 20%", Cluster.loadRunning().orElseThrow().member("node3").faultState().label());
        // unicast (ICMP to node3), broadcast (ARP requests for it, and a broadcast ping) on top of the tunnel's multicast
        Sys.run(List.of("ip", "netns", "exec", "artcp-client1", "ip", "neigh", "flush", "to", "198.18.0.3"));
        Sys.run(List.of("ip", "netns", "exec", "artcp-client1", "ping", "-c", "40", "-i", "0.02", "-W", "1", "198.18.0.3"));
        Sys.run(List.of("ip", "netns", "exec", "artcp-client1", "ping", "-b", "-c", "3", "-i", "0.02", "-W", "1",
                "198.18.0.255"));
        Thread.sleep(1_000);
        Faults.LossCounters c = Faults.lossCounters("node3");
        assertTrue(c.fromSeen() > 200 && c.toSeen() > 200, "the nodes' heartbeats pass: " + c);
        assertTrue(c.dropRate() > 0.14 && c.dropRate() < 0.26, "about 20 % dropped: " + c);
        assertTrue(c.fromDropped() > 0 && c.toDropped() > 0, "both directions: " + c);

        Map<String, Long> probe = new TreeMap<>();
        JsonNode listing = JSON.readTree(Sys.run(List.of("ip", "netns", "exec", "artcp-lan", "nft", "-j", "list", "chain",
                "bridge", "artcp_faults", "probe")).stdout());
        for (JsonNode item : listing.path("nftables")) {
            JsonNode rule = item.path("rule");
            for (JsonNode e : rule.path("expr")) {
                if (e.has("counter")) {
                    probe.put(rule.path("comment").asText(), e.path("counter").path("packets").asLong());
                }
            }
        }
        for (String kind : List.of("broadcast", "multicast", "unicast")) {
            assertTrue(probe.getOrDefault(kind, 0L) > 0, kind + " frames pass the bridge's forward hook: " + probe);
        }
        Sys.run(List.of("ip", "netns", "exec", "artcp-lan", "nft", "delete", "chain", "bridge", "artcp_faults", "probe"));

        Run zero = cli("cluster", "loss", "node3", "0");
        assertEquals(0, zero.exit(), zero.toString());
        assertFalse(Sys.run(List.of("ip", "netns", "exec", "artcp-lan", "nft", "list", "chain", "bridge", "artcp_faults",
                "loss_node3")).ok(), "0 removes node3's rules");
        assertEquals(new Faults.LossCounters(0, 0, 0, 0), Faults.lossCounters("node3"));
        assertEquals("-", Cluster.loadRunning().orElseThrow().member("node3").faultState().label());
        assertEquals(List.of(0, 1, 2), liveRanks("node1"), "20 % loss on a 10 ms heartbeat excludes nobody");
    }

    @Test
    void badNodeNamesAndNodesOutsideTheClusterAreRefused() throws Exception {
        cluster = Cluster.start(Testbed.require(), new ClusterSpec(2, "best-effort", "rr-np", "none"),
                results.resolve("cluster"), line -> { });
        for (String bad : List.of("node0", "node5", "client1", "lan", "")) {
            ClusterException e = assertThrows(ClusterException.class, () -> Faults.kill(bad));
            assertTrue(e.getMessage().contains("use node1 to node4"), e.getMessage());
        }
        ClusterException outside = assertThrows(ClusterException.class, () -> Faults.cut("node3"));
        assertEquals("no node 'node3': the cluster has node1, node2", outside.getMessage());
        assertThrows(ClusterException.class, () -> Faults.loss("node2", 101));
        Run cli = cli("cluster", "pause", "node7");
        assertEquals(1, cli.exit());
        assertEquals("artcp cluster pause: 'node7' is not a node: use node1 to node4", cli.err().strip());
        cluster.stop(line -> { });
        ClusterException none = assertThrows(ClusterException.class, () -> Faults.kill("node1"));
        assertTrue(none.getMessage().startsWith("no cluster is up"), none.getMessage());
    }
}
