package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.artcp.reports.CommunicationPenalty.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fig. 7 ratios and Fig. 8 speed-ups from hand-made results, and the pages and charts rendered from them. */
class MysqlReportTest {
    @TempDir
    Path tmp;

    @Test
    void updateRatiosAndVerdictsFollowTheTargets() throws Exception {
        Path dir = MysqlFixture.updates(tmp.resolve("u"), true);
        MysqlSummary.Updates u = MysqlSummary.updates(NetpipeFixture.JSON.readTree(dir.resolve("summary.json").toFile()), "x");
        List<UpdateOverhead.OperationRows> ops = UpdateOverhead.byOperation(u.series());
        assertEquals(MysqlFixture.OPERATIONS, ops.stream().map(UpdateOverhead.OperationRows::operation).toList());

        UpdateOverhead.OperationRows create = ops.get(0);
        assertEquals("standalone", create.standaloneSeriesId());
        assertEquals(3, create.rows().size());
        assertTrue(create.rows().get(0).standalone());
        assertNull(create.rows().get(0).meanRatio());
        assertEquals(Verdict.NOT_APPLICABLE, create.rows().get(0).verdict());
        assertEquals(1.1, create.row(2, "best-effort").meanRatio(), 1e-9);
        assertEquals(Verdict.MET, create.row(2, "best-effort").verdict());
        assertEquals(1.2, create.row(2, "safe").meanRatio(), 1e-9);

        UpdateOverhead.OperationRows insert = ops.get(1);
        assertEquals(1.4, insert.row(2, "best-effort").meanRatio(), 1e-9);
        assertEquals(Verdict.MISSED, insert.row(2, "best-effort").verdict(), "1.4 > 1.3");
        assertEquals(Verdict.MISSED, insert.row(2, "safe").verdict(), "1.6 > 1.5");
        // on the limit: safe update 1.4, drop table safe 1.3 are met
        assertEquals(Verdict.MET, ops.get(4).row(2, "safe").verdict());
        assertEquals(2.0 * 600 / (2.0 * 500), ops.get(2).row(2, "best-effort").p99Ratio(), 1e-9);
        assertEquals("create table", UpdateOverhead.slowest(u.series().get(0)));
    }

    @Test
    void withoutAStandaloneSeriesThereAreNoRatios() {
        MysqlSummary.Stats s = new MysqlSummary.Stats(10, 0, 100.0, 90.0, 120.0, 200.0, 300.0);
        List<UpdateOverhead.OperationRows> ops = UpdateOverhead.byOperation(List.of(new MysqlSummary.UpdateSeries(
                "artcp3-safe", null, "ar-tcp", 3, "safe", null, List.of(new MysqlSummary.Operation("insert", s, null)))));
        assertNull(ops.getFirst().standaloneSeriesId());
        assertNull(ops.getFirst().rows().getFirst().meanRatio());
        assertEquals(Verdict.NO_DATA, ops.getFirst().rows().getFirst().verdict());
    }

    @Test
    void speedUpsAreReadAtFortyThreadsAgainstStandalone() throws Exception {
        Path dir = MysqlFixture.reads(tmp.resolve("r"));
        MysqlSummary.Reads r = MysqlSummary.reads(NetpipeFixture.JSON.readTree(dir.resolve("summary.json").toFile()), "x");
        List<ReadScaling.Curve> curves = ReadScaling.curves(r.series());
        assertEquals(3, curves.size());
        assertTrue(curves.get(0).standalone());
        assertEquals(List.of(10, 20, 40), curves.get(0).points().stream().map(ReadScaling.Point::threads).toList());
        assertEquals(2, curves.get(1).nodes());
        assertEquals(4, curves.get(2).nodes());
        assertEquals(40, ReadScaling.referenceThreads(curves));

        List<ReadScaling.SpeedUp> speedUps = ReadScaling.speedUps(curves);
        assertEquals(2, speedUps.size());
        assertEquals(16_000.0 / 9_000.0, speedUps.get(0).speedUp(), 1e-9);
        assertEquals(1.6, speedUps.get(0).target(), 1e-9);
        assertEquals(Verdict.MET, speedUps.get(0).verdict());
        assertEquals(16_000.0 / 6_000.0, speedUps.get(1).speedUp(), 1e-9);
        assertEquals(Verdict.MISSED, speedUps.get(1).verdict(), "2.67 < 3.2");
        assertEquals(0.3, r.nodeCpu(), 1e-9);
    }

    @Test
    void withoutFortyThreadsTheLargestCountIsTheReference() {
        MysqlSummary.Stats s = new MysqlSummary.Stats(10, 0, 1000.0, 900.0, 1200.0, 2000.0, 3000.0);
        List<ReadScaling.Curve> curves = ReadScaling.curves(List.of(
                new MysqlSummary.ReadSeries("a", null, "standalone", 1, null, null, 2, List.of(2), 20, s, List.of(),
                        List.of(), List.of()),
                new MysqlSummary.ReadSeries("b", null, "ar-tcp", 2, "safe", "rr-np", 2, List.of(2), 20, s, List.of(),
                        List.of(), List.of())));
        assertEquals(2, ReadScaling.referenceThreads(curves));
        assertEquals(1.0, ReadScaling.speedUps(curves).getFirst().speedUp(), 1e-9);
    }

    @Test
    void theUpdatesPageShowsEveryOperationTheVerdictsAndThePaperClaims() throws Exception {
        Path dir = MysqlFixture.updates(tmp.resolve("20261126-220000"), true);
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);
        for (String f : List.of("fig7-best-effort", "fig7-safe", "fig7-ratio")) {
            assertTrue(Files.size(dir.resolve(f + ".png")) > 1000, f);
            assertTrue(Files.readString(dir.resolve(f + ".svg")).contains("<svg"), f);
        }
        String html = Files.readString(r.reportHtml());
        assertTrue(html.contains("MySQL update operations (paper Fig. 7)"));
        for (String op : MysqlFixture.OPERATIONS) {
            assertTrue(html.contains("data-operation=\"" + op + "\""), op);
        }
        assertTrue(html.contains("1.100×"), "create table best-effort ratio");
        assertTrue(html.contains("1.400×"), "insert best-effort ratio");
        assertTrue(html.contains("best-effort faster in 5 of 5"), "the paper's second claim, ours");
        assertTrue(html.contains("create table is the most time consuming"), "the paper's claim quoted");
        assertEquals(2, count(html, "<td class=\"miss\">"), "missed: insert best-effort 1.4, insert safe 1.6");
        assertEquals(8, count(html, "<td class=\"ok\">"), "every other AR-TCP row is met");
    }

    @Test
    void theReadsPageShowsTheCurvesTheSpeedUpsAndThePapersNumbers() throws Exception {
        Path dir = MysqlFixture.reads(tmp.resolve("20261126-222000"));
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);
        assertTrue(Files.size(dir.resolve("fig8-safe.png")) > 1000);
        String html = Files.readString(r.reportHtml());
        assertTrue(html.contains("MySQL simultaneous SELECT threads (paper Fig. 8)"));
        assertTrue(html.contains("1.78×"), "2-node speed-up");
        assertTrue(html.contains("2.67×"), "4-node speed-up");
        assertTrue(html.contains("52.3"), "the paper's 2-node value");
        assertTrue(html.contains("15.7"), "the paper's 4-node value");
        assertTrue(html.contains("capped at 0.3 of one CPU"));
        assertEquals(1, count(html, "<td class=\"ok\">"));
        assertEquals(1, count(html, "<td class=\"miss\">"));
        assertEquals(List.of(r.reportHtml()), r.written().subList(r.written().size() - 1, r.written().size()));
    }

    @Test
    void aStandaloneOnlyRunRendersWithoutRatios() throws Exception {
        Path dir = MysqlFixture.updates(tmp.resolve("solo"), false);
        // drop the AR-TCP series: keep standalone only
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) NetpipeFixture.JSON.readTree(dir.resolve("summary.json").toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("series")).remove(1);
        NetpipeFixture.JSON.writeValue(dir.resolve("summary.json").toFile(), root);
        ReportRenderer.render(dir);
        assertTrue(Files.exists(dir.resolve("fig7-standalone.png")));
        assertTrue(Files.notExists(dir.resolve("fig7-ratio.png")));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
