package org.artcp.orchestrator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector bench's pure parts: node log lines, the per-timeout summary, the printed table, the plan's checks. */
class DetectorBenchTest {
    @Test
    void membershipLinesAreParsedWithTheirInstant() throws Exception {
        var l = DetectorBench.parse("node1", "2026-11-27T00:21:57.986Z membership: live ranks [0,1,2] -> [0,2]").orElseThrow();
        assertEquals(Instant.parse("2026-11-27T00:21:57.986Z"), l.at());
        assertEquals(List.of(0, 1, 2), l.from());
        assertEquals(List.of(0, 2), l.to());
        assertEquals(List.of(1, 2), DetectorBench.parse("n", "2026-11-27T00:00:00Z membership: live ranks [0, 1, 2] -> [1, 2]")
                .orElseThrow().to());
        assertTrue(DetectorBench.parse("n", "2026-11-27T00:21:45.033Z serving").isEmpty());
        assertTrue(DetectorBench.parse("n", "garbage membership: live ranks [0,1] -> [0]").isEmpty());
    }

    @Test
    void membershipLinesOfALog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node1.log");
        Files.writeString(log, """
                2026-11-27T00:21:45.033Z serving
                2026-11-27T00:21:50.000Z membership: live ranks [0,1,2] -> [0,1]
                2026-11-27T00:21:51.000Z role: BACKUP -> PRIMARY (term 1, primary rank 1)
                2026-11-27T00:21:57.986Z membership: live ranks [0,1] -> [0]
                """);
        assertEquals(2, DetectorBench.membershipLines("node1", log).size());
        assertEquals(List.of(), DetectorBench.membershipLines("node1", dir.resolve("missing.log")));
    }

    @Test
    void summaryCountsSuspicionsAndDetectionPerTimeout() {
        Instant t = Instant.parse("2026-11-27T00:00:00Z");
        List<DetectorBench.Round> rounds = List.of(
                new DetectorBench.Round(100, 10, 1, "node3", t, t.plusSeconds(30), 30, 2, 120, 130, ""),
                new DetectorBench.Round(100, 10, 2, "node2", t, t.plusSeconds(30), 30, 0, 110, 111, ""),
                new DetectorBench.Round(100, 10, 3, "node3", t, t.plusSeconds(30), 30, 1, -1, -1, "already excluded"),
                new DetectorBench.Round(250, 10, 1, "node3", t, t.plusSeconds(30), 30, 0, 260, 262, ""));
        Map<String, Object> s = DetectorBench.summary(Map.of("experiment", "detector"), rounds);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> timeouts = (List<Map<String, Object>>) s.get("timeouts");
        assertEquals(2, timeouts.size());
        Map<String, Object> t100 = timeouts.getFirst();
        assertEquals(100, t100.get("failureTimeoutMs"));
        assertEquals(3, t100.get("falseSuspicions"));
        assertEquals(2L, t100.get("roundsWithFalseSuspicions"));
        assertEquals(90.0, t100.get("soakSeconds"));
        assertEquals(120.0, t100.get("falseSuspicionsPerHour"));
        assertEquals(2, t100.get("detected"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) t100.get("detectionFirstMs");
        assertEquals(110L, first.get("min"));
        assertEquals(110L, first.get("p50"));
        assertEquals(120L, first.get("max"));
        String table = DetectorBench.table(s);
        assertTrue(table.lines().anyMatch(l -> l.matches("100 ms\\s+10 ms\\s+90 s\\s+3 \\(2/3 rounds\\)\\s+2/3\\s+110/110/120\\s+111/111/130")),
                table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("250 ms")), table);
    }

    @Test
    void planRefusesTimeoutsTheNodesCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> new DetectorBench.Plan(List.of(10), 10, 30, 3, true, Path.of("r"), false));
        assertThrows(IllegalArgumentException.class, () -> new DetectorBench.Plan(List.of(), 10, 30, 3, true, Path.of("r"), false));
        assertThrows(IllegalArgumentException.class, () -> new DetectorBench.Plan(List.of(250), 10, 30, 0, true, Path.of("r"), false));
    }
}
