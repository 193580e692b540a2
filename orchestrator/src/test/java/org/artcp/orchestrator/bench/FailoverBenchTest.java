package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failover bench's pure parts: log parsing, the choice of the victim, the records and their summary. */
class FailoverBenchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void detectionIsTheFirstSurvivorsMembershipLineAfterTheKill() {
        Instant kill = Instant.parse("2026-11-27T00:31:00.123456Z");
        List<NodeLogs.Line> node1 = NodeLogs.parse(List.of(
                "2026-11-27T00:30:59.000Z membership: live ranks [0] -> [0, 1, 2]",
                "2026-11-27T00:31:00.400Z membership: live ranks [0, 1, 2] -> [0, 1]",
                "\tat org.artcp.SomeTrace(Some.java:1)",
                "2026-11-27T00:31:00.500Z role: PRIMARY -> PRIMARY (term 1, primary rank 0)"));
        List<NodeLogs.Line> node2 = NodeLogs.parse(List.of(
                "2026-11-27T00:31:00.380Z membership: live ranks [0, 1, 2] -> [1, 2]",
                "2026-11-27T00:31:00.390Z role: BACKUP -> CANDIDATE (term 1, primary rank 0)",
                "2026-11-27T00:31:00.450Z role: CANDIDATE -> PRIMARY (term 2, primary rank 1)"));
        assertEquals(3, node1.size(), "the trace line has no instant");
        Optional<Instant> detected = NodeLogs.first(List.of(node1, node2), kill, NodeLogs.MEMBERSHIP);
        assertEquals(Instant.parse("2026-11-27T00:31:00.380Z"), detected.orElseThrow());
        assertEquals(256.544, NodeLogs.millisBetween(kill, detected.get()), 1e-9);
        assertEquals(Instant.parse("2026-11-27T00:31:00.450Z"),
                NodeLogs.first(List.of(node1, node2), kill, NodeLogs.BECAME_PRIMARY).orElseThrow());
        assertTrue(NodeLogs.first(List.of(node1), kill, NodeLogs.BECAME_PRIMARY).isEmpty(), "PRIMARY -> PRIMARY is none");
        assertTrue(NodeLogs.first(List.of(node1), Instant.parse("2026-11-27T00:31:01Z"), NodeLogs.MEMBERSHIP).isEmpty());
        // a line in the kill's own millisecond counts
        assertTrue(NodeLogs.first(List.of(NodeLogs.parse(List.of("2026-11-27T00:31:00.123Z membership: x"))), kill,
                NodeLogs.MEMBERSHIP).isPresent());
    }

    @Test
    void theStallRunsToStopWhenTheResponsesStopForGood() {
        long kill = 1_000_000_000L;
        long stop = kill + 3_000_000;
        long window = 3_000_000;
        // steady responses every 10 ms through the kill: a 10 ms stall, closed
        FailoverBench.Gap steady = FailoverBench.stall(every(kill - 1_000_000, stop, 10_000), kill, window, stop);
        assertEquals(10.0, steady.ms(), 1e-9);
        assertFalse(steady.open());
        // two answers right after the kill, then nothing until STOP: a stall to STOP, open (Stall.around says 2 ms)
        List<org.artcp.bench.mysql.Op> hung = new java.util.ArrayList<>(every(kill - 1_000_000, kill, 10_000));
        hung.add(org.artcp.bench.mysql.Op.ok(0, "read", kill, kill + 1_000));
        hung.add(org.artcp.bench.mysql.Op.ok(1, "read", kill, kill + 2_000));
        hung.add(org.artcp.bench.mysql.Op.failed(2, "read", kill, stop + 7_000_000, "Read timed out"));
        FailoverBench.Gap g = FailoverBench.stall(hung, kill, window, stop);
        assertEquals(kill + 2_000, g.fromMicros());
        assertEquals(stop, g.toMicros());
        assertTrue(g.open());
        // nothing after the kill at all: from the last answer before it to STOP, open
        FailoverBench.Gap none = FailoverBench.stall(every(kill - 1_000_000, kill, 10_000), kill, window, stop);
        assertEquals(kill, none.fromMicros(), "the last answer ended at the kill's instant");
        assertEquals(3_000.0, none.ms(), 1e-9);
        assertTrue(none.open());
        // a 500 ms gap after the kill, then steady again: closed
        List<org.artcp.bench.mysql.Op> paused = new java.util.ArrayList<>(every(kill - 1_000_000, kill, 10_000));
        paused.addAll(every(kill + 500_000, stop, 10_000));
        FailoverBench.Gap p = FailoverBench.stall(paused, kill, window, stop);
        assertEquals(500.0, p.ms(), 1e-9);
        assertFalse(p.open());
        // hung from just after the kill, answers again only after STOP: the whole gap, closed
        List<org.artcp.bench.mysql.Op> late = new java.util.ArrayList<>(hung.subList(0, hung.size() - 1));
        late.add(org.artcp.bench.mysql.Op.ok(0, "read", kill, stop + 500_000));
        FailoverBench.Gap l = FailoverBench.stall(late, kill, window, stop);
        assertEquals(stop + 500_000 - (kill + 2_000), l.toMicros() - l.fromMicros());
        assertFalse(l.open());
    }

    /** One thread's ok reads completing every {@code step} µs in [from, to]. */
    private static List<org.artcp.bench.mysql.Op> every(long from, long to, long step) {
        List<org.artcp.bench.mysql.Op> ops = new java.util.ArrayList<>();
        for (long t = from; t <= to; t += step) {
            ops.add(org.artcp.bench.mysql.Op.ok(0, "read", t - 100, t));
        }
        return ops;
    }

    @Test
    void theVictimOfEachKind() {
        List<Victims.Node> nodes = List.of(new Victims.Node("node1", 0, "PRIMARY", 0),
                new Victims.Node("node2", 1, "BACKUP", 3), new Victims.Node("node3", 2, "BACKUP", 5),
                new Victims.Node("node4", 3, "BACKUP", 3));
        assertEquals("node1", Victims.choose("primary", nodes).victim().host());
        assertEquals("node3", Victims.choose("aggregator", nodes).victim().host());
        assertEquals("node4", Victims.choose("backup", nodes).victim().host(), "fewest aggregated, then highest rank");
        List<Victims.Node> two = List.of(new Victims.Node("node1", 0, "PRIMARY", 0), new Victims.Node("node2", 1, "BACKUP", 1));
        assertEquals("node2", Victims.choose("aggregator", two).victim().host());
        Victims.Choice none = Victims.choose("backup", two);
        assertNull(none.victim());
        assertTrue(none.problem().contains("3 nodes"), none.problem());
        // equal counts: the aggregator is the lowest rank, the other backup the highest
        List<Victims.Node> tie = List.of(new Victims.Node("node1", 0, "PRIMARY", 0), new Victims.Node("node2", 1, "BACKUP", 0),
                new Victims.Node("node3", 2, "BACKUP", 0));
        assertEquals("node2", Victims.choose("aggregator", tie).victim().host());
        assertEquals("node3", Victims.choose("backup", tie).victim().host());
        assertNull(Victims.choose("primary", tie.subList(1, 3)).victim());
    }

    @Test
    void theSeriesSummarySumsTheCrashesAndTakesNearestRankPercentiles() {
        FailoverResults.Crash a = crash(1, 200.0, 0, new FailoverResults.History(true, 100, 1, 0, 0, 0, 0), true, 240.0);
        FailoverResults.Crash b = crash(2, 450.0, 3, new FailoverResults.History(false, 90, 0, 2, 0, 1, 0), false, 260.0);
        FailoverResults.Crash c = crash(3, null, 0, null, null, null);
        c.problem("no ops.csv from the worker");
        c.problem("checksums: gone");
        assertEquals("no ops.csv from the worker; checksums: gone", c.problem);
        Map<String, Object> s = FailoverResults.series("mysql-backup-be", "mysql", "backup", "best-effort", 3,
                List.of(a, b, c));
        assertEquals(3, s.get("crashes"));
        assertEquals(2L, s.get("measured"));
        assertEquals(1L, s.get("problems"));
        assertEquals(3L, s.get("clientErrors"));
        assertEquals(1L, s.get("crashesWithErrors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> history = (Map<String, Object>) s.get("history");
        assertEquals(2, history.get("checked"));
        assertEquals(1L, history.get("ok"));
        assertEquals(2L, history.get("lost"));
        assertEquals(1L, history.get("outOfOrder"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sums = (Map<String, Object>) s.get("checksums");
        assertEquals(2L, sums.get("checked"));
        assertEquals(1L, sums.get("equal"));
        @SuppressWarnings("unchecked")
        Map<String, Object> stall = (Map<String, Object>) s.get("stallMs");
        assertEquals(2, stall.get("count"));
        assertEquals(200.0, stall.get("p50"));
        assertEquals(450.0, stall.get("p99"));
        assertNull(FailoverResults.series("netpipe-backup-be", "netpipe", "backup", "best-effort", 3, List.of(a))
                .get("history"));

        String csv = FailoverResults.csv(List.of(a, c));
        List<String> lines = csv.lines().toList();
        assertEquals(FailoverResults.CSV_HEADER, lines.get(0));
        assertEquals("mysql-backup-be,mysql,backup,best-effort,1,node3,200.0,false,,0,0,true,true,240.0,240.0,",
                lines.get(1));
        assertTrue(lines.get(2).endsWith(",no ops.csv from the worker; checksums: gone"), lines.get(2));
        assertTrue(a.describe().contains("stall 200.0 ms"), a.describe());
    }

    @Test
    void theCheckFileIsReadWithListsOrCounts() throws Exception {
        FailoverResults.History lists = FailoverBench.history(JSON.readTree("""
                {"check": {"keys": 8, "acknowledged": 120, "indeterminate": 2, "lost": ["k1: 5"], "lostCount": 1500, "duplicated": [],
                           "outOfOrder": ["k2: 7 before 6"], "unexpected": [], "ok": false},
                 "reconnects": 3, "errors": 2}"""));
        assertFalse(lists.ok());
        assertEquals(120, lists.acknowledged());
        assertEquals(2, lists.indeterminate());
        assertEquals(1500, lists.lost(), "the count, not the listed ones");
        assertEquals(1, lists.outOfOrder());
        FailoverResults.History counts = FailoverBench.history(JSON.readTree("""
                {"acknowledged": 10, "lost": 0, "duplicated": 0, "outOfOrder": 0, "unexpected": 0}"""));
        assertTrue(counts.ok(), "no anomaly and no 'ok' field: ok");
    }

    @Test
    void plansRefuseWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> plan(2, List.of("backup"), List.of("mysql")),
                "a non-aggregator backup needs 3 nodes");
        assertThrows(IllegalArgumentException.class, () -> plan(3, List.of("leader"), List.of("mysql")));
        assertThrows(IllegalArgumentException.class, () -> plan(3, List.of("primary"), List.of("redis")));
        assertThrows(IllegalArgumentException.class, () -> plan(5, List.of("primary"), List.of("mysql")));
        FailoverBench.Plan p = plan(3, List.of("primary", "backup"), List.of("mysql", "netpipe"));
        List<FailoverBench.Series> series = new FailoverBench(p, Path.of("."), System.err).series();
        assertEquals(List.of("mysql-primary-be", "mysql-primary-safe", "mysql-backup-be", "mysql-backup-safe",
                "netpipe-primary-be", "netpipe-primary-safe", "netpipe-backup-be", "netpipe-backup-safe"),
                series.stream().map(FailoverBench.Series::id).toList());
        assertTrue(p.describeOptions().startsWith("--nodes 3 --delivery best-effort,safe --kinds primary,backup"));
        assertEquals(List.of("mysql", "netpipe"), plan(3, List.of("primary"), List.of("both")).apps());
    }

    private static FailoverBench.Plan plan(int nodes, List<String> kinds, List<String> apps) {
        return new FailoverBench.Plan(nodes, List.of("best-effort", "safe"), kinds, 1, apps, 0, 1000, 2, 2, 10_000, null, null,
                Path.of("/tmp"), false);
    }

    private static FailoverResults.Crash crash(int index, Double stall, long errors, FailoverResults.History history,
                                               Boolean checksums, Double detection) {
        FailoverResults.Crash c = new FailoverResults.Crash("mysql-backup-be", "mysql", "backup", "best-effort", index,
                "mysql-backup-be/crash0" + index);
        c.victim = "node3";
        c.stallMs = stall;
        c.errors = errors;
        c.history = history;
        c.checksumsEqual = checksums;
        c.detectionMs = detection;
        c.takeOverMs = detection;
        return c;
    }
}
