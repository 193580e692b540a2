package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code cluster status} from sample status documents: fields, flags, table and JSON. */
class ClusterStatusReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_764_180_000_000L;

    private static final ClusterSpec SPEC = new ClusterSpec(2, "best-effort", "rr-np", "netpipe");
    private static final Cluster.State STATE = new Cluster.State(1, SPEC, "/r/cluster/20261126-191000", true,
            "2026-11-26T19:10:00Z", List.of(member(1), member(2)));

    private static Cluster.Member member(int k) {
        return new Cluster.Member("node" + k, k - 1, "198.18.0." + k, 1000 + k, 0, "/r/node" + k + ".properties",
                "/run/artcp/cluster/node" + k + ".json", "/r/node" + k + ".log", 2000L + k, 0L, "/r/nptcp-node" + k + ".log");
    }

    private static NodeStatus status(int rank, String role, long updatedAt, boolean ready, boolean stopped) throws Exception {
        String json = """
                {"rank":%d,"address":"198.18.0.%d","pid":%d,"ready":%b,"stopped":%b,"role":"%s","term":3,"primary":0,
                 "liveMask":3,"ringMask":2,"delivery":"best-effort","contiguous":12,"delivered":11,"connections":1,
                 "counters":{"lanIn":40,"clientSegmentsAdmitted":38,"clientSegmentsDropped":0,"divergentResponses":0},
                 "futureField":"kept","updatedAtMillis":%d}
                """.formatted(rank, rank + 1, 1001 + rank, ready, stopped, role, updatedAt);
        return NodeStatus.of((ObjectNode) JSON.readTree(json));
    }

    @Test
    void readsTheFieldsAndKeepsCountersGenerically() throws Exception {
        NodeStatus s = status(0, "PRIMARY", NOW, true, false);
        assertEquals(0, s.rank());
        assertEquals("PRIMARY", s.role());
        assertEquals(3, s.term());
        assertEquals(List.of(0, 1), s.liveRanks());
        assertEquals(12, s.contiguous());
        assertEquals(11, s.delivered());
        assertEquals(Map.of("lanIn", 40L, "clientSegmentsAdmitted", 38L), s.nonZeroCounters());
        assertEquals(4, s.counters().size());
    }

    @Test
    void missingFieldsReadAsZero() throws Exception {
        NodeStatus s = NodeStatus.of((ObjectNode) JSON.readTree("{\"rank\":1}"));
        assertFalse(s.ready());
        assertNull(s.role());
        assertEquals(Map.of(), s.counters());
        assertEquals(List.of(), s.liveRanks());
    }

    @Test
    void healthFlagsStaleMissingDeadAndStopped() throws Exception {
        Cluster.Member m = member(1);
        assertEquals(NodeView.Health.READY, NodeView.of(m, status(0, "PRIMARY", NOW - 300, true, false), true, NOW).health());
        assertEquals(NodeView.Health.STARTING, NodeView.of(m, status(0, "PRIMARY", NOW, false, false), true, NOW).health());
        assertEquals(NodeView.Health.READY, NodeView.of(m, status(0, "PRIMARY", NOW - 2_000, true, false), true, NOW).health());
        assertEquals(NodeView.Health.STALE, NodeView.of(m, status(0, "PRIMARY", NOW - 2_001, true, false), true, NOW).health());
        assertEquals(NodeView.Health.NO_STATUS, NodeView.of(m, null, true, NOW).health());
        assertEquals(NodeView.Health.DEAD, NodeView.of(m, status(0, "PRIMARY", NOW, true, false), false, NOW).health());
        assertEquals(NodeView.Health.DEAD, NodeView.of(m, null, false, NOW).health());
        assertEquals(NodeView.Health.STOPPED, NodeView.of(m, status(0, "PRIMARY", NOW - 60_000, true, true), false, NOW).health());
        assertEquals("no status", NodeView.Health.NO_STATUS.label());
    }

    @Test
    void tableHasOneRowPerNodeWithNonZeroCounters() throws Exception {
        List<NodeView> views = List.of(NodeView.of(member(1), status(0, "PRIMARY", NOW - 300, true, false), true, NOW),
                NodeView.of(member(2), status(1, "BACKUP", NOW - 5_000, true, false), true, NOW));
        String table = ClusterStatusReport.table(STATE, views);
        List<String> lines = table.lines().toList();
        assertEquals(5, lines.size(), table);
        assertTrue(lines.get(0).startsWith("cluster: 2 nodes, delivery best-effort, read policy rr-np, app netpipe"), table);
        assertTrue(lines.get(0).contains("testbed brought up by the cluster"), table);
        assertTrue(lines.get(2).startsWith("HOST"), table);
        List<String> node1 = List.of(lines.get(3).split("\\s+"));
        assertEquals(List.of("node1", "0", "1001", "ready", "-", "PRIMARY", "3", "0", "0,1", "12/11", "1", "0.3s",
                "lanIn=40", "clientSegmentsAdmitted=38"), node1);
        assertTrue(lines.get(4).matches("node2\\s+1\\s+1002\\s+stale\\s+-\\s+BACKUP.*5\\.0s.*"), table);
        assertFalse(table.contains("clientSegmentsDropped"), table);
    }

    @Test
    void tableShowsNodesWithoutStatus() {
        String table = ClusterStatusReport.table(STATE, List.of(NodeView.of(member(1), null, true, NOW),
                NodeView.of(member(2), null, false, NOW)));
        assertTrue(table.lines().anyMatch(l -> l.matches("node1\\s+0\\s+1001\\s+no status\\s+-.*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("node2\\s+1\\s+1002\\s+dead\\s+-.*")), table);
    }

    @Test
    void jsonIsTheStatusDocumentsWithHostAndPidAlive() throws Exception {
        List<NodeView> views = List.of(NodeView.of(member(1), status(0, "PRIMARY", NOW - 300, true, false), true, NOW),
                NodeView.of(member(2), null, false, NOW));
        JsonNode doc = JSON.readTree(ClusterStatusReport.json(STATE, views));
        assertEquals(2, doc.path("settings").path("nodes").asInt());
        assertEquals("best-effort", doc.path("settings").path("delivery").asText());
        assertTrue(doc.path("testbedOwned").asBoolean());
        JsonNode n1 = doc.path("nodes").get(0);
        assertEquals("node1", n1.path("host").asText());
        assertTrue(n1.path("pidAlive").asBoolean());
        assertEquals("ready", n1.path("state").asText());
        assertEquals("PRIMARY", n1.path("role").asText());
        assertEquals(38, n1.path("counters").path("clientSegmentsAdmitted").asLong());
        assertEquals("kept", n1.path("futureField").asText());
        assertEquals(300, n1.path("ageMillis").asLong());
        JsonNode n2 = doc.path("nodes").get(1);
        assertEquals("node2", n2.path("host").asText());
        assertFalse(n2.path("pidAlive").asBoolean());
        assertEquals("dead", n2.path("state").asText());
        assertEquals(1, n2.path("rank").asInt());
        assertEquals("-", n2.path("fault").asText());
        assertFalse(n2.path("faults").path("killed").asBoolean());
    }

    @Test
    void faultsShowInTheTableAndTheJson() throws Exception {
        Cluster.Member killed = member(2).withFaults(FaultState.NONE.withKilled("2026-11-26T19:10:01Z").withLoss(2.5));
        Cluster.Member paused = member(1).withFaults(FaultState.NONE.withPaused("2026-11-26T19:10:02Z").withCut("x"));
        List<NodeView> views = List.of(NodeView.of(paused, status(0, "PRIMARY", NOW - 300, true, false), true, NOW),
                NodeView.of(killed, null, false, NOW));
        String table = ClusterStatusReport.table(STATE, views);
        assertTrue(table.lines().anyMatch(l -> l.matches("node1\\s+0\\s+1001\\s+ready\\s+paused\\+cut\\s+PRIMARY.*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("node2\\s+1\\s+1002\\s+dead\\s+killed\\+loss 2\\.5%\\s+-.*")), table);
        JsonNode n2 = JSON.readTree(ClusterStatusReport.json(STATE, views)).path("nodes").get(1);
        assertEquals("killed+loss 2.5%", n2.path("fault").asText());
        assertTrue(n2.path("faults").path("killed").asBoolean());
        assertEquals("2026-11-26T19:10:01Z", n2.path("faults").path("killedAt").asText());
        assertEquals(2.5, n2.path("faults").path("lossPercent").asDouble());
    }

    @Test
    void ageReadsShortAndLong() {
        assertEquals("0.3s", ClusterStatusReport.age(300));
        assertEquals("12s", ClusterStatusReport.age(12_400));
        assertEquals("4m05s", ClusterStatusReport.age(245_000));
    }

    @Test
    void replicasAddDbColumnsAndJsonAndThePasswordIsMasked() throws Exception {
        ClusterSpec spec = new ClusterSpec(2, "safe", "rr-np", "mysql",
                new ClusterSpec.MysqlOptions("artcp", "artcp", "hunter2", "refuse", null));
        Cluster.State state = new Cluster.State(1, spec, "/r", false, "2026-11-26T19:10:00Z", List.of(member(1), member(2)));
        List<NodeView> views = List.of(NodeView.of(member(1), status(0, "PRIMARY", NOW - 300, true, false), true, NOW),
                NodeView.of(member(2), status(1, "BACKUP", NOW - 300, true, false), true, NOW));
        List<ReplicaView> replicas = List.of(new ReplicaView("node1", "/run/artcp/mysql/node1.sock", 3001, true, true),
                new ReplicaView("node2", "/run/artcp/mysql/node2.sock", 3002, false, false));
        String table = ClusterStatusReport.table(state, views, replicas);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(2).matches(".* AGE +DB +DBPID +COUNTERS$"), table);
        assertTrue(lines.get(3).matches(".* up +3001 +\\S+=.*"), table);
        assertTrue(lines.get(4).matches(".* dead +3002 +\\S+=.*"), table);
        assertFalse(table.contains("hunter2"), table);

        JsonNode doc = JSON.readTree(ClusterStatusReport.json(state, views, replicas));
        assertEquals("***", doc.path("settings").path("mysql").path("password").asText());
        assertEquals("up", doc.path("nodes").get(0).path("mysql").path("state").asText());
        assertEquals(3002, doc.path("nodes").get(1).path("mysql").path("pid").asLong());
        assertFalse(doc.path("nodes").get(1).path("mysql").path("up").asBoolean());
    }

    @Test
    void aStandaloneNodeIsNeitherDeadNorReady() {
        Cluster.Member m = new Cluster.Member("node1", 0, "198.18.0.1", 0, 0, null, null, null, 3001L, 0L, "/r/mariadb-node1.log");
        NodeView v = NodeView.of(m, null, false, NOW);
        assertEquals(NodeView.Health.STANDALONE, v.health());
        ClusterSpec spec = new ClusterSpec(1, "best-effort", "rr-np", "mysql");
        String table = ClusterStatusReport.table(new Cluster.State(1, spec, "/r", false, "t", List.of(m)), List.of(v),
                List.of(new ReplicaView("node1", "/s", 3001, true, true)));
        assertTrue(table.contains("node1  0     -    standalone"), table);
    }
}
