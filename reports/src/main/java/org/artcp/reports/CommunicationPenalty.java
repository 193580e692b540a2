package org.artcp.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.artcp.reports.NetpipeComparison.MedianRatio;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;

/**
 * The communication penalty of AR-TCP (paper Fig. 6), per link rate, computed from parsed
 * series only (pure, no I/O).
 *
 * <p>Every AR-TCP series run with NPtcp (transport {@code ar-tcp}, {@code nodes} N, a
 * {@code delivery}) is compared with the plain-TCP NPtcp series of the same link and with the
 * 2-node AR-TCP series of the same delivery and link:
 * <ul>
 *   <li>added one-way latency: the median over common sizes ≤ 1 KiB of (AR-TCP − plain) µs, and
 *       the median of AR-TCP / plain;</li>
 *   <li>N / 2 nodes: the median over common sizes ≤ 1 KiB of t<sub>N</sub> / t<sub>2</sub>;</li>
 *   <li>throughput fraction: the median over common sizes ≥ 64 KiB of AR-TCP / plain Mbps.</li>
 * </ul>
 *
 * <p>The targets: at most {@value #MAX_ADDED_ONE_WAY_US} µs added one-way latency with 2
 * nodes; 4 nodes within 10% of 2 (ratio ≤ {@value #MAX_FOUR_TO_TWO_RATIO}); at least
 * {@value #MIN_THROUGHPUT_FRACTION} of plain throughput at ≥ 64 KiB, on 100 Mbit/s links only
 * (an unshaped veth is limited by CPU, not by the wire, so the fraction is shown there but
 * judged nowhere). The paper states RTT ratios; NetPIPE's one-way time is half its RTT, so the
 * ratios are the same.
 *
 * <p>A run may hold any subset of the series: what cannot be computed is empty, never an error.
 */
public final class CommunicationPenalty {
    /** Target: added one-way latency of a 2-node cluster over plain TCP, sizes ≤ 1 KiB. */
    public static final double MAX_ADDED_ONE_WAY_US = 30.0;
    /** Target: 4-node over 2-node one-way latency, sizes ≤ 1 KiB. */
    public static final double MAX_FOUR_TO_TWO_RATIO = 1.10;
    /** Target: AR-TCP over plain-TCP throughput, sizes ≥ 64 KiB, on 100 Mbit/s links. */
    public static final double MIN_THROUGHPUT_FRACTION = 0.90;
    /** The paper's Fig. 6 setting. */
    public static final String BEST_EFFORT = "best-effort";
    public static final String SAFE = "safe";
    public static final String AR_TCP = "ar-tcp";
    public static final String PLAIN_TCP = "plain-tcp";

    /** Printed numbers have 4 significant digits; a value on the limit must not read as missed. */
    private static final double LIMIT_SLACK = 1e-9;

    private CommunicationPenalty() {}

    /** How a row stands against one of the targets. */
    public enum Verdict {
        /** The number exists and meets the target. */
        MET,
        /** The number exists and misses the target. */
        MISSED,
        /** The target applies, but a series or common sizes are missing. */
        NO_DATA,
        /** The target is not about this row (another node count, or a link other than 100 Mbit/s). */
        NOT_APPLICABLE
    }

    /**
     * The median over a set of sizes of {@code metric(a) − metric(b)}.
     *
     * @param sizes how many common sizes went into the median
     */
    public record MedianDifference(OptionalDouble median, int sizes) {
        public static final MedianDifference NONE = new MedianDifference(OptionalDouble.empty(), 0);
    }

    /**
     * One AR-TCP series against plain TCP and against 2 nodes, on one link.
     *
     * @param plainSeriesId    the plain-TCP NPtcp series of the link, or null when the run has none
     * @param twoNodeSeriesId  the 2-node series of the same delivery and link, or null (and null for N = 2)
     * @param addedOneWayUs    AR-TCP − plain one-way µs, sizes ≤ 1 KiB
     * @param latencyRatio     AR-TCP / plain one-way latency, sizes ≤ 1 KiB
     * @param vsTwoNodes       t<sub>N</sub> / t<sub>2</sub> one-way latency, sizes ≤ 1 KiB; none for N = 2
     * @param throughputFraction AR-TCP / plain Mbps, sizes ≥ 64 KiB
     */
    public record Row(String linkRate, int nodes, String delivery, String arTcpSeriesId, String plainSeriesId,
                      String twoNodeSeriesId, MedianDifference addedOneWayUs, MedianRatio latencyRatio,
                      MedianRatio vsTwoNodes, MedianRatio throughputFraction) {

        /** ≤ {@value #MAX_ADDED_ONE_WAY_US} µs added; about 2-node clusters only. */
        public Verdict addedLatencyVerdict() {
            if (nodes != 2) {
                return Verdict.NOT_APPLICABLE;
            }
            return addedOneWayUs.median().isEmpty() ? Verdict.NO_DATA
                    : verdict(addedOneWayUs.median().getAsDouble() <= MAX_ADDED_ONE_WAY_US + LIMIT_SLACK);
        }

        /** 4 nodes within 10% of 2; about 4-node clusters only. */
        public Verdict scalingVerdict() {
            if (nodes != 4) {
                return Verdict.NOT_APPLICABLE;
            }
            return vsTwoNodes.median().isEmpty() ? Verdict.NO_DATA
                    : verdict(vsTwoNodes.median().getAsDouble() <= MAX_FOUR_TO_TWO_RATIO + LIMIT_SLACK);
        }

        /** ≥ 90% of plain throughput; about 100 Mbit/s links only. */
        public Verdict throughputVerdict() {
            if (!isHundredMbit(linkRate)) {
                return Verdict.NOT_APPLICABLE;
            }
            return throughputFraction.median().isEmpty() ? Verdict.NO_DATA
                    : verdict(throughputFraction.median().getAsDouble() >= MIN_THROUGHPUT_FRACTION - LIMIT_SLACK);
        }
    }

    /**
     * The rows of one link, ordered by delivery (best-effort first) and then nodes.
     *
     * @param plainSeriesId the plain-TCP NPtcp series of the link, or null
     */
    public record LinkPenalty(String linkRate, String plainSeriesId, List<Row> rows) {
        public LinkPenalty {
            rows = List.copyOf(rows);
        }

        /** The row of {@code nodes} and {@code delivery}, or null. */
        public Row row(int nodes, String delivery) {
            for (Row r : rows) {
                if (r.nodes() == nodes && Objects.equals(r.delivery(), delivery)) {
                    return r;
                }
            }
            return null;
        }
    }

    /**
     * The series of one chart pair: plain TCP and the AR-TCP series of one delivery on one link.
     *
     * @param plain  the plain-TCP NPtcp series of the link, or null
     * @param arTcp  the AR-TCP NPtcp series, by increasing node count
     */
    public record ChartGroup(String linkRate, String delivery, Series plain, List<Series> arTcp) {
        public ChartGroup {
            arTcp = List.copyOf(arTcp);
        }

        /** Plain TCP (when present) first, then the AR-TCP series. */
        public List<Series> all() {
            List<Series> out = new ArrayList<>();
            if (plain != null) {
                out.add(plain);
            }
            out.addAll(arTcp);
            return out;
        }
    }

    /** Whether {@code s} is an AR-TCP series with at least one node. */
    public static boolean isArTcp(Series s) {
        return AR_TCP.equals(s.transport()) && s.nodes() > 0;
    }

    /** Whether {@code s} is a plain-TCP series. */
    public static boolean isPlainTcp(Series s) {
        return s.transport() == null || PLAIN_TCP.equals(s.transport()) || s.nodes() == 0;
    }

    /** Whether a link rate names 100 Mbit/s ({@code 100mbit}, {@code 100Mbit/s}, {@code 100mbps}). */
    public static boolean isHundredMbit(String linkRate) {
        if (linkRate == null) {
            return false;
        }
        String r = linkRate.toLowerCase(Locale.ROOT).replace(" ", "").replace("/s", "");
        return r.equals("100mbit") || r.equals("100mbps");
    }

    /** Median over common sizes accepted by {@code sizes} of {@code metric(a) − metric(b)}. */
    public static MedianDifference medianDifference(Series a, Series b, LongPredicate sizes,
                                                    ToDoubleFunction<Point> metric) {
        Map<Long, Point> byBytes = new HashMap<>();
        for (Point p : b.points()) {
            byBytes.putIfAbsent(p.bytes(), p);
        }
        List<Double> differences = new ArrayList<>();
        for (Point p : a.points()) {
            Point q = byBytes.get(p.bytes());
            if (q == null || !sizes.test(p.bytes())) {
                continue;
            }
            double x = metric.applyAsDouble(p);
            double y = metric.applyAsDouble(q);
            // The same filter as NetpipeComparison.medianRatio, so both medians cover the same sizes.
            if (x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
                differences.add(x - y);
            }
        }
        if (differences.isEmpty()) {
            return MedianDifference.NONE;
        }
        return new MedianDifference(OptionalDouble.of(NetpipeComparison.median(
                differences.stream().mapToDouble(Double::doubleValue).toArray())), differences.size());
    }

    /** Added one-way µs of {@code arTcp} over {@code plain}, sizes ≤ 1 KiB. */
    public static MedianDifference addedOneWayUs(Series arTcp, Series plain) {
        return medianDifference(arTcp, plain, b -> b <= NetpipeComparison.LATENCY_MAX_BYTES, Point::oneWayUs);
    }

    /**
     * The penalty of every link that has an AR-TCP NPtcp series, links in the order they first
     * appear in {@code series}. Where two series share link, nodes and delivery, the first counts.
     */
    public static List<LinkPenalty> byLink(List<Series> series) {
        List<LinkPenalty> out = new ArrayList<>();
        for (String link : arTcpLinks(series)) {
            Series plain = plainOn(series, link);
            List<Series> arTcp = arTcpOn(series, link, d -> true);
            List<Row> rows = new ArrayList<>();
            for (Series ar : arTcp) {
                Series two = ar.nodes() == 2 ? null : find(arTcp, 2, ar.delivery());
                rows.add(new Row(link, ar.nodes(), ar.delivery(), ar.id(), plain == null ? null : plain.id(),
                        two == null ? null : two.id(),
                        plain == null ? MedianDifference.NONE : addedOneWayUs(ar, plain),
                        plain == null ? MedianRatio.NONE : NetpipeComparison.latencyRatio(ar, plain),
                        two == null ? MedianRatio.NONE : NetpipeComparison.latencyRatio(ar, two),
                        plain == null ? MedianRatio.NONE : NetpipeComparison.throughputRatio(ar, plain)));
            }
            out.add(new LinkPenalty(link, plain == null ? null : plain.id(), rows));
        }
        return out;
    }

    /**
     * One group per link and delivery that has an AR-TCP NPtcp series: links in order of first
     * appearance, best-effort before safe.
     */
    public static List<ChartGroup> chartGroups(List<Series> series) {
        List<ChartGroup> out = new ArrayList<>();
        for (String link : arTcpLinks(series)) {
            Series plain = plainOn(series, link);
            List<String> deliveries = arTcpOn(series, link, d -> true).stream().map(Series::delivery).distinct()
                    .toList();
            for (String delivery : deliveries) {
                out.add(new ChartGroup(link, delivery, plain,
                        arTcpOn(series, link, d -> Objects.equals(d, delivery))));
            }
        }
        return out;
    }

    private static List<String> arTcpLinks(List<Series> series) {
        Map<String, Boolean> links = new LinkedHashMap<>();
        for (Series s : series) {
            if (isArTcp(s) && NetpipeSummary.TOOL_NPTCP.equals(s.tool())) {
                links.putIfAbsent(s.linkRate(), true);
            }
        }
        return new ArrayList<>(links.keySet());
    }

    private static Series plainOn(List<Series> series, String link) {
        for (Series s : series) {
            if (isPlainTcp(s) && NetpipeSummary.TOOL_NPTCP.equals(s.tool()) && Objects.equals(s.linkRate(), link)) {
                return s;
            }
        }
        return null;
    }

    /** The AR-TCP NPtcp series of a link and the deliveries accepted, one per (delivery, nodes), sorted. */
    private static List<Series> arTcpOn(List<Series> series, String link, Predicate<String> deliveries) {
        Map<String, Series> unique = new LinkedHashMap<>();
        for (Series s : series) {
            if (isArTcp(s) && NetpipeSummary.TOOL_NPTCP.equals(s.tool()) && Objects.equals(s.linkRate(), link)
                    && deliveries.test(s.delivery())) {
                unique.putIfAbsent(s.delivery() + "/" + s.nodes(), s);
            }
        }
        List<Series> out = new ArrayList<>(unique.values());
        out.sort(Comparator.comparingInt((Series s) -> deliveryRank(s.delivery())).thenComparingInt(Series::nodes));
        return out;
    }

    private static Series find(List<Series> series, int nodes, String delivery) {
        for (Series s : series) {
            if (s.nodes() == nodes && Objects.equals(s.delivery(), delivery)) {
                return s;
            }
        }
        return null;
    }

    private static int deliveryRank(String delivery) {
        if (BEST_EFFORT.equals(delivery)) {
            return 0;
        }
        return SAFE.equals(delivery) ? 1 : 2;
    }

    private static Verdict verdict(boolean met) {
        return met ? Verdict.MET : Verdict.MISSED;
    }
}
