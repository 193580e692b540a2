package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.artcp.reports.CommunicationPenalty.Verdict;
import org.artcp.reports.FailoverSummary.Distribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failover and failure-detector pages from hand-made results: percentiles, verdicts, tables and charts. */
class FailoverReportTest {
    @TempDir
    Path tmp;

    @Test
    void percentilesAreNearestRankOverTheValuesPresent() {
        Distribution d = Distribution.of(Arrays.asList(5.0, 1.0, null, 3.0, 2.0, 4.0));
        assertEquals(5, d.count());
        assertEquals(3.0, d.p50());
        assertEquals(5.0, d.p99(), "rank ceil(0.99 * 5) = 5");
        assertEquals(5.0, d.max());
        List<Double> many = new ArrayList<>();
        for (int i = 200; i >= 1; i--) {
            many.add((double) i);
        }
        assertEquals(100.0, Distribution.of(many).p50());
        assertEquals(198.0, Distribution.of(many).p99(), "rank 198 of 200");
        assertEquals(Distribution.EMPTY, Distribution.of(Arrays.asList(null, null)));
        assertNull(Distribution.EMPTY.p99());
    }

    @Test
    void seriesVerdictsFollowTheTargetAndTheErrors() throws Exception {
        Path dir = FailoverFixture.failover(tmp.resolve("f"));
        FailoverSummary.Failover f = FailoverSummary.failover(
                NetpipeFixture.JSON.readTree(dir.resolve("summary.json").toFile()), "x");
        assertEquals(List.of("best-effort", "safe"), f.deliveries());
        assertEquals(3, f.series().size());
        FailoverSummary.Series primary = f.series().get(0);
        assertEquals(300.0, primary.stallMs().p50());
        assertEquals(450.0, primary.stallMs().p99());
        assertEquals(Verdict.MET, primary.stallVerdict(f.stallTargetMs()));
        assertEquals(Verdict.MET, primary.errorVerdict());
        FailoverSummary.Series backup = f.series().get(1);
        assertEquals(Verdict.MISSED, backup.stallVerdict(f.stallTargetMs()), "700 > 500");
        assertEquals(Verdict.MISSED, backup.errorVerdict(), "2 errors");
        assertEquals(2, backup.history().ok());
        assertNull(f.series().get(2).history(), "netpipe has no history check");
        assertEquals(List.of(100.0, 700.0, 150.0), f.stalls("mysql-backup-safe"));
        assertTrue(f.crashes().get(4).stallOpen());
        assertEquals("lost 1, duplicated 0, out of order 0, unexpected 0", f.crashes().get(4).historyText());

        // a crash without a stall counts against the target even when the others meet it
        FailoverSummary.Series unmeasured = new FailoverSummary.Series("s", null, "mysql", "backup", "safe", 3, 3, 2, 1,
                0, 0, 0, null, null, null, Distribution.of(List.of(10.0, 20.0)), Distribution.EMPTY, Distribution.EMPTY,
                Distribution.EMPTY);
        assertEquals(Verdict.MISSED, unmeasured.stallVerdict(500));
        assertEquals(Verdict.MISSED, unmeasured.errorVerdict());
    }

    @Test
    void theFailoverPageShowsEverySeriesEveryCrashAndTheComparison() throws Exception {
        Path dir = FailoverFixture.failover(tmp.resolve("20261127-003000"));
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);
        for (String f : List.of("failover-stall-best-effort", "failover-stall-safe")) {
            assertTrue(Files.size(dir.resolve(f + ".png")) > 1000, f);
            assertTrue(Files.readString(dir.resolve(f + ".svg")).contains("<svg"), f);
        }
        String html = Files.readString(r.reportHtml());
        assertTrue(html.contains("Failover under load (issue 6)"));
        for (String id : List.of("mysql-primary-be", "mysql-backup-safe", "netpipe-aggregator-be")) {
            assertTrue(html.contains("data-series=\"" + id + "\""), id);
        }
        assertTrue(html.contains("Galera and Group Replication clients reconnect after 5–15 s"));
        assertTrue(html.contains("≥ 700"), "the open stall shows as a lower bound");
        assertTrue(html.contains("≥ 10000"), "so does the worst thread's");
        assertTrue(html.contains("2 of 3 ok; lost 1"), "the history check of the safe backup series");
        assertTrue(html.contains("Communications link failure"));
        assertEquals(4, count(html, "<td class=\"ok\">"), "primary and netpipe: both met");
        assertEquals(2, count(html, "<td class=\"miss\">"), "safe backup: stall and errors");
        assertEquals(8, count(html, "<tr><td><code class=\"id\">"), "a row per crash");
        assertEquals(r.reportHtml(), r.written().getLast());
    }

    @Test
    void theDetectorPageListsEveryTimeoutInOrder() throws Exception {
        Path dir = FailoverFixture.detector(tmp.resolve("20261127-001000"));
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);
        assertTrue(Files.size(dir.resolve("detector-detection.png")) > 1000);
        String html = Files.readString(r.reportHtml());
        assertTrue(html.contains("Failure detector: detection time and false suspicions"));
        int at50 = html.indexOf("data-timeout=\"50\"");
        int at100 = html.indexOf("data-timeout=\"100\"");
        int at250 = html.indexOf("data-timeout=\"250\"");
        assertTrue(at50 > 0 && at50 < at100 && at100 < at250, "ascending timeouts");
        assertTrue(html.contains("<td class=\"num miss\">4</td>"), "false suspicions flagged");
        assertTrue(html.contains("CPU hogs in client1 and client2"));
        assertTrue(html.contains("2026-11-27T00:10:00Z"), "the start from config.startedAt");
        FailoverSummary.Detector d = FailoverSummary.detector(
                NetpipeFixture.JSON.readTree(dir.resolve("summary.json").toFile()), "x");
        FailoverSummary.Timeout t50 = d.timeouts().get(1);
        assertEquals(80.0, t50.detectionMs().p50(), "nearest rank from the values");
        assertEquals(85.0, t50.detectionMs().p99());
        assertEquals(90.0, t50.detectionLastMs().max());
        assertEquals(240.0, t50.falseSuspicionsPerHour());
        assertEquals(0, d.timeouts().get(2).detectionMs().count());
        assertTrue(html.contains("85 / 90"), "the last survivor's p50 / max at 50 ms");
    }

    @Test
    void aFailoverSummaryWithoutSeriesIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("summary.json"), "{\"experiment\": \"failover\"}");
        ResultsFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ResultsFormatException.class,
                () -> ReportRenderer.render(dir));
        assertTrue(e.getMessage().contains("no 'series' array"), e.getMessage());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
