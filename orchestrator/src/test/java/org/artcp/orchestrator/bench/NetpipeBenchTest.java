package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.reports.ReportRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole NetPIPE experiment, short: real testbed, real NPtcp and netpipe-java on both ends, the
 * results directory of docs/results-format.md, and the report rendered from it.
 */
@RequiresTestbed
class NetpipeBenchTest {
    @TempDir
    Path results;

    @AfterAll
    static void tearDown() throws Exception {
        if (Testbed.isUp() || !Testbed.listArtcpNamespaces().isEmpty()) {
            Testbed.down(line -> { });
        }
    }

    @Test
    void shortSweepWithBothToolsWritesAResultsDirectoryThatRenders() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        NetpipeBench.Plan plan = new NetpipeBench.Plan(Arrays.asList((org.artcp.orchestrator.testbed.LinkRate) null),
                List.of(NetpipeBench.Tool.NPTCP, NetpipeBench.Tool.JAVA), List.of(2), List.of("best-effort"), 512L, 5002,
                results, false, null);
        Path dir = new NetpipeBench(plan, Path.of("").toAbsolutePath(),
                new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        assertTrue(Testbed.listArtcpNamespaces().isEmpty(), "the bench takes down the testbed it brought up");
        assertEquals(dir.getFileName(), Files.readSymbolicLink(results.resolve("netpipe/latest")));
        for (String f : List.of("summary.json", "env.json", "config.json",
                "plain-nptcp-unshaped/np.out", "plain-java-unshaped/np.out", "plain-java-unshaped/summary.json",
                "artcp2-be-nptcp-unshaped/np.out", "artcp2-be-nptcp-unshaped/cluster/node1.log")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " is missing");
        }
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        JsonNode series = summary.path("series");
        assertEquals(3, series.size());
        List<List<Long>> sizes = new ArrayList<>();
        for (JsonNode s : series) {
            List<Long> bytes = new ArrayList<>();
            for (JsonNode p : s.path("points")) {
                bytes.add(p.path("bytes").asLong());
                assertTrue(p.path("oneWaySeconds").asDouble() > 0, "a point without a time: " + p);
            }
            sizes.add(bytes);
        }
        // Every series ran the same NetPIPE schedule up to 512 bytes (perturbation 3).
        assertEquals(sizes.get(0), sizes.get(1));
        assertEquals(sizes.get(0), sizes.get(2));
        JsonNode ar = series.get(2);
        assertEquals("artcp2-be-nptcp-unshaped", ar.path("id").asText());
        assertEquals("ar-tcp", ar.path("transport").asText());
        assertEquals(2, ar.path("nodes").asInt());
        assertEquals("best-effort", ar.path("delivery").asText());
        assertTrue(ar.path("command").asText().contains("-h 198.18.0.10"), ar.path("command").asText());
        for (JsonNode node : ar.path("cluster").path("nodes")) {
            assertFalse(node.path("counters").has("deliveryRefused"), node.toString());
            assertFalse(node.path("counters").has("divergentResponses"), node.toString());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 8L, 12L, 13L, 16L, 19L), sizes.get(0).subList(0, 10));
        assertEquals("NPtcp -P 5002 -u 512", series.get(0).path("receiverCommand").asText());
        JsonNode javaPoint = series.get(1).path("points").get(0);
        assertFalse(javaPoint.path("histogram").isNull(), "netpipe-java points carry their histogram");
        assertTrue(Files.isRegularFile(dir.resolve(javaPoint.path("histogram").asText())));
        JsonNode env = new ObjectMapper().readTree(dir.resolve("env.json").toFile());
        assertTrue(env.hasNonNull("kernel") && env.hasNonNull("jdk"), env.toString());
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[plain-nptcp-unshaped]"),
                "progress is shown point by point");

        Path html = ReportRenderer.render(dir).reportHtml();
        String page = Files.readString(html);
        assertTrue(page.contains("plain-java-unshaped"), "report names the series");
        assertTrue(page.contains("receiver: <code>NPtcp -P 5002 -u 512</code>"), "report shows the receiver command");
    }
}
