package org.artcp.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Renders a results directory (docs/results-format.md) from its files alone: {@code results/updates/…}
 * (paper Fig. 7) and {@code results/reads/…} (Fig. 8) by {@link MysqlReport}; {@code results/failover/…} and
 * {@code results/detector/…} (issue 6, docs/failover.md) by {@link FailoverReport}; a {@code results/netpipe/<timestamp>/} directory from its
 * files alone (STYLE §12): reads {@code summary.json}, {@code env.json} and {@code config.json},
 * writes {@code fig6-latency.{png,svg}}, {@code fig6-throughput.{png,svg}} (plain TCP, the tool
 * comparison), for each link and delivery with AR-TCP series
 * {@code fig6-latency-<link>-<delivery>}, {@code fig6-throughput-<link>-<delivery>} and
 * {@code fig6-latency-small-<link>-<delivery>} (PNG and SVG each), and a self-contained
 * {@code report.html} into the same directory.
 */
public final class ReportRenderer {
    public static final String SUMMARY = "summary.json";
    public static final String ENV = "env.json";
    public static final String CONFIG = "config.json";
    public static final String REPORT = "report.html";
    public static final String LATENCY_FIGURE = "fig6-latency";
    public static final String THROUGHPUT_FIGURE = "fig6-throughput";
    /** Stem of the close-up latency charts (sizes up to 1 KiB) of the AR-TCP penalty. */
    public static final String SMALL_LATENCY_FIGURE = "fig6-latency-small";
    /** Stem of the update-operation charts (paper Fig. 7). */
    public static final String FIG7 = "fig7";
    /** Stem of the SELECT-thread charts (paper Fig. 8). */
    public static final String FIG8 = "fig8";
    /** Stem of the failover stall charts (issue 6), one per delivery. */
    public static final String FAILOVER_STALL = "failover-stall";
    /** The failure detector's chart. */
    public static final String DETECTOR_FIGURE = "detector-detection";
    private static final String PUBLISHED_VALUES = "published-values.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportRenderer() {}

    /**
     * What one rendering wrote.
     *
     * @param reportHtml the page
     * @param written    every file written, the page last
     */
    public record RenderedReport(Path reportHtml, List<Path> written) {
        public RenderedReport {
            written = List.copyOf(written);
        }
    }

    /**
     * Renders {@code resultsDir} and returns the path of its {@code report.html}.
     *
     * @throws ResultsFormatException the directory is missing, has no summary.json, or a file is malformed
     * @throws IOException            a file cannot be written
     */
    public static RenderedReport render(Path resultsDir) throws IOException {
        // Charts are drawn off-screen; without this a machine with DISPLAY set would try to use it.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (!Files.exists(resultsDir)) {
            throw new ResultsFormatException(resultsDir + ": no such directory (run ./artcp bench netpipe first,"
                    + " or give the path of a results directory)");
        }
        if (!Files.isDirectory(resultsDir)) {
            throw new ResultsFormatException(resultsDir + ": not a directory (give a results directory such as"
                    + " results/netpipe/latest)");
        }
        Path summaryFile = resultsDir.resolve(SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw new ResultsFormatException(resultsDir + ": no " + SUMMARY
                    + ", so not a finished results directory (see docs/results-format.md)");
        }
        JsonNode root = readJson(summaryFile);
        JsonNode env = readOptionalJson(resultsDir.resolve(ENV));
        JsonNode config = readOptionalJson(resultsDir.resolve(CONFIG));
        String experiment = MysqlSummary.experiment(root);
        if (MysqlSummary.UPDATES.equals(experiment)) {
            return renderUpdates(resultsDir, MysqlSummary.updates(root, summaryFile.toString()), env, config);
        }
        if (MysqlSummary.READS.equals(experiment)) {
            return renderReads(resultsDir, MysqlSummary.reads(root, summaryFile.toString()), env, config);
        }
        if (FailoverSummary.FAILOVER.equals(experiment)) {
            return renderFailover(resultsDir, FailoverSummary.failover(root, summaryFile.toString()), env, config);
        }
        if (FailoverSummary.DETECTOR.equals(experiment)) {
            return renderDetector(resultsDir, FailoverSummary.detector(root, summaryFile.toString()), env, config);
        }
        NetpipeSummary summary = NetpipeSummary.fromJson(root, summaryFile.toString());
        summary = withHistogramPercentiles(resultsDir, summary);

        List<Path> written = new ArrayList<>();
        List<HtmlReport.Figure> figures = new ArrayList<>();
        List<Series> toolSeries = toolComparisonSeries(summary.series());
        figures.add(writeFigure(resultsDir, LATENCY_FIGURE, "One-way latency against message size",
                Fig6Charts.latency(toolSeries),
                "One-way latency (µs) against message size (bytes), both axes logarithmic.", written));
        figures.add(writeFigure(resultsDir, THROUGHPUT_FIGURE, "Throughput against message size",
                Fig6Charts.throughput(toolSeries),
                "Throughput (Mbps) against message size (bytes), both axes logarithmic.", written));

        List<HtmlReport.Figure> penaltyFigures = new ArrayList<>();
        for (CommunicationPenalty.ChartGroup g : CommunicationPenalty.chartGroups(summary.series())) {
            String setup = fileNamePart(g.linkRate()) + "-" + fileNamePart(g.delivery());
            String words = g.linkRate() + " link, " + g.delivery() + " delivery";
            penaltyFigures.add(writeFigure(resultsDir, LATENCY_FIGURE + "-" + setup,
                    "AR-TCP one-way latency, " + words, Fig6Charts.penaltyLatency(g),
                    "One-way latency (µs) against message size (bytes), " + words
                            + ": plain TCP and AR-TCP with each node count; both axes logarithmic.", written));
            penaltyFigures.add(writeFigure(resultsDir, THROUGHPUT_FIGURE + "-" + setup,
                    "AR-TCP throughput, " + words, Fig6Charts.penaltyThroughput(g),
                    "Throughput (Mbps) against message size (bytes), " + words
                            + "; message size logarithmic, throughput linear.", written));
            penaltyFigures.add(writeFigure(resultsDir, SMALL_LATENCY_FIGURE + "-" + setup,
                    "AR-TCP one-way latency up to 1 KiB, " + words, Fig6Charts.penaltySmallLatency(g),
                    "Close-up of messages up to 1 KiB, " + words + ": one-way latency (µs), linear from 0, "
                            + "where the added microseconds are read.", written));
        }

        String html = HtmlReport.render(new HtmlReport.Inputs(displayName(resultsDir), summary, env, config,
                publishedValues(), NetpipeComparison.toolComparisons(summary.series()),
                NetpipeComparison.penaltyComparisons(summary.series()), figures,
                CommunicationPenalty.byLink(summary.series()), penaltyFigures));
        Path report = resultsDir.resolve(REPORT);
        Files.writeString(report, html, StandardCharsets.UTF_8);
        written.add(report);
        return new RenderedReport(report, written);
    }

    /**
     * Paper Fig. 7: {@code fig7-<delivery>.{png,svg}} for each delivery with AR-TCP series (or one
     * {@code fig7-standalone} when there is none), {@code fig7-ratio.{png,svg}} when any ratio exists,
     * and the page.
     */
    private static RenderedReport renderUpdates(Path dir, MysqlSummary.Updates summary, JsonNode env, JsonNode config)
            throws IOException {
        List<Path> written = new ArrayList<>();
        List<HtmlReport.Figure> figures = new ArrayList<>();
        List<UpdateOverhead.OperationRows> operations = UpdateOverhead.byOperation(summary.series());
        List<String> deliveries = UpdateOverhead.ordered(summary.series()).stream()
                .filter(s -> !s.standalone()).map(MysqlSummary.UpdateSeries::delivery).distinct().toList();
        for (String delivery : deliveries.isEmpty() ? List.of(MysqlSummary.STANDALONE) : deliveries) {
            figures.add(writeFigure(dir, FIG7 + "-" + fileNamePart(delivery), "Update operations, " + delivery,
                    MysqlCharts.updateTimes(operations, delivery),
                    "Mean response time (µs, logarithmic) of each update operation: standalone and AR-TCP, "
                            + delivery + " delivery.", written));
        }
        boolean anyRatio = operations.stream().flatMap(o -> o.rows().stream()).anyMatch(r -> r.meanRatio() != null);
        if (anyRatio) {
            figures.add(writeFigure(dir, FIG7 + "-ratio", "Update operations: AR-TCP over standalone",
                    MysqlCharts.updateRatios(operations),
                    "Mean response time of each AR-TCP series over standalone's, per operation (targets: "
                            + "best-effort ≤ 1.3, safe ≤ 1.5).", written));
        }
        String html = MysqlReport.renderUpdates(new MysqlReport.UpdatesInputs(displayName(dir), summary, env, config,
                publishedValues(), operations, figures));
        return writePage(dir, html, written);
    }

    /** Paper Fig. 8: {@code fig8-<delivery>.{png,svg}} per delivery present (standalone alone: one), and the page. */
    private static RenderedReport renderReads(Path dir, MysqlSummary.Reads summary, JsonNode env, JsonNode config)
            throws IOException {
        List<Path> written = new ArrayList<>();
        List<HtmlReport.Figure> figures = new ArrayList<>();
        List<ReadScaling.Curve> curves = ReadScaling.curves(summary.series());
        JsonNode published = publishedValues();
        java.util.Map<Integer, Double> paper = MysqlReport.paperMsAt40(published);
        String paperDelivery = published.path("fig8_simultaneous_read_only").path("delivery").asText("safe");
        List<String> deliveries = curves.stream().filter(c -> !c.standalone()).map(ReadScaling.Curve::delivery)
                .distinct().toList();
        for (String delivery : deliveries.isEmpty() ? List.of(MysqlSummary.STANDALONE) : deliveries) {
            figures.add(writeFigure(dir, FIG8 + "-" + fileNamePart(delivery), "SELECT threads, " + delivery,
                    MysqlCharts.readTimes(curves, delivery, delivery.equals(paperDelivery) ? paper : java.util.Map.of()),
                    "Mean response time of one SELECT (ms) against the number of select threads, " + delivery
                            + (delivery.equals(MysqlSummary.STANDALONE) ? "." : " delivery."), written));
        }
        String html = MysqlReport.renderReads(new MysqlReport.ReadsInputs(displayName(dir), summary, env, config,
                published, curves, ReadScaling.speedUps(curves), figures));
        return writePage(dir, html, written);
    }

    /** Issue 6: {@code failover-stall-<delivery>.{png,svg}} per delivery present, and the page. */
    private static RenderedReport renderFailover(Path dir, FailoverSummary.Failover summary, JsonNode env,
                                                 JsonNode config) throws IOException {
        List<Path> written = new ArrayList<>();
        List<HtmlReport.Figure> figures = new ArrayList<>();
        for (String delivery : summary.deliveries()) {
            figures.add(writeFigure(dir, FAILOVER_STALL + "-" + fileNamePart(delivery),
                    "Client-observed stall, " + delivery, FailoverCharts.stallCdf(summary, delivery),
                    "Fraction of crashes whose stall was at most x ms, per app and crash kind, " + delivery
                            + " delivery; the target p99 ≤ " + Html.number(summary.stallTargetMs()) + " ms dashed. A stall that had "
                            + "not ended when the client stopped is drawn at its lower bound.",
                    written));
        }
        String html = FailoverReport.renderFailover(new FailoverReport.FailoverInputs(displayName(dir), summary, env,
                config, figures));
        return writePage(dir, html, written);
    }

    /** The failure detector: {@code detector-detection.{png,svg}} and the page. */
    private static RenderedReport renderDetector(Path dir, FailoverSummary.Detector summary, JsonNode env,
                                                 JsonNode config) throws IOException {
        List<Path> written = new ArrayList<>();
        List<HtmlReport.Figure> figures = List.of(writeFigure(dir, DETECTOR_FIGURE,
                "Detection time against the failure timeout", FailoverCharts.detection(summary.timeouts()),
                "Detection time (ms) after a kill, p50 and p99, against the failure timeout (ms).", written));
        String html = FailoverReport.renderDetector(new FailoverReport.DetectorInputs(displayName(dir), summary, env,
                config, figures));
        return writePage(dir, html, written);
    }

    private static RenderedReport writePage(Path dir, String html, List<Path> written) throws IOException {
        Path report = dir.resolve(REPORT);
        Files.writeString(report, html, StandardCharsets.UTF_8);
        written.add(report);
        return new RenderedReport(report, written);
    }

    /** The paper's published values, as copied into the project from ../shared/paper/. */
    public static JsonNode publishedValues() {
        try (InputStream in = ReportRenderer.class.getResourceAsStream(PUBLISHED_VALUES)) {
            if (in == null) {
                throw new IllegalStateException(PUBLISHED_VALUES + " is missing from the reports jar");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HtmlReport.Figure writeFigure(Path dir, String name, String title, Chart<?, ?> chart, String caption,
                                         List<Path> written) throws IOException {
        byte[] png = Fig6Charts.png(chart);
        byte[] svg = Fig6Charts.svg(chart);
        Path pngFile = dir.resolve(name + ".png");
        Path svgFile = dir.resolve(name + ".svg");
        Files.write(pngFile, png);
        Files.write(svgFile, svg);
        written.add(pngFile);
        written.add(svgFile);
        return new HtmlReport.Figure(name, title, png, caption);
    }

    /**
     * The series of the tool-comparison figures: plain TCP, where AR-TCP series have charts of
     * their own; every series when a run has no plain TCP, so the figures are never empty.
     */
    static List<Series> toolComparisonSeries(List<Series> series) {
        List<Series> plain = series.stream().filter(CommunicationPenalty::isPlainTcp).toList();
        return plain.isEmpty() ? series : plain;
    }

    /** A link rate or delivery as a file-name part: lower case, anything but letters and digits a hyphen. */
    static String fileNamePart(String value) {
        if (value == null || value.isBlank()) {
            return "unknown";
        }
        return value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** Fills RTT percentiles from a point's HdrHistogram log where summary.json left them out. */
    private static NetpipeSummary withHistogramPercentiles(Path dir, NetpipeSummary summary) {
        List<Series> series = new ArrayList<>();
        for (Series s : summary.series()) {
            List<Point> points = new ArrayList<>();
            for (Point p : s.points()) {
                if (p.histogram() != null && (p.rttP50Us() == null || p.rttP99Us() == null || p.rttMaxUs() == null)) {
                    Point original = p;
                    p = HistogramFiles.read(dir.resolve(p.histogram()))
                            .map(r -> original.withRtt(
                                    original.rttP50Us() != null ? original.rttP50Us() : r.p50Us(),
                                    original.rttP99Us() != null ? original.rttP99Us() : r.p99Us(),
                                    original.rttMaxUs() != null ? original.rttMaxUs() : r.maxUs()))
                            .orElse(p);
                }
                points.add(p);
            }
            series.add(s.withPoints(points));
        }
        return new NetpipeSummary(summary.experiment(), summary.started(), summary.finished(), series);
    }

    private static JsonNode readJson(Path file) throws ResultsFormatException {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // Jackson's message spans lines and quotes its source; keep the first clause and the place.
            String what = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            int paren = what.indexOf(" (");
            what = paren > 0 ? what.substring(0, paren) : what;
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ResultsFormatException(file + ": not valid JSON" + where + ": " + what, e);
        } catch (IOException e) {
            throw new ResultsFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static JsonNode readOptionalJson(Path file) throws ResultsFormatException {
        return Files.isRegularFile(file) ? readJson(file) : null;
    }

    /** The path as given, and where a link such as {@code latest} leads, the directory it names. */
    private static String displayName(Path dir) {
        try {
            Path real = dir.toRealPath();
            return real.getFileName() != null && !real.getFileName().equals(dir.getFileName())
                    ? dir + " → " + real.getFileName() : dir.toString();
        } catch (IOException e) {
            return dir.toString();
        }
    }
}
