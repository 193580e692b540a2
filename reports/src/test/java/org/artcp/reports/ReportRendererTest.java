package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.artcp.reports.NetpipeComparison.ToolComparison;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportRendererTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path tmp;

    @Test
    void writesBothFiguresAsPngAndSvgAndTheReport() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("20261126-170000"), NetpipeFixture.ALL, true);
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);

        assertEquals(dir.resolve("report.html"), r.reportHtml());
        assertEquals(List.of("fig6-latency.png", "fig6-latency.svg", "fig6-throughput.png", "fig6-throughput.svg",
                "report.html"), r.written().stream().map(p -> p.getFileName().toString()).toList());
        for (String name : List.of("fig6-latency", "fig6-throughput")) {
            byte[] png = Files.readAllBytes(dir.resolve(name + ".png"));
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), name + ".png is not a PNG");
            assertTrue(png.length > 10_000, name + ".png is suspiciously small: " + png.length);
            Document svg = parseXml(dir.resolve(name + ".svg"));
            assertEquals("svg", svg.getDocumentElement().getLocalName() != null
                    ? svg.getDocumentElement().getLocalName() : svg.getDocumentElement().getTagName());
        }
    }

    @Test
    void theReportHoldsEverySeriesItsNumbersTheComparisonTheEnvironmentAndThePaper() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), NetpipeFixture.ALL, true);
        String html = Files.readString(ReportRenderer.render(dir).reportHtml(), StandardCharsets.UTF_8);
        NetpipeSummary summary = NetpipeSummary.fromJson(NetpipeFixture.JSON.readTree(dir.resolve("summary.json")
                .toFile()), "summary.json");

        for (Series s : summary.series()) {
            assertTrue(html.contains("<code>" + s.id() + "</code>"), s.id());
            assertTrue(html.contains(Html.escape(s.command())), s.command());
            String rows = tableOf(html, s.id());
            for (Point p : s.points()) {
                String row = "<tr><td class=\"num\">" + p.bytes() + "</td><td class=\"num\">" + Html.number(p.mbps())
                        + "</td><td class=\"num\">" + Html.number(p.oneWayUs()) + "</td><td class=\"num\">"
                        + Html.number(p.rttP50Us()) + "</td><td class=\"num\">" + Html.number(p.rttP99Us())
                        + "</td><td class=\"num\">" + Html.number(p.rttMaxUs()) + "</td></tr>";
                assertTrue(rows.contains(row), s.id() + ": no row " + row);
            }
        }
        // NPtcp keeps no histograms: its percentiles are "—"; netpipe-java's 1-byte row has numbers.
        assertTrue(tableOf(html, "plain-nptcp-unshaped").contains(
                "<td class=\"num\">—</td><td class=\"num\">—</td><td class=\"num\">—</td></tr>"));
        assertFalse(tableOf(html, "plain-java-unshaped").split("</tr>")[1].contains("—"));
        // The unshaped 1-byte latency of the NPtcp model, as NetPIPE would print it.
        assertTrue(tableOf(html, "plain-nptcp-unshaped").contains("<td class=\"num\">12.01</td>"));

        List<ToolComparison> cs = NetpipeComparison.toolComparisons(summary.series());
        assertEquals(2, cs.size());
        for (ToolComparison c : cs) {
            String expected = Html.escape(Html.ratio(c.latency().median().orElseThrow())) + " (" + c.latency().sizes()
                    + ")";
            assertTrue(html.contains(expected), "latency ratio " + expected);
            assertTrue(html.contains(Html.escape(Html.ratio(c.throughput().median().orElseThrow()))));
        }

        assertTrue(html.contains("AMD EPYC 7B13"));
        assertTrue(html.contains("Linux 6.1.0-28-amd64"));
        assertTrue(html.contains("b39abf2c0ffee"));
        assertTrue(html.contains("series[1].transmitter"));
        assertTrue(html.contains("latency of a two-node cluster increases about 15% more than the standard TCP"));
        assertTrue(html.contains("1.15×"));
        assertTrue(html.contains("no AR-TCP series in this run"));

        assertTrue(html.contains(Html.escape(NetpipeFixture.ESCAPE_PROBE)));
        assertFalse(html.contains(NetpipeFixture.ESCAPE_PROBE), "unescaped text in the page");
    }

    @Test
    void thePageLoadsNothingFromOutside() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), NetpipeFixture.withArTcp(), true);
        String html = Files.readString(ReportRenderer.render(dir).reportHtml());
        Matcher m = Pattern.compile("\\s(src|href)=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            String url = m.group(2);
            if (m.group(1).equals("src")) {
                assertTrue(url.startsWith("data:image/png;base64,"), "not embedded: " + url);
                images++;
            } else {
                // Links only: to a section of the page or to the figure files beside it.
                assertTrue(url.matches("#[\\w-]+|fig6-(latency|throughput)[a-z0-9-]*\\.(png|svg)"), "link to " + url);
            }
        }
        // The two tool-comparison figures and three per link and delivery with AR-TCP series.
        assertEquals(2 + 3 * 3, images);
        assertFalse(html.contains("url("), "CSS must not load resources");
        assertFalse(html.contains("@import"));
    }

    @Test
    void percentilesMissingFromTheSummaryComeFromTheHistograms() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), List.of(NetpipeFixture.JAVA_UNSHAPED), false);
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        h.recordValue(20_000);
        h.recordValue(30_000);
        h.recordValue(900_000);
        NetpipeFixture.writeHlog(dir.resolve("plain-java-unshaped/histograms/1.hlog"), h);
        String html = Files.readString(ReportRenderer.render(dir).reportHtml());
        assertTrue(html.contains("<td class=\"num\">" + Html.number(h.getValueAtPercentile(50) / 1000.0)
                + "</td><td class=\"num\">" + Html.number(h.getValueAtPercentile(99) / 1000.0)
                + "</td><td class=\"num\">" + Html.number(h.getMaxValue() / 1000.0) + "</td></tr>"));
        // Sizes above 1 MiB have no histogram in the fixture.
        assertTrue(html.contains("<tr><td class=\"num\">8388611</td>"));
    }

    @Test
    void anArTcpSeriesFillsOurColumnOfThePapersClaim() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), NetpipeFixture.ALL, true);
        ObjectNode summary = (ObjectNode) NetpipeFixture.JSON.readTree(
                dir.resolve("summary.json").toFile());
        ArrayNode series = (ArrayNode) summary.get("series");
        ObjectNode ar = series.get(0).deepCopy();
        assertEquals("plain-nptcp-unshaped", ar.get("id").asText());
        ar.put("id", "artcp2-be-nptcp-unshaped")
                .put("label", "AR-TCP 2 nodes, best-effort, NPtcp").put("transport", "ar-tcp").put("nodes", 2)
                .put("delivery", "best-effort");
        for (JsonNode p : ar.get("points")) {
            ObjectNode point = (ObjectNode) p;
            point.put("oneWaySeconds", point.get("oneWaySeconds").asDouble() * 1.15);
            point.put("mbps", point.get("mbps").asDouble() / 1.15);
        }
        series.add(ar);
        NetpipeFixture.JSON.writeValue(dir.resolve("summary.json").toFile(), summary);

        String html = Files.readString(ReportRenderer.render(dir).reportHtml());
        assertTrue(html.contains("2 nodes, best-effort, NPtcp, unshaped: 1.150 (+15.0%) (45) "
                + "<code>artcp2-be-nptcp-unshaped</code> / <code>plain-nptcp-unshaped</code>"), "ours");
        assertFalse(html.contains("no AR-TCP series in this run"));
        assertTrue(html.contains("<code class=\"id\">artcp2-be-nptcp-unshaped</code>"));
    }

    @Test
    void eachLinkAndDeliveryWithArTcpSeriesGetsItsLatencyThroughputAndCloseUpCharts() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), NetpipeFixture.withArTcp(), true);
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);
        List<String> names = r.written().stream().map(p -> p.getFileName().toString()).toList();
        List<String> expected = new java.util.ArrayList<>(List.of("fig6-latency.png", "fig6-latency.svg",
                "fig6-throughput.png", "fig6-throughput.svg"));
        for (String setup : List.of("unshaped-best-effort", "unshaped-safe", "100mbit-best-effort")) {
            for (String stem : List.of("fig6-latency-", "fig6-throughput-", "fig6-latency-small-")) {
                expected.add(stem + setup + ".png");
                expected.add(stem + setup + ".svg");
            }
        }
        expected.add("report.html");
        assertEquals(expected, names);
        String html = Files.readString(r.reportHtml());
        for (String name : expected) {
            if (name.endsWith(".png")) {
                byte[] png = Files.readAllBytes(dir.resolve(name));
                assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), name + " is not a PNG");
                String stem = name.substring(0, name.length() - 4);
                assertTrue(html.contains("<figure id=\"" + stem + "\">"), "not in the page: " + stem);
                assertTrue(html.contains("<a href=\"" + name + "\">"), "not listed: " + name);
            } else if (name.endsWith(".svg")) {
                parseXml(dir.resolve(name));
                assertTrue(html.contains("<a href=\"" + name + "\">"), "not listed: " + name);
            }
        }
        assertFalse(names.contains("fig6-latency-100mbit-safe.png"), "no safe series at 100 Mbit/s");
        // The penalty figures sit in the Fig. 6 section, before the tool-comparison figures.
        assertTrue(html.indexOf("<figure id=\"fig6-latency-unshaped-best-effort\">") > html.indexOf("id=\"penalty\""));
        assertTrue(html.indexOf("<figure id=\"fig6-latency-unshaped-best-effort\">") < html.indexOf("id=\"figures\""));
    }

    @Test
    void onlyTwoNodesBestEffortGiveOneRowAndOneSetOfCharts() throws Exception {
        List<NetpipeFixture.Model> models = new java.util.ArrayList<>(NetpipeFixture.ALL);
        models.add(NetpipeFixture.AR2_BE_UNSHAPED);
        Path dir = NetpipeFixture.write(tmp.resolve("run"), models, true);
        ReportRenderer.RenderedReport r = ReportRenderer.render(dir);
        List<String> names = r.written().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(4 + 6 + 1, names.size(), names.toString());
        assertTrue(names.contains("fig6-latency-small-unshaped-best-effort.png"));
        String html = Files.readString(r.reportHtml());
        String table = penaltyTable(html, "unshaped");
        assertEquals(1, table.split("<tr data-nodes=").length - 1, table);
        assertTrue(table.contains("<tr data-nodes=\"2\" data-delivery=\"best-effort\">"));
        assertFalse(html.contains("data-link=\"100mbit\""), "no AR-TCP series at 100 Mbit/s: no table");
        assertTrue(html.contains("no AR-TCP series with 3 or 4 nodes in this run"));
    }

    @Test
    void thePenaltyTableShowsTheNumbersAndWhichTargetsAreMetOrMissed() throws Exception {
        // Plain TCP 10 µs / 60 µs one-way below 1 KiB; 1000 / 90 Mbps from 64 KiB.
        Path dir = NetpipeFixture.writeSummary(tmp.resolve("run"), List.of(
                handMade("plain-nptcp-unshaped", "plain-tcp", 0, null, "unshaped", 10, 1000),
                handMade("artcp2-be-nptcp-unshaped", "ar-tcp", 2, "best-effort", "unshaped", 30, 800),
                handMade("artcp4-be-nptcp-unshaped", "ar-tcp", 4, "best-effort", "unshaped", 33, 700),
                handMade("plain-nptcp-100mbit", "plain-tcp", 0, null, "100mbit", 60, 90),
                handMade("artcp2-be-nptcp-100mbit", "ar-tcp", 2, "best-effort", "100mbit", 100, 81),
                handMade("artcp4-be-nptcp-100mbit", "ar-tcp", 4, "best-effort", "100mbit", 120, 72),
                handMade("artcp2-safe-nptcp-100mbit", "ar-tcp", 2, "safe", "100mbit", 85, 90)));
        String html = Files.readString(ReportRenderer.render(dir).reportHtml());

        String unshaped = penaltyTable(html, "unshaped");
        assertTrue(unshaped.contains("<tr data-nodes=\"2\" data-delivery=\"best-effort\"><td class=\"num\">2</td>"
                + "<td>best-effort</td><td><code class=\"id\">artcp2-be-nptcp-unshaped</code></td>"
                + "<td class=\"num\">+20 µs (2)</td><td class=\"num\">3.000 (+200.0%) (2)</td>"
                + "<td class=\"num\">1 (itself)</td><td class=\"num\">80.0% (2)</td>"
                + "<td class=\"ok\">met</td><td class=\"na\">n/a: the target is for 4 nodes</td>"
                + "<td class=\"na\">n/a: the target applies to 100 Mbit/s links</td></tr>"), unshaped);
        // 33 / 30 = 1.1: within 10% of 2 nodes.
        assertTrue(unshaped.contains("<td class=\"num\">1.100 (+10.0%) (2)</td><td class=\"num\">70.0% (2)</td>"
                + "<td class=\"na\">n/a: the target is for 2 nodes</td><td class=\"ok\">met</td>"), unshaped);

        String hundred = penaltyTable(html, "100mbit");
        // 2 nodes: +40 µs (missed), 81 / 90 = 90% (met).
        assertTrue(hundred.contains("<td class=\"num\">+40 µs (2)</td><td class=\"num\">1.667 (+66.7%) (2)</td>"
                + "<td class=\"num\">1 (itself)</td><td class=\"num\">90.0% (2)</td>"
                + "<td class=\"miss\">missed</td><td class=\"na\">n/a: the target is for 4 nodes</td>"
                + "<td class=\"ok\">met</td></tr>"), hundred);
        // 4 nodes: 120 / 100 = 1.2 (missed), 72 / 90 = 80% (missed).
        assertTrue(hundred.contains("<td class=\"num\">1.200 (+20.0%) (2)</td><td class=\"num\">80.0% (2)</td>"
                + "<td class=\"na\">n/a: the target is for 2 nodes</td><td class=\"miss\">missed</td>"
                + "<td class=\"miss\">missed</td></tr>"), hundred);
        // Safe, 2 nodes: +25 µs (met), 100% (met); best-effort rows come first.
        assertTrue(hundred.contains("<tr data-nodes=\"2\" data-delivery=\"safe\">"));
        assertTrue(hundred.indexOf("data-delivery=\"safe\"") > hundred.indexOf("data-nodes=\"4\""));
        assertTrue(hundred.contains("<td class=\"num\">+25 µs (2)</td><td class=\"num\">1.417 (+41.7%) (2)</td>"
                + "<td class=\"num\">1 (itself)</td><td class=\"num\">100.0% (2)</td><td class=\"ok\">met</td>"),
                hundred);

        // The paper beside ours: 1.15× against our 2-node best-effort ratios, and the N / 2 ratios.
        int beside = html.indexOf("<table class=\"paper-beside-ours\">");
        String paper = html.substring(beside, html.indexOf("</table>", beside));
        assertTrue(paper.contains("1.15×"), paper);
        assertTrue(paper.contains("<div>unshaped: 3.000 (+200.0%) (2), +20 µs (2)</div>"), paper);
        assertTrue(paper.contains("<div>100mbit: 1.667 (+66.7%) (2), +40 µs (2)</div>"), paper);
        assertTrue(paper.contains("<div>unshaped, best-effort, 4 / 2 nodes: 1.100 (+10.0%) (2)</div>"), paper);
        assertTrue(paper.contains("does not increase significantly"), paper);
        assertFalse(paper.contains("safe, 4"), "the paper's setting is best-effort");
    }

    @Test
    void withoutArTcpSeriesThePenaltySectionSaysSo() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), NetpipeFixture.ALL, true);
        String html = Files.readString(ReportRenderer.render(dir).reportHtml());
        assertTrue(html.contains("<h2 id=\"penalty\">Fig. 6: the communication penalty</h2>"));
        assertTrue(html.contains("No AR-TCP series in this run"));
        assertFalse(html.contains("<table class=\"penalty\""));
    }

    /** Points at 1 and 1024 bytes (latency window) and 64 and 128 KiB (throughput window). */
    private static Series handMade(String id, String transport, int nodes, String delivery, String link,
                                   double smallOneWayUs, double largeMbps) {
        List<Point> points = new java.util.ArrayList<>();
        for (long b : new long[] {1, 1024, 65_536, 131_072}) {
            boolean small = b <= 1024;
            double oneWaySeconds = small ? smallOneWayUs / 1e6 : b * 8.0 / (largeMbps * 1048576);
            points.add(new Point(b, small ? 0.5 : largeMbps, oneWaySeconds, null, null, null, null));
        }
        return new Series(id, id, "NPtcp", transport, nodes, delivery, link, "NPtcp -h x", "NPtcp", points);
    }

    /** The penalty table of one link. */
    static String penaltyTable(String html, String link) {
        int start = html.indexOf("<table class=\"penalty\" data-link=\"" + link + "\">");
        assertTrue(start >= 0, "no penalty table for " + link);
        return html.substring(start, html.indexOf("</table>", start));
    }

    @Test
    void missingOptionalFilesAndAMissingPartnerRenderAsDashes() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("run"), List.of(NetpipeFixture.NPTCP_100), true);
        Files.delete(dir.resolve("env.json"));
        Files.delete(dir.resolve("config.json"));
        String html = Files.readString(ReportRenderer.render(dir).reportHtml());
        assertTrue(html.contains("env.json is missing"));
        assertTrue(html.contains("config.json is missing"));
        assertTrue(html.contains("No link has both an NPtcp and a netpipe-java series"));
    }

    @Test
    void aDirectoryWithoutSummaryJsonIsRefusedWithAClearMessage() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> ReportRenderer.render(empty));
        assertEquals(empty + ": no summary.json, so not a finished results directory "
                + "(see docs/results-format.md)", e.getMessage());

        Path missing = tmp.resolve("nope");
        e = assertThrows(ResultsFormatException.class, () -> ReportRenderer.render(missing));
        assertTrue(e.getMessage().startsWith(missing + ": no such directory"), e.getMessage());

        Path file = Files.writeString(tmp.resolve("file"), "x");
        e = assertThrows(ResultsFormatException.class, () -> ReportRenderer.render(file));
        assertTrue(e.getMessage().startsWith(file + ": not a directory"), e.getMessage());

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("summary.json"), "{\"series\": [");
        e = assertThrows(ResultsFormatException.class, () -> ReportRenderer.render(broken));
        assertEquals(broken.resolve("summary.json") + ": not valid JSON at line 1, column 13: Unexpected "
                + "end-of-input: expected close marker for Array", e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(Files.exists(broken.resolve("report.html")));
    }

    @Test
    void thePublishedValuesAreTheSharedFile() {
        var fig6 = ReportRenderer.publishedValues().get("fig6_communication_penalty");
        assertEquals("best-effort", fig6.get("delivery").asText());
        assertEquals(1.15, fig6.get("claims").get(0).get("value").asDouble());
    }

    /** The {@code <details>} table of one series. */
    static String tableOf(String html, String seriesId) {
        int start = html.indexOf("<details id=\"numbers-" + seriesId + "\">");
        assertTrue(start >= 0, "no table for " + seriesId);
        return html.substring(start, html.indexOf("</details>", start));
    }

    static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // The SVG names the W3C DTD; the test must not fetch it (and has no network).
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        return f.newDocumentBuilder().parse(file.toFile());
    }
}
