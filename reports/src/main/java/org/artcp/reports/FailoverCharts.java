package org.artcp.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.artcp.reports.FailoverSummary.Failover;
import org.artcp.reports.FailoverSummary.Series;
import org.artcp.reports.FailoverSummary.Timeout;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The failover figures: the client-observed stall's distribution over crashes (an empirical CDF per app
 * and crash kind, one chart per delivery, the 500 ms target as a vertical line) and the failure
 * detector's detection time against its timeout. Primary red, aggregator orange, backup blue;
 * the NetPIPE ping-pong dashed, the MySQL workload solid.
 */
public final class FailoverCharts {
    public static final int WIDTH = Fig6Charts.WIDTH;
    public static final int HEIGHT = Fig6Charts.HEIGHT;

    private static final BasicStroke SOLID = new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 4f}, 0f);
    private static final Color TARGET = new Color(0x888888);

    private FailoverCharts() {}

    /**
     * The stall's empirical CDF for {@code delivery}: for each series, the fraction of its measured crashes whose
     * stall is at most x ms (a step per crash).
     */
    public static XYChart stallCdf(Failover summary, String delivery) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Client-observed stall per crash, " + delivery)
                .xAxisTitle("stall: longest gap between responses around the crash (ms)")
                .yAxisTitle("fraction of crashes").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        double max = summary.stallTargetMs();
        for (Series s : summary.series()) {
            if (!delivery.equals(s.delivery())) {
                continue;
            }
            List<Double> stalls = summary.stalls(s.id()).stream().filter(Objects::nonNull).sorted().toList();
            if (stalls.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            xs.add(0.0);
            ys.add(0.0);
            for (int i = 0; i < stalls.size(); i++) {
                xs.add(stalls.get(i));
                ys.add((i + 1) / (double) stalls.size());
                max = Math.max(max, stalls.get(i));
            }
            XYSeries line = chart.addSeries(s.app() + ", " + s.kind() + " killed (" + stalls.size() + ")", xs, ys);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            line.setLineColor(kindColour(s.kind()));
            line.setLineStyle("netpipe".equals(s.app()) ? DASHED : SOLID);
            line.setMarker(SeriesMarkers.NONE);
        }
        XYSeries target = chart.addSeries("target: p99 ≤ " + Html.number(summary.stallTargetMs()) + " ms",
                List.of(summary.stallTargetMs(), summary.stallTargetMs()), List.of(0.0, 1.0));
        target.setLineColor(TARGET);
        target.setLineStyle(DASHED);
        target.setMarker(SeriesMarkers.NONE);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(max * 1.1);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        return chart;
    }

    /** Detection time (p50 and p99, ms) against the failure timeout, with detection = timeout as a reference. */
    public static XYChart detection(List<Timeout> timeouts) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Failure detection time against the failure timeout")
                .xAxisTitle("failure timeout (ms)").yAxisTitle("detection time after the kill (ms)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double max = 0;
        List<Double> xs = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (Timeout t : timeouts.stream().sorted(java.util.Comparator.comparingDouble(Timeout::failureTimeoutMs)).toList()) {
            if (t.detectionMs().p50() != null) {
                xs.add(t.failureTimeoutMs());
                p50.add(t.detectionMs().p50());
                p99.add(t.detectionMs().p99());
                max = Math.max(max, Math.max(t.detectionMs().p99(), t.failureTimeoutMs()));
            }
        }
        if (!xs.isEmpty()) {
            XYSeries a = chart.addSeries("p50", xs, p50);
            a.setLineColor(kindColour("backup"));
            a.setMarkerColor(kindColour("backup"));
            a.setMarker(SeriesMarkers.CIRCLE);
            XYSeries b = chart.addSeries("p99", xs, p99);
            b.setLineColor(kindColour("primary"));
            b.setMarkerColor(kindColour("primary"));
            b.setMarker(SeriesMarkers.DIAMOND);
            double top = xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            XYSeries ref = chart.addSeries("detection = timeout", List.of(0.0, top), List.of(0.0, top));
            ref.setLineColor(TARGET);
            ref.setLineStyle(DASHED);
            ref.setMarker(SeriesMarkers.NONE);
        } else {
            // XChart refuses a chart without a series: an empty placeholder keeps the page whole
            XYSeries none = chart.addSeries("no detection measured", List.of(0.0), List.of(0.0));
            none.setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(max > 0 ? max * 1.1 : 1.0);
        return chart;
    }

    private static Color kindColour(String kind) {
        return switch (kind) {
            case "primary" -> new Color(0xd62728);
            case "aggregator" -> new Color(0xff7f0e);
            default -> new Color(0x1f77b4);
        };
    }

    private static void style(XYStyler s) {
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xe4e4e4));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setXAxisDecimalPattern("#,###.#");
        s.setYAxisDecimalPattern("#,###.##");
        s.setMarkerSize(7);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
    }
}
