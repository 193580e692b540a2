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
        Path dir = NetpipeFixture.write(tmp.resolve("run"), NetpipeFixture.ALL, true);
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
                assertTrue(url.matches("#[\\w-]+|fig6-(latency|throughput)\\.(png|svg)"), "link to " + url);
            }
        }
        assertEquals(2, images);
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
        assertEquals(empty + ": no summary.json, so not a finished netpipe results directory "
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
