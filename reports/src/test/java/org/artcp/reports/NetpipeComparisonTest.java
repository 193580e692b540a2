package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.artcp.reports.NetpipeComparison.MedianRatio;
import org.artcp.reports.NetpipeComparison.PenaltyComparison;
import org.artcp.reports.NetpipeComparison.ToolComparison;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;
import org.junit.jupiter.api.Test;

class NetpipeComparisonTest {
    private static final double EPS = 1e-12;

    /** A series whose points are (bytes, one-way µs, Mbps) triples. */
    private static Series series(String id, String tool, String transport, int nodes, String link, double[]... pts) {
        List<Point> points = new ArrayList<>();
        for (double[] p : pts) {
            points.add(new Point((long) p[0], p[2], p[1] / 1e6, null, null, null, null));
        }
        return new Series(id, id, tool, transport, nodes, nodes == 0 ? null : "best-effort", link, null, null, points);
    }

    private static double[] pt(long bytes, double oneWayUs, double mbps) {
        return new double[] {bytes, oneWayUs, mbps};
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, NetpipeComparison.median(new double[] {5, 1, 3}), EPS);
        assertEquals(2.5, NetpipeComparison.median(new double[] {4, 1, 3, 2}), EPS);
        assertEquals(7.0, NetpipeComparison.median(new double[] {7}), EPS);
        assertThrows(IllegalArgumentException.class, () -> NetpipeComparison.median(new double[0]));
    }

    @Test
    void latencyRatioIsTheMedianOverCommonSizesUpToOneKibibyte() {
        Series c = series("c", "NPtcp", "plain-tcp", 0, "unshaped",
                pt(1, 10, 0), pt(2, 10, 0), pt(3, 10, 0), pt(1024, 20, 0), pt(1027, 10, 0), pt(4096, 10, 0));
        // Ratios at 1, 2, 1024: 1.1, 1.3, 1.05; size 3 is missing on the Java side, 1027 and 4096 are too big.
        Series j = series("j", "netpipe-java", "plain-tcp", 0, "unshaped",
                pt(1, 11, 0), pt(2, 13, 0), pt(1024, 21, 0), pt(1027, 100, 0), pt(4096, 100, 0), pt(8, 99, 0));
        MedianRatio r = NetpipeComparison.latencyRatio(j, c);
        assertEquals(3, r.sizes());
        assertEquals(1.1, r.median().orElseThrow(), 1e-9);
        assertTrue(r.within(0.10));
        assertFalse(r.within(0.09));
    }

    @Test
    void throughputRatioIsTheMedianOverSizesFromSixtyFourKibibytes() {
        Series c = series("c", "NPtcp", "plain-tcp", 0, "100mbit",
                pt(65_533, 0, 100), pt(65_536, 0, 90), pt(65_539, 0, 90), pt(131_072, 0, 90), pt(8, 0, 1));
        Series j = series("j", "netpipe-java", "plain-tcp", 0, "100mbit",
                pt(65_533, 0, 1), pt(65_536, 0, 81), pt(65_539, 0, 99), pt(131_072, 0, 90), pt(8, 0, 100));
        MedianRatio r = NetpipeComparison.throughputRatio(j, c);
        // 65,533 is below 64 KiB; the others give 0.9, 1.1, 1.0.
        assertEquals(3, r.sizes());
        assertEquals(1.0, r.median().orElseThrow(), 1e-9);
    }

    @Test
    void noCommonSizesGiveNoRatio() {
        Series c = series("c", "NPtcp", "plain-tcp", 0, "unshaped", pt(1, 10, 1));
        Series j = series("j", "netpipe-java", "plain-tcp", 0, "unshaped", pt(2, 10, 1));
        MedianRatio r = NetpipeComparison.latencyRatio(j, c);
        assertEquals(0, r.sizes());
        assertTrue(r.median().isEmpty());
        assertFalse(r.within(1.0));
        assertTrue(NetpipeComparison.throughputRatio(j, c).median().isEmpty());
    }

    @Test
    void nonPositiveValuesAreLeftOut() {
        Series c = series("c", "NPtcp", "plain-tcp", 0, "unshaped", pt(1, 0, 1), pt(2, 10, 1));
        Series j = series("j", "netpipe-java", "plain-tcp", 0, "unshaped", pt(1, 10, 1), pt(2, 12, 1));
        MedianRatio r = NetpipeComparison.latencyRatio(j, c);
        assertEquals(1, r.sizes());
        assertEquals(1.2, r.median().orElseThrow(), 1e-9);
    }

    @Test
    void toolComparisonsPairTheToolsOnTheSameLinkOnly() {
        Series cU = series("plain-nptcp-unshaped", "NPtcp", "plain-tcp", 0, "unshaped", pt(1, 10, 1), pt(65536, 50, 100));
        Series jU = series("plain-java-unshaped", "netpipe-java", "plain-tcp", 0, "unshaped", pt(1, 11, 1), pt(65536, 50, 95));
        Series c100 = series("plain-nptcp-100mbit", "NPtcp", "plain-tcp", 0, "100mbit", pt(1, 60, 1), pt(65536, 500, 90));
        Series j100 = series("plain-java-100mbit", "netpipe-java", "plain-tcp", 0, "100mbit", pt(1, 75, 1), pt(65536, 500, 90));
        Series jLonely = series("plain-java-10mbit", "netpipe-java", "plain-tcp", 0, "10mbit", pt(1, 1, 1));
        List<ToolComparison> cs = NetpipeComparison.toolComparisons(List.of(cU, c100, jU, j100, jLonely));
        assertEquals(2, cs.size());
        ToolComparison u = cs.get(0);
        assertEquals("plain-java-unshaped", u.javaSeriesId());
        assertEquals("plain-nptcp-unshaped", u.nptcpSeriesId());
        assertEquals("unshaped", u.linkRate());
        assertEquals(1.1, u.latency().median().orElseThrow(), 1e-9);
        assertEquals(0.95, u.throughput().median().orElseThrow(), 1e-9);
        assertTrue(u.meetsTarget());
        ToolComparison h = cs.get(1);
        assertEquals("plain-nptcp-100mbit", h.nptcpSeriesId());
        assertEquals(1.25, h.latency().median().orElseThrow(), 1e-9);
        assertFalse(h.meetsTarget());
    }

    @Test
    void arTcpSeriesAreComparedWithPlainTcpOfTheSameToolAndLink() {
        Series plainC = series("plain-nptcp-unshaped", "NPtcp", "plain-tcp", 0, "unshaped", pt(1, 10, 1), pt(2, 10, 1));
        Series plainJ = series("plain-java-unshaped", "netpipe-java", "plain-tcp", 0, "unshaped", pt(1, 20, 1));
        Series ar2 = series("artcp2-be-nptcp-unshaped", "NPtcp", "ar-tcp", 2, "unshaped", pt(1, 11.5, 1), pt(2, 11.5, 1));
        Series ar4 = series("artcp4-be-nptcp-unshaped", "NPtcp", "ar-tcp", 4, "unshaped", pt(1, 12, 1), pt(2, 12, 1));
        List<PenaltyComparison> ps = NetpipeComparison.penaltyComparisons(List.of(plainJ, plainC, ar2, ar4));
        assertEquals(2, ps.size());
        assertEquals("artcp2-be-nptcp-unshaped", ps.get(0).arTcpSeriesId());
        assertEquals("plain-nptcp-unshaped", ps.get(0).plainSeriesId());
        assertEquals(2, ps.get(0).nodes());
        assertEquals(1.15, ps.get(0).latency().median().orElseThrow(), 1e-9);
        assertEquals(1.2, ps.get(1).latency().median().orElseThrow(), 1e-9);
        assertTrue(NetpipeComparison.penaltyComparisons(List.of(plainC, plainJ)).isEmpty());
    }

    @Test
    void theFixtureUsesNptcpsDefaultSchedule() {
        List<Long> sizes = NetpipeFixture.schedule(8_388_611L);
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 8L, 12L, 13L, 16L, 19L, 21L, 24L, 27L, 29L, 32L, 35L, 45L, 48L, 51L,
                61L, 64L, 67L, 93L, 96L, 99L, 125L, 128L, 131L), sizes.subList(0, 28));
        assertEquals(124, sizes.size());
        assertEquals(8_388_611L, sizes.getLast());
    }

    @Test
    void theFixtureModelsMeetTheTargetOnBothLinks() {
        List<Series> series = new ArrayList<>();
        for (NetpipeFixture.Model m : NetpipeFixture.ALL) {
            List<Point> points = new ArrayList<>();
            for (long b : NetpipeFixture.schedule(8_388_611L)) {
                double t = m.oneWaySeconds(b);
                points.add(new Point(b, NetpipeFixture.mbps(b, t), t, null, null, null, null));
            }
            series.add(new Series(m.id(), m.label(), m.tool(), "plain-tcp", 0, null, m.linkRate(), null, null,
                    points));
        }
        List<ToolComparison> cs = NetpipeComparison.toolComparisons(series);
        assertEquals(2, cs.size());
        for (ToolComparison c : cs) {
            assertTrue(c.meetsTarget(), c.toString());
            assertEquals(45, c.latency().sizes(), c.toString());
            assertEquals(44, c.throughput().sizes(), c.toString());
        }
    }
}
