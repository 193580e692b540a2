package org.artcp.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.artcp.reports.ReadScaling.Curve;
import org.artcp.reports.ReadScaling.Point;
import org.artcp.reports.UpdateOverhead.OperationRows;
import org.artcp.reports.UpdateOverhead.Row;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The MySQL figures in the style of the paper's Fig. 7 (update operations, bars per operation) and
 * Fig. 8 (mean SELECT response time against threads, a line per cluster). Standalone is black;
 * AR-TCP with 2, 3 and 4 nodes blue, orange and red, as in the Fig. 6 charts.
 */
public final class MysqlCharts {
    public static final int WIDTH = Fig6Charts.WIDTH;
    public static final int HEIGHT = Fig6Charts.HEIGHT;

    private static final Color STANDALONE = new Color(0x333333);
    private static final Color[] NODE_COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xd62728),
        new Color(0x2ca02c), new Color(0x9467bd)};
    private static final BasicStroke SOLID = new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 4f}, 0f);

    private MysqlCharts() {}

    /**
     * Fig. 7 for one delivery mode: per operation, the mean response time (µs, logarithmic: create
     * table takes tens of times an insert) of standalone and of each AR-TCP node count.
     */
    public static CategoryChart updateTimes(List<OperationRows> operations, String delivery) {
        CategoryChart chart = categoryChart("Update operations, " + delivery + " (cf. paper Fig. 7)",
                "mean response time (µs)");
        chart.getStyler().setYAxisLogarithmic(true);
        List<String> ops = operations.stream().map(OperationRows::operation).toList();
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (String key : seriesKeys(operations, delivery, true)) {
            List<Double> ys = new ArrayList<>();
            for (OperationRows o : operations) {
                Row r = rowFor(o, key);
                Double mean = r == null ? null : r.stats().meanUs();
                ys.add(mean != null && mean > 0 ? mean : null);
                if (mean != null && mean > 0) {
                    max = Math.max(max, mean);
                    min = Math.min(min, mean);
                }
            }
            if (ys.stream().allMatch(java.util.Objects::isNull)) {
                continue;
            }
            var s = chart.addSeries(label(key), ops, ys);
            s.setFillColor(colour(key));
        }
        if (max > 0) {
            chart.getStyler().setYAxisMin(Fig6Charts.decadeBelow(min));
            chart.getStyler().setYAxisMax(Fig6Charts.decadeAbove(max));
        }
        return chart;
    }

    /** Fig. 7 as ratios: each AR-TCP series' mean over the standalone mean, per operation, linear from 0. */
    public static CategoryChart updateRatios(List<OperationRows> operations) {
        CategoryChart chart = categoryChart("Update operations: AR-TCP / standalone mean response time",
                "ratio to standalone (best-effort target ≤ 1.3, safe ≤ 1.5)");
        List<String> ops = operations.stream().map(OperationRows::operation).toList();
        double max = 0;
        for (String key : seriesKeys(operations, null, false)) {
            List<Double> ys = new ArrayList<>();
            for (OperationRows o : operations) {
                Row r = rowFor(o, key);
                ys.add(r == null ? null : r.meanRatio());
                if (r != null && r.meanRatio() != null) {
                    max = Math.max(max, r.meanRatio());
                }
            }
            if (ys.stream().allMatch(java.util.Objects::isNull)) {
                continue;
            }
            var s = chart.addSeries(label(key), ops, ys);
            Color c = colour(key);
            s.setFillColor(key.endsWith("/safe") ? c.darker() : c);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(1.6, max * 1.1));
        return chart;
    }

    /**
     * Fig. 8 for one delivery mode: mean SELECT response time (ms) against the number of threads,
     * standalone and each cluster of that delivery (RR-NP solid, RR-P dashed), with the paper's
     * 40-thread values as hollow markers where {@code paperMsAt40} has them.
     */
    public static XYChart readTimes(List<Curve> curves, String delivery, Map<Integer, Double> paperMsAt40) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Simultaneous SELECT threads, " + delivery + " (cf. paper Fig. 8)")
                .xAxisTitle("select threads").yAxisTitle("mean response time of one SELECT (ms)").build();
        style(chart.getStyler());
        // the curves start at 10 threads and rise to the right: the upper left is free
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("#");
        double max = 0;
        for (Curve c : curves) {
            if (!c.standalone() && !delivery.equals(c.delivery())) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Point p : c.points()) {
                if (p.stats().meanUs() != null) {
                    xs.add((double) p.threads());
                    ys.add(p.stats().meanUs() / 1000.0);
                    max = Math.max(max, p.stats().meanUs() / 1000.0);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(c.describe(), xs, ys);
            Color colour = c.standalone() ? STANDALONE : nodeColour(c.nodes());
            s.setLineColor(colour);
            s.setMarkerColor(colour);
            s.setLineStyle("rr-p".equals(c.readPolicy()) ? DASHED : SOLID);
            s.setMarker(c.standalone() ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        }
        for (Map.Entry<Integer, Double> e : paperMsAt40.entrySet()) {
            XYSeries s = chart.addSeries("paper, " + e.getKey() + " nodes (safe)",
                    List.of((double) ReadScaling.REFERENCE_THREADS), List.of(e.getValue()));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(nodeColour(e.getKey()).brighter());
            max = Math.max(max, e.getValue());
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(max > 0 ? max * 1.1 : 1.0);
        chart.getStyler().setXAxisMin(0.0);
        return chart;
    }

    private static CategoryChart categoryChart(String title, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("operation").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        return chart;
    }

    private static void style(AxesChartStyler s) {
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xe4e4e4));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setYAxisDecimalPattern("#,###.##");
        s.setMarkerSize(7);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
    }

    /** {@code standalone} and {@code <nodes>/<delivery>} keys in row order, of one delivery or all. */
    private static List<String> seriesKeys(List<OperationRows> operations, String delivery, boolean withStandalone) {
        List<String> keys = new ArrayList<>();
        for (OperationRows o : operations) {
            for (Row r : o.rows()) {
                String key = r.standalone() ? "standalone" : r.nodes() + "/" + r.delivery();
                boolean wanted = r.standalone() ? withStandalone : delivery == null || delivery.equals(r.delivery());
                if (wanted && !keys.contains(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private static Row rowFor(OperationRows o, String key) {
        for (Row r : o.rows()) {
            if ((r.standalone() ? "standalone" : r.nodes() + "/" + r.delivery()).equals(key)) {
                return r;
            }
        }
        return null;
    }

    private static String label(String key) {
        if (key.equals("standalone")) {
            return "standalone (no AR-TCP)";
        }
        String[] parts = key.split("/", 2);
        return "AR-TCP, " + parts[0] + " nodes, " + parts[1];
    }

    private static Color colour(String key) {
        return key.equals("standalone") ? STANDALONE : nodeColour(Integer.parseInt(key.split("/", 2)[0]));
    }

    private static Color nodeColour(int nodes) {
        return NODE_COLOURS[Math.floorMod(nodes - 2, NODE_COLOURS.length)];
    }
}
