package org.artcp.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.artcp.reports.CommunicationPenalty.ChartGroup;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The two NetPIPE figures in the style of the paper's Fig. 6: one-way latency and throughput
 * against message size, one series per entry of {@code summary.json}.
 *
 * <p>Styling encodes the setup: the colour is the link and transport (plain TCP unshaped blue,
 * plain TCP at 100 Mbit/s orange, further setups further colours), the line and marker the tool
 * (NPtcp solid with circles, netpipe-java dashed with triangles), so each pair that the
 * comparison table relates is one colour with two line styles.
 *
 * <p>Both figures have logarithmic axes: latency spans microseconds to a second, and throughput
 * on an unshaped veth is a hundred times that of a 100 Mbit/s link, which a linear axis would
 * flatten onto zero. Logarithmic axes span whole decades so their labels are round numbers.
 */
public final class Fig6Charts {
    /** Pixel size of both figures. */
    public static final int WIDTH = 1000;
    public static final int HEIGHT = 620;

    private static final Color[] SETUP_COLOURS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };
    private static final BasicStroke SOLID = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 4f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
            10f, new float[] {1.5f, 4f}, 0f);

    /** AR-TCP with 2, 3, 4 (and more) nodes in the penalty charts. */
    private static final Color[] NODE_COLOURS = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
    };
    private static final Marker[] NODE_MARKERS = {
        SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
        SeriesMarkers.CROSS
    };
    private static final BasicStroke NODE_LINE = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
            10f, new float[] {7f, 4f}, 0f);

    /** A decimal with more digits after the point than a pixel needs. */
    private static final Pattern LONG_DECIMAL = Pattern.compile("-?\\d+\\.\\d{3,}");

    private Fig6Charts() {}

    /** One-way latency in µs against message size in bytes, both axes logarithmic. */
    public static XYChart latency(List<Series> series) {
        XYChart chart = base("NetPIPE one-way latency (cf. paper Fig. 6)", "message size (bytes)",
                "one-way latency (µs)");
        chart.getStyler().setYAxisLogarithmic(true);
        addSeries(chart, series, Point::oneWayUs);
        return chart;
    }

    /** NetPIPE throughput in Mbps (2^20 bits/s) against message size in bytes, log x axis. */
    public static XYChart throughput(List<Series> series) {
        XYChart chart = base("NetPIPE throughput", "message size (bytes)", "throughput (Mbps, NetPIPE: 2^20 bit/s)");
        chart.getStyler().setYAxisLogarithmic(true);
        addSeries(chart, series, Point::mbps);
        return chart;
    }

    /**
     * One-way latency of plain TCP and the AR-TCP series of one link and delivery (the paper's
     * Fig. 6 latency panel), both axes logarithmic.
     */
    public static XYChart penaltyLatency(ChartGroup group) {
        XYChart chart = base("AR-TCP one-way latency, " + group.linkRate() + " link, " + group.delivery()
                + " (cf. paper Fig. 6)", "message size (bytes)", "one-way latency (µs)");
        chart.getStyler().setYAxisLogarithmic(true);
        addPenaltySeries(chart, group, Point::oneWayUs, b -> true, true);
        return chart;
    }

    /**
     * Throughput of plain TCP and the AR-TCP series of one link and delivery, log x and linear y:
     * within one link the plateau of large messages, where the throughput fraction is read, is
     * what matters, and a linear axis shows a 10% gap as 10%.
     */
    public static XYChart penaltyThroughput(ChartGroup group) {
        XYChart chart = base("AR-TCP throughput, " + group.linkRate() + " link, " + group.delivery()
                + " (cf. paper Fig. 6)", "message size (bytes)", "throughput (Mbps, NetPIPE: 2^20 bit/s)");
        addPenaltySeries(chart, group, Point::mbps, b -> true, false);
        return chart;
    }

    /**
     * One-way latency of messages up to 1 KiB, linear y from 0: where the added microseconds of
     * the issue's target are read.
     */
    public static XYChart penaltySmallLatency(ChartGroup group) {
        XYChart chart = base("AR-TCP one-way latency up to 1 KiB, " + group.linkRate() + " link, "
                + group.delivery(), "message size (bytes)", "one-way latency (µs)");
        addPenaltySeries(chart, group, Point::oneWayUs, b -> b <= NetpipeComparison.LATENCY_MAX_BYTES, false);
        return chart;
    }

    public static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * The chart as SVG. XChart draws text as glyph outlines, so the file is large; coordinates are
     * rounded to 1/100 px, which no viewer can tell apart, to keep it about half as large.
     */
    public static byte[] svg(Chart<?, ?> chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        String svg = out.toString(StandardCharsets.UTF_8);
        return LONG_DECIMAL.matcher(svg).replaceAll(m -> roundedCoordinate(m.group()))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String roundedCoordinate(String decimal) {
        String r = new BigDecimal(decimal).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return r.equals("-0") ? "0" : r;
    }

    private static XYChart base(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        var s = chart.getStyler();
        s.setXAxisLogarithmic(true);
        s.setXAxisDecimalPattern("#,###");
        s.setYAxisDecimalPattern("#,###.##");
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xe4e4e4));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setMarkerSize(6);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
        return chart;
    }

    private static void addSeries(XYChart chart, List<Series> series, ToDoubleFunction<Point> metric) {
        Map<String, Color> setupColours = new LinkedHashMap<>();
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = 0;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = 0;
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Point p : s.points()) {
                double y = metric.applyAsDouble(p);
                // Logarithmic axes cannot show 0; NetPIPE never reports it for a real measurement.
                if (p.bytes() > 0 && y > 0 && Double.isFinite(y)) {
                    xs.add((double) p.bytes());
                    ys.add(y);
                    xMin = Math.min(xMin, p.bytes());
                    xMax = Math.max(xMax, p.bytes());
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            String name = uniqueName(chart, legendName(s, series));
            XYSeries xy = chart.addSeries(name, xs, ys);
            String setup = s.transport() + "/" + s.nodes() + "/" + s.delivery() + "/" + s.linkRate();
            Color colour = setupColours.computeIfAbsent(setup,
                    k -> SETUP_COLOURS[setupColours.size() % SETUP_COLOURS.length]);
            xy.setLineColor(colour);
            xy.setMarkerColor(colour);
            xy.setLineStyle(lineFor(s.tool()));
            xy.setMarker(markerFor(s.tool()));
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        if (xMax > 0) {
            var styler = chart.getStyler();
            styler.setXAxisMin(decadeBelow(xMin));
            styler.setXAxisMax(decadeAbove(xMax));
            styler.setYAxisMin(decadeBelow(yMin));
            styler.setYAxisMax(decadeAbove(yMax));
        }
    }

    /**
     * Plain TCP black with circles; AR-TCP by node count, each count its own colour and marker,
     * so the same count looks the same in every penalty chart.
     */
    private static void addPenaltySeries(XYChart chart, ChartGroup group, ToDoubleFunction<Point> metric,
                                         LongPredicate sizes, boolean logY) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = 0;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = 0;
        for (Series s : group.all()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Point p : s.points()) {
                double y = metric.applyAsDouble(p);
                if (p.bytes() > 0 && sizes.test(p.bytes()) && y > 0 && Double.isFinite(y)) {
                    xs.add((double) p.bytes());
                    ys.add(y);
                    xMin = Math.min(xMin, p.bytes());
                    xMax = Math.max(xMax, p.bytes());
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            boolean plain = CommunicationPenalty.isPlainTcp(s);
            String name = uniqueName(chart, plain ? "plain TCP (NPtcp)" : "AR-TCP, " + s.nodes() + " nodes");
            XYSeries xy = chart.addSeries(name, xs, ys);
            Color colour = plain ? Color.BLACK : NODE_COLOURS[Math.floorMod(s.nodes() - 2, NODE_COLOURS.length)];
            xy.setLineColor(colour);
            xy.setMarkerColor(colour);
            xy.setLineStyle(plain ? SOLID : NODE_LINE);
            xy.setMarker(plain ? SeriesMarkers.CIRCLE : NODE_MARKERS[Math.floorMod(s.nodes() - 2,
                    NODE_MARKERS.length)]);
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        if (xMax > 0) {
            var styler = chart.getStyler();
            styler.setXAxisMin(decadeBelow(xMin));
            // The close-up ends at its last size rather than at the next decade, 10 times further.
            styler.setXAxisMax(sizes.test(Long.MAX_VALUE) ? decadeAbove(xMax) : xMax);
            if (logY) {
                styler.setYAxisMin(decadeBelow(yMin));
                styler.setYAxisMax(decadeAbove(yMax));
            } else {
                styler.setYAxisMin(0.0);
                styler.setYAxisMax(yMax * 1.05);
            }
        }
    }

    static double decadeBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v)));
    }

    static double decadeAbove(double v) {
        return Math.pow(10, Math.ceil(Math.log10(v)));
    }

    private static BasicStroke lineFor(String tool) {
        if (NetpipeSummary.TOOL_NPTCP.equals(tool)) {
            return SOLID;
        }
        return NetpipeSummary.TOOL_JAVA.equals(tool) ? DASHED : DOTTED;
    }

    private static Marker markerFor(String tool) {
        if (NetpipeSummary.TOOL_NPTCP.equals(tool)) {
            return SeriesMarkers.CIRCLE;
        }
        return NetpipeSummary.TOOL_JAVA.equals(tool) ? SeriesMarkers.TRIANGLE_UP : SeriesMarkers.SQUARE;
    }

    /** The label where it tells the series apart, else the label with the id. */
    private static String legendName(Series s, List<Series> all) {
        long same = all.stream().filter(o -> o.displayName().equals(s.displayName())).count();
        return same == 1 ? s.displayName() : s.displayName() + " [" + s.id() + "]";
    }

    private static String uniqueName(XYChart chart, String name) {
        String candidate = name;
        for (int n = 2; chart.getSeriesMap().containsKey(candidate); n++) {
            candidate = name + " #" + n;
        }
        return candidate;
    }
}
