package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.artcp.bench.mysql.HistogramLog;
import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./artcp bench updates} and {@code bench reads} end to end on a real testbed against the
 * standalone server ({@code --nodes 1}): the results directory holds what docs/results-format.md
 * says, with the counts the options ask for, and the testbed is gone afterwards.
 */
@RequiresTestbed
class MysqlBenchTestbedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path results;

    private static int run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        if (exit != 0) {
            System.err.println(err);
        }
        return exit;
    }

    @Test
    @Timeout(600)
    void updatesQuickStandaloneWritesEveryFile() throws Exception {
        assertEquals(0, run("bench", "updates", "--quick", "--nodes", "1", "--results", results.toString()));
        Path dir = results.resolve("updates/latest");
        assertTrue(Files.isSymbolicLink(dir));
        for (String f : List.of("config.json", "env.json", "summary.json", "updates.csv", "report.html",
                "fig7-standalone.png", "fig7-standalone.svg", "standalone/worker.json", "standalone/worker.log")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("updates", summary.path("experiment").asText());
        assertEquals(1, summary.path("series").size());
        JsonNode s = summary.path("series").get(0);
        assertEquals("standalone", s.path("id").asText());
        assertEquals(5, s.path("operations").size());
        for (JsonNode op : s.path("operations")) {
            assertEquals(20, op.path("count").asLong(), op.toString());
            assertEquals(0, op.path("errors").asLong(), op.toString());
            assertEquals(20, HistogramLog.read(dir.resolve(op.path("histogram").asText())).getTotalCount());
        }
        assertTrue(s.path("cluster").path("checksums").path("identical").asBoolean(), s.path("cluster").toString());
        assertEquals(6, Files.readAllLines(dir.resolve("updates.csv")).size());
        assertTrue(Testbed.listArtcpNamespaces().isEmpty(), "the bench took its testbed down");
    }

    @Test
    @Timeout(600)
    void readsQuickStandaloneWithTwoThreadsWritesEveryFile() throws Exception {
        assertEquals(0, run("bench", "reads", "--quick", "--nodes", "1", "--threads", "2", "--results", results.toString()));
        Path dir = results.resolve("reads/latest");
        for (String f : List.of("config.json", "env.json", "summary.json", "reads.csv", "report.html",
                "fig8-standalone.png", "standalone/prepare.log", "standalone/t2/client1/worker.json")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertEquals("reads", summary.path("experiment").asText());
        assertEquals(0.3, summary.path("nodeCpu").asDouble(), 1e-9, "the default cap");
        JsonNode s = summary.path("series").get(0);
        assertEquals("standalone-t2", s.path("id").asText());
        assertEquals(100, s.path("count").asLong(), "2 threads x 50 loops");
        assertEquals(0, s.path("errors").asLong(), s.toString());
        assertEquals(2, s.path("perThreadMeanUs").size());
        assertEquals(List.of(2), List.of(s.path("threadsPerClient").get(0).asInt()));
        assertEquals(100, HistogramLog.read(dir.resolve(s.path("histograms").get(0).asText())).getTotalCount());
        assertEquals(2, Files.readAllLines(dir.resolve("reads.csv")).size());
        assertTrue(Testbed.listArtcpNamespaces().isEmpty(), "the bench took its testbed down");
    }
}
