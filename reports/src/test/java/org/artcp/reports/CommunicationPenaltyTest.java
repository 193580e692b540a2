package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.artcp.reports.CommunicationPenalty.ChartGroup;
import org.artcp.reports.CommunicationPenalty.LinkPenalty;
import org.artcp.reports.CommunicationPenalty.Row;
import org.artcp.reports.CommunicationPenalty.Verdict;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;
import org.junit.jupiter.api.Test;

class CommunicationPenaltyTest {
    private static final double EPS = 1e-9;

    /** Sizes ≤ 1 KiB carry the latency, sizes ≥ 64 KiB the throughput; 4096 is in neither window. */
    private static final long[] SIZES = {1, 64, 1024, 4096, 65_536, 131_072};

    /** A series with the same one-way µs at every small size and the same Mbps at every large one. */
    private static Series series(String id, String transport, int nodes, String delivery, String link,
                                 double smallOneWayUs, double largeMbps) {
        List<Point> points = new ArrayList<>();
        for (long b : SIZES) {
            double us = b <= 1024 ? smallOneWayUs : 1000 + b;
            double mbps = b >= 65_536 ? largeMbps : 1;
            points.add(new Point(b, mbps, us / 1e6, null, null, null, null));
        }
        return new Series(id, id, "NPtcp", transport, nodes, delivery, link, null, null, points);
    }

    private static Series plain(String link, double us, double mbps) {
        return series("plain-nptcp-" + link, "plain-tcp", 0, null, link, us, mbps);
    }

    private static Series ar(int n, String delivery, String link, double us, double mbps) {
        String d = delivery.equals("safe") ? "safe" : "be";
        return series("artcp" + n + "-" + d + "-nptcp-" + link, "ar-tcp", n, delivery, link, us, mbps);
    }

    @Test
    void addedLatencyRatioAndThroughputFractionOnHandMadePoints() {
        List<LinkPenalty> links = CommunicationPenalty.byLink(List.of(
                plain("unshaped", 10, 1000), ar(2, "best-effort", "unshaped", 30, 800)));
        assertEquals(1, links.size());
        LinkPenalty link = links.get(0);
        assertEquals("unshaped", link.linkRate());
        assertEquals("plain-nptcp-unshaped", link.plainSeriesId());
        Row r = link.rows().get(0);
        assertEquals(2, r.nodes());
        assertEquals("artcp2-be-nptcp-unshaped", r.arTcpSeriesId());
        assertEquals(20.0, r.addedOneWayUs().median().orElseThrow(), EPS);
        assertEquals(3, r.addedOneWayUs().sizes(), "1, 64 and 1024 bytes");
        assertEquals(3.0, r.latencyRatio().median().orElseThrow(), EPS);
        assertEquals(0.8, r.throughputFraction().median().orElseThrow(), EPS);
        assertEquals(2, r.throughputFraction().sizes(), "64 and 128 KiB");
        assertTrue(r.vsTwoNodes().median().isEmpty(), "2 nodes have no N/2 ratio");
        assertEquals(Verdict.MET, r.addedLatencyVerdict());
        assertEquals(Verdict.NOT_APPLICABLE, r.scalingVerdict());
        assertEquals(Verdict.NOT_APPLICABLE, r.throughputVerdict(), "unshaped: the target is for 100 Mbit/s");
    }

    @Test
    void theMedianDifferenceIsTakenPerSize() {
        Series p = new Series("p", "p", "NPtcp", "plain-tcp", 0, null, "unshaped", null, null, List.of(
                new Point(1, 1, 10e-6, null, null, null, null), new Point(2, 1, 10e-6, null, null, null, null),
                new Point(3, 1, 10e-6, null, null, null, null), new Point(2048, 1, 10e-6, null, null, null, null)));
        Series a = new Series("a", "a", "NPtcp", "ar-tcp", 2, "best-effort", "unshaped", null, null, List.of(
                new Point(1, 1, 15e-6, null, null, null, null), new Point(2, 1, 50e-6, null, null, null, null),
                new Point(3, 1, 22e-6, null, null, null, null), new Point(2048, 1, 900e-6, null, null, null, null)));
        // Differences 5, 40, 12 µs; 2048 bytes is above 1 KiB.
        var d = CommunicationPenalty.addedOneWayUs(a, p);
        assertEquals(12.0, d.median().orElseThrow(), EPS);
        assertEquals(3, d.sizes());
    }

    @Test
    void everyNodeCountAndDeliveryGetsARowWithItsRatioToTwoNodes() {
        List<LinkPenalty> links = CommunicationPenalty.byLink(List.of(
                ar(4, "safe", "100mbit", 88, 70),
                plain("100mbit", 60, 90),
                ar(4, "best-effort", "100mbit", 77, 85),
                ar(3, "best-effort", "100mbit", 72, 86),
                ar(2, "best-effort", "100mbit", 70, 81),
                ar(2, "safe", "100mbit", 80, 90)));
        assertEquals(1, links.size());
        LinkPenalty l = links.get(0);
        assertEquals(List.of("best-effort/2", "best-effort/3", "best-effort/4", "safe/2", "safe/4"),
                l.rows().stream().map(r -> r.delivery() + "/" + r.nodes()).toList());

        Row be2 = l.row(2, "best-effort");
        assertEquals(10.0, be2.addedOneWayUs().median().orElseThrow(), EPS);
        assertEquals(Verdict.MET, be2.addedLatencyVerdict());
        assertEquals(0.9, be2.throughputFraction().median().orElseThrow(), EPS);
        assertEquals(Verdict.MET, be2.throughputVerdict(), "exactly 90% meets the target");

        Row be3 = l.row(3, "best-effort");
        assertEquals(72.0 / 70.0, be3.vsTwoNodes().median().orElseThrow(), EPS);
        assertEquals("artcp2-be-nptcp-100mbit", be3.twoNodeSeriesId());
        assertEquals(Verdict.NOT_APPLICABLE, be3.scalingVerdict(), "the scaling target is 4 nodes");
        assertEquals(Verdict.NOT_APPLICABLE, be3.addedLatencyVerdict(), "the latency target is 2 nodes");

        Row be4 = l.row(4, "best-effort");
        assertEquals(1.1, be4.vsTwoNodes().median().orElseThrow(), EPS);
        assertEquals(Verdict.MET, be4.scalingVerdict(), "exactly 1.10 meets the target");
        assertEquals(Verdict.MET, be4.throughputVerdict());

        Row safe2 = l.row(2, "safe");
        assertEquals(20.0, safe2.addedOneWayUs().median().orElseThrow(), EPS);
        assertEquals(Verdict.MET, safe2.addedLatencyVerdict());
        assertEquals(1.0, safe2.throughputFraction().median().orElseThrow(), EPS);

        Row safe4 = l.row(4, "safe");
        assertEquals("artcp2-safe-nptcp-100mbit", safe4.twoNodeSeriesId(), "same delivery only");
        assertEquals(1.1, safe4.vsTwoNodes().median().orElseThrow(), EPS);
        assertEquals(70.0 / 90.0, safe4.throughputFraction().median().orElseThrow(), EPS);
        assertEquals(Verdict.MISSED, safe4.throughputVerdict());
    }

    @Test
    void targetsAreMissedBeyondTheirLimits() {
        List<LinkPenalty> links = CommunicationPenalty.byLink(List.of(
                plain("100mbit", 60, 100), ar(2, "best-effort", "100mbit", 90.5, 89), ar(4, "best-effort", "100mbit",
                        100, 95)));
        Row two = links.get(0).row(2, "best-effort");
        assertEquals(30.5, two.addedOneWayUs().median().orElseThrow(), EPS);
        assertEquals(Verdict.MISSED, two.addedLatencyVerdict());
        assertEquals(Verdict.MISSED, two.throughputVerdict());
        Row four = links.get(0).row(4, "best-effort");
        assertEquals(100 / 90.5, four.vsTwoNodes().median().orElseThrow(), EPS);
        assertEquals(Verdict.MISSED, four.scalingVerdict());
        assertEquals(Verdict.MET, four.throughputVerdict());
    }

    @Test
    void onlyTwoNodesGiveNoScalingRowsAndNoFailure() {
        List<LinkPenalty> links = CommunicationPenalty.byLink(List.of(
                plain("unshaped", 10, 1000), ar(2, "best-effort", "unshaped", 25, 950)));
        assertEquals(1, links.get(0).rows().size());
        assertNull(links.get(0).row(4, "best-effort"));
        assertNull(links.get(0).row(3, "best-effort"));
    }

    @Test
    void missingPartnersLeaveNumbersEmpty() {
        // 4 nodes without 2 nodes, and no plain series on the link.
        List<LinkPenalty> links = CommunicationPenalty.byLink(List.of(ar(4, "best-effort", "100mbit", 77, 85)));
        Row r = links.get(0).rows().get(0);
        assertNull(links.get(0).plainSeriesId());
        assertNull(r.plainSeriesId());
        assertNull(r.twoNodeSeriesId());
        assertTrue(r.addedOneWayUs().median().isEmpty());
        assertTrue(r.latencyRatio().median().isEmpty());
        assertTrue(r.vsTwoNodes().median().isEmpty());
        assertTrue(r.throughputFraction().median().isEmpty());
        assertEquals(Verdict.NO_DATA, r.scalingVerdict());
        assertEquals(Verdict.NO_DATA, r.throughputVerdict());
        assertEquals(Verdict.NOT_APPLICABLE, r.addedLatencyVerdict());

        assertTrue(CommunicationPenalty.byLink(List.of(plain("unshaped", 10, 1))).isEmpty(), "no AR-TCP: no table");
        assertTrue(CommunicationPenalty.byLink(List.of()).isEmpty());
    }

    @Test
    void eachLinkIsComparedWithItsOwnPlainSeries() {
        List<LinkPenalty> links = CommunicationPenalty.byLink(List.of(
                plain("unshaped", 10, 1000), plain("100mbit", 60, 90),
                ar(2, "best-effort", "100mbit", 75, 90), ar(2, "best-effort", "unshaped", 22, 500)));
        assertEquals(List.of("100mbit", "unshaped"), links.stream().map(LinkPenalty::linkRate).toList());
        assertEquals(15.0, links.get(0).rows().get(0).addedOneWayUs().median().orElseThrow(), EPS);
        assertEquals(12.0, links.get(1).rows().get(0).addedOneWayUs().median().orElseThrow(), EPS);
        assertEquals(Verdict.MET, links.get(0).rows().get(0).throughputVerdict());
        assertEquals(Verdict.NOT_APPLICABLE, links.get(1).rows().get(0).throughputVerdict());
    }

    @Test
    void chartGroupsArePerLinkAndDeliveryWithPlainTcpFirst() {
        List<Series> all = List.of(
                plain("unshaped", 10, 1000), plain("100mbit", 60, 90),
                ar(4, "best-effort", "unshaped", 12, 1), ar(2, "best-effort", "unshaped", 11, 1),
                ar(2, "safe", "unshaped", 13, 1), ar(2, "best-effort", "100mbit", 70, 1),
                new Series("plain-java-unshaped", "j", "netpipe-java", "plain-tcp", 0, null, "unshaped", null, null,
                        List.of()));
        List<ChartGroup> groups = CommunicationPenalty.chartGroups(all);
        assertEquals(List.of("unshaped/best-effort", "unshaped/safe", "100mbit/best-effort"),
                groups.stream().map(g -> g.linkRate() + "/" + g.delivery()).toList());
        ChartGroup g = groups.get(0);
        assertNotNull(g.plain());
        assertEquals(List.of("plain-nptcp-unshaped", "artcp2-be-nptcp-unshaped", "artcp4-be-nptcp-unshaped"),
                g.all().stream().map(Series::id).toList());
        assertEquals(List.of("plain-nptcp-unshaped", "artcp2-safe-nptcp-unshaped"),
                groups.get(1).all().stream().map(Series::id).toList());
        assertTrue(CommunicationPenalty.chartGroups(List.of(plain("unshaped", 1, 1))).isEmpty());
    }

    @Test
    void hundredMbitLinksAreRecognised() {
        assertTrue(CommunicationPenalty.isHundredMbit("100mbit"));
        assertTrue(CommunicationPenalty.isHundredMbit("100Mbit/s"));
        assertTrue(CommunicationPenalty.isHundredMbit("100mbps"));
        assertFalse(CommunicationPenalty.isHundredMbit("1000mbit"));
        assertFalse(CommunicationPenalty.isHundredMbit("unshaped"));
        assertFalse(CommunicationPenalty.isHundredMbit(null));
    }
}
