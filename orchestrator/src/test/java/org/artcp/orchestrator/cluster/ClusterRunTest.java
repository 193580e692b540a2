package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real two-node cluster on a testbed it brings up itself: start, status, stop, and nothing left.
 * Needs the node process of artcp-node ({@code NodeProcess.run}).
 */
@RequiresTestbed
class ClusterRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void twoNodesStartWithOnePrimaryAndStopLeavingNothing(@TempDir Path results) throws Exception {
        List<Long> pids = new ArrayList<>();
        Path runDir = null;
        try {
            Run start = run("cluster", "start", "--nodes", "2", "--delivery", "best-effort", "--app", "netpipe",
                    "--results", results.toString());
            assertEquals(0, start.exit(), start.toString());
            Cluster c = Cluster.loadRunning().orElseThrow();
            runDir = c.runDir();
            c.state().nodes().forEach(m -> {
                pids.add(m.pid());
                pids.add(m.appPid());
            });
            assertTrue(c.state().testbedOwned(), "no testbed was up, so the cluster brought one up");
            assertTrue(Testbed.isUp());

            List<NodeView> views = c.statuses();
            assertEquals(2, views.size());
            for (NodeView v : views) {
                assertEquals(NodeView.Health.READY, v.health(), v.toString());
            }
            assertEquals(1, views.stream().filter(v -> "PRIMARY".equals(v.status().role())).count(), views.toString());

            Run status = run("cluster", "status");
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("node1") && status.out().contains("node2")
                    && status.out().contains("PRIMARY"), status.out());
            Run json = run("cluster", "status", "--json");
            JsonNode doc = JSON.readTree(json.out());
            assertEquals(2, doc.path("nodes").size(), json.out());
            assertTrue(doc.path("nodes").get(0).path("pidAlive").asBoolean(), json.out());

            Run same = run("cluster", "start", "--nodes", "2", "--delivery", "best-effort", "--app", "netpipe",
                    "--results", results.toString());
            assertEquals(0, same.exit(), same.toString());
            assertTrue(same.out().contains("already up"), same.out());
            Run other = run("cluster", "start", "--nodes", "3", "--delivery", "best-effort", "--app", "netpipe");
            assertEquals(1, other.exit(), other.toString());
            assertTrue(other.err().strip().endsWith("run ./artcp cluster stop first"), other.err());
            assertEquals(1, other.err().strip().lines().count(), other.err());

            c.restartApp(line -> { });
            Cluster.loadRunning().orElseThrow().state().nodes().forEach(m -> pids.add(m.appPid()));
        } finally {
            Run stop = run("cluster", "stop");
            assertEquals(0, stop.exit(), stop.toString());
        }
        for (long pid : pids) {
            assertTrue(Testbed.isGone(pid), "process " + pid + " is still running");
        }
        assertFalse(Files.exists(Cluster.STATE_FILE));
        assertFalse(Files.exists(Cluster.STATUS_DIR));
        assertFalse(Testbed.isUp());
        assertEquals(List.of(), new ArrayList<>(Testbed.listArtcpNamespaces()));
        assertFalse(Files.exists(Testbed.RUN_DIR));
        for (String f : List.of("node1.properties", "node2.properties", "node1.log", "nptcp-node2.log", "node1.status.json")) {
            assertTrue(Files.exists(runDir.resolve(f)), runDir.resolve(f) + " kept");
        }
        assertTrue(JSON.readTree(runDir.resolve("node1.status.json").toFile()).path("stopped").asBoolean(),
                "the node's final status says stopped");
        assertEquals("no cluster is up", run("cluster", "stop").out().strip());
    }
}
