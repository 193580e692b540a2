package org.artcp.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.artcp.reports.CommunicationPenalty.Verdict;
import org.artcp.reports.MysqlSummary.ReadSeries;

/**
 * Simultaneous SELECT threads against the cluster size (paper Fig. 8), from parsed series only
 * (pure): the mean response time of one SELECT against the number of threads, one curve per
 * cluster (nodes, delivery, read policy), and at the reference thread count ({@value #REFERENCE_THREADS}
 * where measured, else the largest count measured) the speed-up over the standalone server,
 * t<sub>1</sub> / t<sub>N</sub>, judged against the target ≥ {@value #MIN_SPEED_UP_PER_NODE}·N.
 */
public final class ReadScaling {
    /** The paper's largest load, 2 clients × 20 threads, where its Fig. 8 numbers are stated. */
    public static final int REFERENCE_THREADS = 40;
    /** Target: speed-up over 1 node at least this times the number of nodes. */
    public static final double MIN_SPEED_UP_PER_NODE = 0.8;
    private static final double LIMIT_SLACK = 1e-9;

    private ReadScaling() {}

    /** One thread count of a curve. */
    public record Point(int threads, String seriesId, MysqlSummary.Stats stats) {}

    /** The series of one cluster (or the standalone server), by increasing thread count. */
    public record Curve(int nodes, String delivery, String readPolicy, List<Point> points) {
        public Curve {
            points = List.copyOf(points);
        }

        public boolean standalone() {
            return nodes <= 1;
        }

        /** The point of {@code threads}, or null. */
        public Point at(int threads) {
            return points.stream().filter(p -> p.threads() == threads).findFirst().orElse(null);
        }

        /** e.g. "standalone" or "2 nodes, safe, rr-np". */
        public String describe() {
            return standalone() ? "standalone (1 node, no AR-TCP)"
                    : nodes + " nodes, " + delivery + ", " + readPolicy;
        }
    }

    /**
     * One AR-TCP curve at the reference thread count against standalone.
     *
     * @param meanUs       its mean SELECT response time there, or null
     * @param standaloneUs the standalone mean there, or null
     * @param speedUp      standaloneUs / meanUs, or null
     */
    public record SpeedUp(Curve curve, int threads, Double meanUs, Double standaloneUs, Double speedUp) {
        public double target() {
            return MIN_SPEED_UP_PER_NODE * curve.nodes();
        }

        public Verdict verdict() {
            return speedUp == null ? Verdict.NO_DATA
                    : speedUp >= target() - LIMIT_SLACK ? Verdict.MET : Verdict.MISSED;
        }
    }

    /** Curves: standalone first, then by delivery (best-effort first), read policy and nodes. */
    public static List<Curve> curves(List<ReadSeries> series) {
        Map<String, List<ReadSeries>> groups = new LinkedHashMap<>();
        for (ReadSeries s : series) {
            String key = s.standalone() ? "standalone" : s.nodes() + "/" + s.delivery() + "/" + s.readPolicy();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        List<Curve> out = new ArrayList<>();
        for (List<ReadSeries> g : groups.values()) {
            Map<Integer, Point> byThreads = new LinkedHashMap<>();
            for (ReadSeries s : g) {
                byThreads.putIfAbsent(s.threads(), new Point(s.threads(), s.id(), s.stats()));
            }
            List<Point> points = new ArrayList<>(byThreads.values());
            points.sort(Comparator.comparingInt(Point::threads));
            ReadSeries first = g.getFirst();
            out.add(first.standalone() ? new Curve(1, null, null, points)
                    : new Curve(first.nodes(), first.delivery(), first.readPolicy(), points));
        }
        out.sort(Comparator.comparingInt((Curve c) -> c.standalone() ? 0 : 1)
                .thenComparingInt(c -> UpdateOverhead.deliveryRank(c.delivery()))
                .thenComparing(c -> Objects.requireNonNullElse(c.readPolicy(), ""))
                .thenComparingInt(Curve::nodes));
        return out;
    }

    /** {@value #REFERENCE_THREADS} when any series has it, else the largest thread count; 0 without series. */
    public static int referenceThreads(List<Curve> curves) {
        int largest = 0;
        for (Curve c : curves) {
            for (Point p : c.points()) {
                if (p.threads() == REFERENCE_THREADS) {
                    return REFERENCE_THREADS;
                }
                largest = Math.max(largest, p.threads());
            }
        }
        return largest;
    }

    /** Every AR-TCP curve's speed-up at the reference thread count. */
    public static List<SpeedUp> speedUps(List<Curve> curves) {
        int threads = referenceThreads(curves);
        Curve standalone = curves.stream().filter(Curve::standalone).findFirst().orElse(null);
        Point base = standalone == null ? null : standalone.at(threads);
        Double baseUs = base == null ? null : base.stats().meanUs();
        List<SpeedUp> out = new ArrayList<>();
        for (Curve c : curves) {
            if (c.standalone()) {
                continue;
            }
            Point p = c.at(threads);
            Double us = p == null ? null : p.stats().meanUs();
            out.add(new SpeedUp(c, threads, us, baseUs, UpdateOverhead.ratio(baseUs, us)));
        }
        return out;
    }
}
