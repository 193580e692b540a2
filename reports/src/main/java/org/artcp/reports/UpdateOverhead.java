package org.artcp.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.artcp.reports.CommunicationPenalty.Verdict;
import org.artcp.reports.MysqlSummary.Operation;
import org.artcp.reports.MysqlSummary.UpdateSeries;

/**
 * The cost of AR-TCP for MySQL update operations (paper Fig. 7), from parsed series only (pure):
 * per operation, every series' mean, p50 and p99 response time and its ratio to the standalone
 * server's (one MariaDB, no AR-TCP), judged against the targets: best-effort at most
 * {@value #MAX_BEST_EFFORT_RATIO}×, safe at most {@value #MAX_SAFE_RATIO}× the standalone mean.
 * A run may hold any subset of the series; what cannot be computed is empty, never an error.
 */
public final class UpdateOverhead {
    public static final double MAX_BEST_EFFORT_RATIO = 1.3;
    public static final double MAX_SAFE_RATIO = 1.5;
    /** Printed ratios have 3 decimals; a value on the limit must not read as missed. */
    private static final double LIMIT_SLACK = 1e-9;

    private UpdateOverhead() {}

    /**
     * One series on one operation.
     *
     * @param meanRatio mean over the standalone mean; null for standalone itself or without a standalone series
     * @param p50Ratio  the same of the medians
     * @param p99Ratio  the same of the 99th percentiles
     */
    public record Row(String operation, String seriesId, int nodes, String delivery, MysqlSummary.Stats stats,
                      Double meanRatio, Double p50Ratio, Double p99Ratio) {
        public boolean standalone() {
            return nodes <= 1;
        }

        /** Best-effort ≤ 1.3×, safe ≤ 1.5× standalone, on the mean. */
        public Verdict verdict() {
            Double limit = limit(delivery);
            if (standalone() || limit == null) {
                return Verdict.NOT_APPLICABLE;
            }
            return meanRatio == null ? Verdict.NO_DATA
                    : meanRatio <= limit + LIMIT_SLACK ? Verdict.MET : Verdict.MISSED;
        }
    }

    /** The rows of one operation: standalone first, then best-effort by nodes, then safe by nodes. */
    public record OperationRows(String operation, String standaloneSeriesId, List<Row> rows) {
        public OperationRows {
            rows = List.copyOf(rows);
        }

        /** The row of {@code nodes} and {@code delivery} (null delivery: standalone), or null. */
        public Row row(int nodes, String delivery) {
            return rows.stream().filter(r -> r.nodes() == nodes && Objects.equals(r.delivery(), delivery)).findFirst()
                    .orElse(null);
        }
    }

    /** The target ratio for a delivery mode, or null for none. */
    public static Double limit(String delivery) {
        if (CommunicationPenalty.BEST_EFFORT.equals(delivery)) {
            return MAX_BEST_EFFORT_RATIO;
        }
        return CommunicationPenalty.SAFE.equals(delivery) ? MAX_SAFE_RATIO : null;
    }

    /** Every operation in the order of first appearance, each with every series that timed it. */
    public static List<OperationRows> byOperation(List<UpdateSeries> series) {
        UpdateSeries standalone = series.stream().filter(UpdateSeries::standalone).findFirst().orElse(null);
        List<UpdateSeries> ordered = ordered(series);
        Map<String, List<Row>> byOp = new LinkedHashMap<>();
        for (UpdateSeries s : series) {
            for (Operation o : s.operations()) {
                byOp.putIfAbsent(o.operation(), new ArrayList<>());
            }
        }
        for (Map.Entry<String, List<Row>> e : byOp.entrySet()) {
            Operation base = standalone == null ? null : standalone.operation(e.getKey());
            for (UpdateSeries s : ordered) {
                Operation o = s.operation(e.getKey());
                if (o == null) {
                    continue;
                }
                boolean self = s.standalone();
                e.getValue().add(new Row(e.getKey(), s.id(), s.standalone() ? 1 : s.nodes(),
                        s.standalone() ? null : s.delivery(), o.stats(),
                        self || base == null ? null : ratio(o.stats().meanUs(), base.stats().meanUs()),
                        self || base == null ? null : ratio(o.stats().p50Us(), base.stats().p50Us()),
                        self || base == null ? null : ratio(o.stats().p99Us(), base.stats().p99Us())));
            }
        }
        List<OperationRows> out = new ArrayList<>();
        byOp.forEach((op, rows) -> out.add(new OperationRows(op, standalone == null ? null : standalone.id(), rows)));
        return out;
    }

    /** Standalone first (the first such series only), then best-effort by nodes, then safe by nodes. */
    static List<UpdateSeries> ordered(List<UpdateSeries> series) {
        List<UpdateSeries> out = new ArrayList<>();
        series.stream().filter(UpdateSeries::standalone).findFirst().ifPresent(out::add);
        Map<String, UpdateSeries> unique = new LinkedHashMap<>();
        for (UpdateSeries s : series) {
            if (!s.standalone()) {
                unique.putIfAbsent(s.delivery() + "/" + s.nodes(), s);
            }
        }
        List<UpdateSeries> arTcp = new ArrayList<>(unique.values());
        arTcp.sort(Comparator.comparingInt((UpdateSeries s) -> deliveryRank(s.delivery()))
                .thenComparingInt(UpdateSeries::nodes));
        out.addAll(arTcp);
        return out;
    }

    /**
     * The operation with the largest mean in a series ("create table is the most time consuming of
     * the five", paper §6.2.1), or null when none was timed.
     */
    public static String slowest(UpdateSeries s) {
        String slowest = null;
        double worst = -1;
        for (Operation o : s.operations()) {
            if (o.stats().meanUs() != null && o.stats().meanUs() > worst) {
                worst = o.stats().meanUs();
                slowest = o.operation();
            }
        }
        return slowest;
    }

    static int deliveryRank(String delivery) {
        if (CommunicationPenalty.BEST_EFFORT.equals(delivery)) {
            return 0;
        }
        return CommunicationPenalty.SAFE.equals(delivery) ? 1 : 2;
    }

    static Double ratio(Double a, Double b) {
        if (a == null || b == null || !(b > 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
            return null;
        }
        return a / b;
    }
}
