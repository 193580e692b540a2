package org.artcp.orchestrator.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One full testbed (4 nodes, 2 clients, 100mbit, half a CPU per node), brought up once through the
 * real command and checked from every angle; torn down in {@link #tearDown()}, which checks that
 * nothing is left.
 */
@RequiresTestbed
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestbedUpTest {
    private static final String[] UP = {"testbed", "up", "--nodes", "4", "--clients", "2", "--link-rate", "100mbit", "--node-cpu", "0.5"};

    private Testbed tb;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    void bringUp() {
        Cli r = Cli.run(UP);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("testbed up: 4 nodes, 2 clients, link rate 100mbit, node cpu 0.5"), r.toString());
        tb = Testbed.load().orElseThrow();
    }

    @AfterAll
    void tearDown() {
        Cli r = Cli.run("testbed", "down");
        assertEquals(0, r.exitCode(), r.toString());
        Probe.assertNothingLeft();
        started.forEach(p -> Probe.assertGone(p.pid()));
    }

    @Test
    void everyHostReachesEveryOtherHost() {
        for (Host from : tb.hosts()) {
            StringBuilder script = new StringBuilder();
            for (Host to : tb.hosts()) {
                if (to != from) {
                    script.append("ping -c1 -W2 -q ").append(to.address()).append(" >/dev/null || echo unreachable ").append(to.address()).append(';');
                }
            }
            Sys.Result r = Probe.in(tb, from.name(), "sh", "-c", script.toString());
            assertEquals(0, r.exitCode(), r.stdout());
            assertEquals("", r.stdout().strip(), "from " + from.name());
        }
    }

    @Test
    void aTcpExchangeCrossesTheBridge(@TempDir Path dir) throws Exception {
        Path server = dir.resolve("EchoOnce.java");
        Files.writeString(server, """
                import java.io.*;
                import java.net.*;
                public class EchoOnce {
                    public static void main(String[] a) throws Exception {
                        try (ServerSocket s = new ServerSocket(7007, 1, InetAddress.getByName(a[0]))) {
                            System.out.println("listening");
                            try (Socket c = s.accept();
                                 BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream()));
                                 PrintWriter out = new PrintWriter(c.getOutputStream(), true)) {
                                out.println("echo " + in.readLine() + " from " + c.getRemoteSocketAddress());
                            }
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("server.log");
        Process p = tb.spawn("node3", List.of(java, server.toString(), "198.18.0.3"), log);
        started.add(p);
        Probe.awaitText(log, "listening", p);
        Sys.Result r = Probe.in(tb, "client2", "bash", "-c",
                "exec 3<>/dev/tcp/198.18.0.3/7007 && echo hello >&3 && read -r line <&3 && echo \"$line\"");
        assertEquals(0, r.exitCode(), r.stdout());
        assertTrue(r.stdout().startsWith("echo hello from /198.18.0.102:"), r.stdout());
        assertEquals(0, p.waitFor());
    }

    @Test
    void txChecksumOffloadIsOffOnBothEndsOfEveryVeth() {
        for (Host h : tb.hosts()) {
            assertTrue(Probe.in(tb, h.name(), "ethtool", "-k", "eth0").stdout().contains("tx-checksumming: off"), h.name());
            assertTrue(Probe.in(tb, "lan", "ethtool", "-k", h.bridgePort()).stdout().contains("tx-checksumming: off"), h.bridgePort());
        }
    }

    @Test
    void linkRateInstallsTbfOnBothEndsOfEveryVeth() {
        for (Host h : tb.hosts()) {
            String hostSide = Probe.ok(List.of("tc", "-n", h.namespace(), "qdisc", "show", "dev", "eth0"));
            String lanSide = Probe.ok(List.of("tc", "-n", AddressPlan.LAN_NAMESPACE, "qdisc", "show", "dev", h.bridgePort()));
            for (String q : List.of(hostSide, lanSide)) {
                assertTrue(q.contains("tbf") && q.contains("rate 100Mbit"), h.name() + ": " + q);
            }
        }
    }

    @Test
    void nodeCpuMakesOneCgroupPerNodeWithTheQuota() throws Exception {
        CpuCgroups cg = tb.cpuCgroups().orElseThrow();
        for (Host node : tb.nodes()) {
            assertTrue(Files.isDirectory(cg.group(node.name())), cg.group(node.name()).toString());
            long[] quota = cg.readQuota(node.name());
            assertEquals(50_000, quota[0]);
            assertEquals(100_000, quota[1]);
        }
        for (Host client : tb.clients()) {
            assertFalse(Files.exists(cg.group(client.name())), "clients are never capped");
        }
    }

    @Test
    void aProcessStartedInANodeLandsInItsCgroupAndAClientsDoesNot() throws Exception {
        CpuCgroups cg = tb.cpuCgroups().orElseThrow();
        String marker = cg.version() == CpuCgroups.Version.V1 ? ":cpu:/artcp/node2" : "::/artcp/node2";
        Sys.Result node = Probe.in(tb, "node2", "cat", "/proc/self/cgroup");
        assertTrue(node.stdout().contains(marker), node.stdout());
        Sys.Result client = Probe.in(tb, "client1", "cat", "/proc/self/cgroup");
        assertFalse(client.stdout().contains("/artcp/"), client.stdout());

        Process sleeper = tb.spawn("node4", List.of("sleep", "600"), null);
        started.add(sleeper);
        // the wrapper joins the cgroup and then execs sleep: once it is sleep, it has joined
        for (int i = 0; i < 600 && !Testbed.processName(sleeper.pid()).equals("sleep"); i++) {
            Thread.sleep(20);
        }
        assertEquals("sleep", Testbed.processName(sleeper.pid()));
        List<String> procs = Files.readAllLines(cg.procsFile("node4"));
        assertTrue(procs.contains(Long.toString(sleeper.pid())), "spawned pid " + sleeper.pid() + " in " + procs);
        assertTrue(Testbed.pids("artcp-node4").contains(sleeper.pid()));
    }

    @Test
    void hostsHaveTheirAddressesAndNothingIsInTheRootNamespace() {
        for (Host h : tb.hosts()) {
            String addr = Probe.in(tb, h.name(), "ip", "-4", "-o", "addr", "show", "dev", "eth0").stdout();
            assertTrue(addr.contains(" " + h.address() + "/24 "), h.name() + ": " + addr);
            String lo = Probe.in(tb, h.name(), "ip", "-o", "link", "show", "lo").stdout();
            assertTrue(lo.contains("UP"), "lo up in " + h.name() + ": " + lo);
            String portal = Probe.in(tb, h.name(), "ip", "-o", "addr").stdout();
            assertFalse(portal.contains(" " + AddressPlan.PORTAL_ADDRESS + "/"), "the portal is reserved, not assigned: " + portal);
        }
        String root = Probe.ok(List.of("ip", "-o", "link", "show"));
        assertFalse(root.contains("veth-") || root.contains(" br0:"), root);
        assertFalse(Probe.ok(List.of("ip", "-o", "addr")).contains("198.18.0."), "no testbed address in the root namespace");
    }

    @Test
    void upAgainWithTheSameSettingsIsANoOp() {
        Cli r = Cli.run(UP);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("already up with these settings"), r.toString());
        assertEquals(tb.state().createdAt(), Testbed.load().orElseThrow().state().createdAt(), "not rebuilt");
    }

    @Test
    void upWithOtherSettingsIsRefused() {
        Cli r = Cli.run("testbed", "up", "--nodes", "2");
        assertNotEquals(0, r.exitCode(), r.toString());
        String line = r.errorLine();
        assertTrue(line.contains("testbed is already up with 4 nodes, 2 clients, link rate 100mbit, node cpu 0.5"), line);
        assertTrue(line.contains("run ./artcp testbed down first"), line);
        assertTrue(Testbed.isUp());
    }

    @Test
    void execToAnUnknownHostNamesTheHostsThatExist() {
        Cli r = Cli.run("testbed", "exec", "node7", "--", "true");
        assertNotEquals(0, r.exitCode(), r.toString());
        String line = r.errorLine();
        assertTrue(line.contains("unknown host 'node7'") && line.contains("node1, node2, node3, node4, client1, client2"), line);
    }

    @Test
    void execReturnsTheCommandsExitCode() {
        assertEquals(7, Cli.run("testbed", "exec", "client1", "--", "sh", "-c", "exit 7").exitCode());
        assertEquals(0, Cli.run("testbed", "exec", "artcp-node1", "--", "true").exitCode());
        assertEquals(3, Cli.run("testbed", "exec", "node1", "sh", "-c", "exit 3").exitCode(), "options of CMD need no --");
        assertEquals(5, Cli.run("testbed", "exec", "node1", "--", "sh", "-c", "exit $#", "--", "a", "b", "c", "d", "e").exitCode(),
                "only the first -- separates");
        Cli none = Cli.run("testbed", "exec", "node1", "--");
        assertNotEquals(0, none.exitCode());
        assertTrue(none.errorLine().contains("no command given"), none.toString());
    }

    @Test
    void statusPrintsATableAndJson() throws Exception {
        Cli table = Cli.run("testbed", "status");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().contains("HOST") && table.out().contains("artcp-client2") && table.out().contains("198.18.0.102"), table.out());
        Cli json = Cli.run("testbed", "status", "--json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertTrue(root.get("up").asBoolean());
        assertEquals(6, root.get("hosts").size());
        assertEquals("198.18.0.4", root.get("hosts").get(3).get("address").asText());
        assertEquals("100mbit", root.get("settings").get("linkRate").asText());
        assertEquals(0.5, root.get("settings").get("nodeCpu").asDouble());
        assertEquals("198.18.0.10", root.get("portal").asText());
    }
}
