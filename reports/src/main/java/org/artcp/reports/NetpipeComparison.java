package org.artcp.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.LongPredicate;
import java.util.function.ToDoubleFunction;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;

/**
 * The ratios the benchmark docs quote, computed from parsed series only (pure, no I/O).
 *
 * <p>Issue 2's target: on the same link, netpipe-java's one-way latency over sizes up to 1 KiB
 * is within 10% of NPtcp's (median of the per-size ratios), and its throughput at 64 KiB and
 * above within 10%. The paper's Fig. 6 claim (AR-TCP with 2 nodes about 1.15 times the latency
 * of standard TCP, best-effort delivery) is compared the same way, AR-TCP over plain TCP with
 * the same tool on the same link, over sizes up to 1 KiB.
 *
 * <p>Ratios are taken per message size, over the sizes both series measured, and the median of
 * those ratios is reported: one noisy size cannot move it, and it needs no common schedule.
 */
public final class NetpipeComparison {
    /** Largest size of the latency comparison: 1 KiB. */
    public static final long LATENCY_MAX_BYTES = 1024;
    /** Smallest size of the throughput comparison: 64 KiB. */
    public static final long THROUGHPUT_MIN_BYTES = 64 * 1024;
    /** Issue 2's tolerance: a median ratio within 1 ± 0.10 meets the target. */
    public static final double TOLERANCE = 0.10;

    private NetpipeComparison() {}

    /**
     * The median over a set of sizes of {@code metric(numerator) / metric(denominator)}.
     *
     * @param sizes the number of sizes both series have within the selection
     * @param median empty when {@code sizes} is 0
     */
    public record MedianRatio(OptionalDouble median, int sizes) {
        public static final MedianRatio NONE = new MedianRatio(OptionalDouble.empty(), 0);

        /** Whether the median exists and lies within 1 ± {@code tolerance}. */
        public boolean within(double tolerance) {
            return median.isPresent() && Math.abs(median.getAsDouble() - 1.0) <= tolerance;
        }
    }

    /**
     * netpipe-java against NPtcp on one link and transport.
     *
     * @param latency    java / NPtcp one-way latency, sizes ≤ {@link #LATENCY_MAX_BYTES}
     * @param throughput java / NPtcp Mbps, sizes ≥ {@link #THROUGHPUT_MIN_BYTES}
     */
    public record ToolComparison(String transport, String linkRate, String javaSeriesId, String nptcpSeriesId,
                                 MedianRatio latency, MedianRatio throughput) {
        /** Both ratios exist and are within {@link #TOLERANCE}. */
        public boolean meetsTarget() {
            return latency.within(TOLERANCE) && throughput.within(TOLERANCE);
        }
    }

    /**
     * An AR-TCP series against the plain-TCP series of the same tool on the same link (the
     * paper's Fig. 6 communication penalty).
     *
     * @param latency AR-TCP / plain TCP one-way latency, sizes ≤ {@link #LATENCY_MAX_BYTES}
     */
    public record PenaltyComparison(String arTcpSeriesId, String plainSeriesId, int nodes, String delivery,
                                    String tool, String linkRate, MedianRatio latency) {}

    /** Median of {@code metric(numerator) / metric(denominator)} over the common sizes accepted by {@code sizes}. */
    public static MedianRatio medianRatio(Series numerator, Series denominator, LongPredicate sizes,
                                          ToDoubleFunction<Point> metric) {
        Map<Long, Point> byBytes = new HashMap<>();
        for (Point p : denominator.points()) {
            byBytes.putIfAbsent(p.bytes(), p);
        }
        List<Double> ratios = new ArrayList<>();
        for (Point p : numerator.points()) {
            Point q = byBytes.get(p.bytes());
            if (q == null || !sizes.test(p.bytes())) {
                continue;
            }
            double num = metric.applyAsDouble(p);
            double den = metric.applyAsDouble(q);
            if (num > 0 && den > 0 && Double.isFinite(num) && Double.isFinite(den)) {
                ratios.add(num / den);
            }
        }
        if (ratios.isEmpty()) {
            return MedianRatio.NONE;
        }
        return new MedianRatio(OptionalDouble.of(median(ratios.stream().mapToDouble(Double::doubleValue).toArray())),
                ratios.size());
    }

    /** One-way latency of {@code numerator} over {@code denominator}, sizes ≤ 1 KiB. */
    public static MedianRatio latencyRatio(Series numerator, Series denominator) {
        return medianRatio(numerator, denominator, b -> b <= LATENCY_MAX_BYTES, Point::oneWaySeconds);
    }

    /** Throughput of {@code numerator} over {@code denominator}, sizes ≥ 64 KiB. */
    public static MedianRatio throughputRatio(Series numerator, Series denominator) {
        return medianRatio(numerator, denominator, b -> b >= THROUGHPUT_MIN_BYTES, Point::mbps);
    }

    /**
     * netpipe-java against NPtcp for every (transport, nodes, delivery, link) that has one series
     * of each, in the order the Java series appear.
     */
    public static List<ToolComparison> toolComparisons(List<Series> series) {
        List<ToolComparison> out = new ArrayList<>();
        for (Series java : series) {
            if (!NetpipeSummary.TOOL_JAVA.equals(java.tool())) {
                continue;
            }
            for (Series c : series) {
                if (NetpipeSummary.TOOL_NPTCP.equals(c.tool()) && sameSetup(java, c)) {
                    out.add(new ToolComparison(java.transport(), java.linkRate(), java.id(), c.id(),
                            latencyRatio(java, c), throughputRatio(java, c)));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Every AR-TCP series (transport other than plain TCP, nodes &gt; 0) against the plain-TCP
     * series of the same tool on the same link.
     */
    public static List<PenaltyComparison> penaltyComparisons(List<Series> series) {
        List<PenaltyComparison> out = new ArrayList<>();
        for (Series ar : series) {
            if (isPlain(ar)) {
                continue;
            }
            for (Series plain : series) {
                if (isPlain(plain) && Objects.equals(ar.tool(), plain.tool())
                        && Objects.equals(ar.linkRate(), plain.linkRate())) {
                    out.add(new PenaltyComparison(ar.id(), plain.id(), ar.nodes(), ar.delivery(), ar.tool(),
                            ar.linkRate(), latencyRatio(ar, plain)));
                    break;
                }
            }
        }
        return out;
    }

    /** The median; the mean of the two middle values for an even count. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static boolean isPlain(Series s) {
        return s.transport() == null || "plain-tcp".equals(s.transport()) || s.nodes() == 0;
    }

    private static boolean sameSetup(Series a, Series b) {
        return Objects.equals(a.transport(), b.transport()) && a.nodes() == b.nodes()
                && Objects.equals(a.delivery(), b.delivery()) && Objects.equals(a.linkRate(), b.linkRate());
    }
}
