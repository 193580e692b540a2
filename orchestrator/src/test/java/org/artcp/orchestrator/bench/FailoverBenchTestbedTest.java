package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./artcp bench failover --crashes 1 --kinds backup --delivery best-effort --app mysql} end to end on a real
 * testbed: one 3-node cluster, the failover workload in client1, a backup killed; and a 2-node NetPIPE cluster
 * whose aggregator (its only backup) is killed under the ping-pong. Asserts the pipeline's outputs
 * (the files, the crash's record, a non-aggregator backup as the victim, a stall measured, the history checked,
 * the testbed gone), not the numbers: whether the client sees no error depends on the node's failover, which
 * the failover testbed tests judge. The numbers are printed.
 */
@RequiresTestbed
class FailoverBenchTestbedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path results;

    @Test
    @Timeout(600)
    void oneBackupCrashWritesEveryFileAndARecord() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("bench", "failover", "--crashes", "1", "--kinds", "backup", "--delivery", "best-effort",
                "--app", "mysql", "--warm-up-ms", "2000", "--after-kill-ms", "3000", "--results", results.toString());
        assertEquals(0, exit, err.toString());
        Path dir = results.resolve("failover/latest");
        assertTrue(Files.isSymbolicLink(dir));
        String crash = "mysql-backup-be/crash01/";
        for (String f : List.of("config.json", "env.json", "summary.json", "crashes.csv", "report.html",
                "failover-stall-best-effort.png", crash + "ops.csv", crash + "check.json", crash + "worker.log",
                crash + "worker.command", crash + "cluster/node1.log", crash + "cluster/node2.log",
                crash + "cluster/node3.log")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        System.out.println("failover bench, one backup crash: " + summary.path("series").get(0).toPrettyString());
        System.out.println("the crash: " + summary.path("crashes").get(0).toPrettyString());
        assertEquals("failover", summary.path("experiment").asText());
        JsonNode s = summary.path("series").get(0);
        assertEquals("mysql-backup-be", s.path("id").asText());
        assertEquals(1, s.path("crashes").asInt());
        JsonNode c = summary.path("crashes").get(0);
        assertTrue(List.of("node2", "node3").contains(c.path("victim").asText()), c.toString());
        assertFalse(c.path("killedAt").isNull(), c.toString());
        assertTrue(c.path("operations").asLong() > 0, c.toString());
        assertTrue(c.path("stallMs").isNumber(), "a stall measured: " + c);
        assertTrue(c.path("history").isObject(), "the history checked: " + c);
        assertTrue(c.path("checksumsEqual").isBoolean(), "the survivors' checksums taken: " + c);
        assertEquals(2, c.path("counters").size(), "the survivors' counters: " + c);
        assertEquals(2, Files.readAllLines(dir.resolve("crashes.csv")).size());
        assertTrue(Cluster.loadRunning().isEmpty(), "no cluster left");
        assertTrue(Testbed.listArtcpNamespaces().isEmpty(), "the bench took its testbed down");
    }

    @Test
    @Timeout(600)
    void oneAggregatorCrashOfATwoNodeNetpipeClusterWritesEveryFileAndARecord() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("bench", "failover", "--nodes", "2", "--crashes", "1", "--kinds", "aggregator",
                "--delivery", "safe", "--app", "netpipe", "--warm-up-ms", "2000", "--after-kill-ms", "3000",
                "--results", results.toString());
        assertEquals(0, exit, err.toString());
        Path dir = results.resolve("failover/latest");
        String crash = "netpipe-aggregator-safe/crash01/";
        for (String f : List.of("summary.json", "crashes.csv", "report.html", "failover-stall-safe.png",
                crash + "ops.csv.gz", crash + "ping.json", crash + "worker.log", crash + "cluster/node2.log")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        JsonNode c = summary.path("crashes").get(0);
        System.out.println("failover bench, one aggregator crash, 2 nodes, netpipe: " + c.toPrettyString());
        assertEquals("node2", c.path("victim").asText(), "with 2 nodes the only backup aggregates");
        assertTrue(c.path("operations").asLong() > 0, c.toString());
        assertTrue(c.path("stallMs").isNumber(), c.toString());
        assertTrue(c.path("history").isNull(), "no history check for the ping-pong");
        assertTrue(summary.path("series").get(0).path("checksums").isNull());
        assertEquals(1, c.path("counters").size(), "the survivor's counters: " + c);
        assertTrue(Testbed.listArtcpNamespaces().isEmpty(), "the bench took its testbed down");
    }
}
