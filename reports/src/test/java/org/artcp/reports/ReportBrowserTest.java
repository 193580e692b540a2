package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opens a rendered report.html in real headless Chromium: every figure shows, nothing errs. */
@EnabledIfChromium
class ReportBrowserTest {
    /** Describes every image and inline SVG of the page; run after the load event. */
    private static final String FIGURE_CHECK = """
            (() => ({
              title: document.title,
              images: Array.from(document.images).map(i => ({
                alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
                shownWidth: i.getBoundingClientRect().width })),
              svgs: Array.from(document.querySelectorAll('svg')).map(s => {
                const r = s.getBoundingClientRect(); return { width: r.width, height: r.height }; }),
              rows: document.querySelectorAll('tbody tr').length,
              penalty: Array.from(document.querySelectorAll('table.penalty')).map(t => ({
                link: t.dataset.link, rows: t.tBodies[0].rows.length,
                shownHeight: t.getBoundingClientRect().height,
                met: t.querySelectorAll('td.ok').length, missed: t.querySelectorAll('td.miss').length })),
              penaltyFigures: Array.from(document.querySelectorAll('#penalty ~ figure img')).map(i => i.alt)
            }))()
            """;

    private static HeadlessChromium chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startChromium() throws Exception {
        chromium = HeadlessChromium.start(HeadlessChromium.find().orElseThrow(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    @Timeout(120)
    void everyFigureRendersAndThePageLogsNoError() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("20261126-170000"), NetpipeFixture.ALL, true);
        Path html = ReportRenderer.render(dir).reportHtml();
        {
            HeadlessChromium.PageResult page = chromium.open(html.toUri(), FIGURE_CHECK, Duration.ofSeconds(30));

            assertEquals(java.util.List.of(), page.errors(), "the page logged errors");
            JsonNode v = page.value();
            assertTrue(v.path("title").asText().startsWith("NetPIPE report"), v.toString());
            JsonNode images = v.path("images");
            assertEquals(2, images.size(), "figures: " + images);
            for (JsonNode img : images) {
                assertTrue(img.path("complete").asBoolean(), "not loaded: " + img);
                assertEquals(Fig6Charts.WIDTH, img.path("naturalWidth").asInt(), "not decoded: " + img);
                assertEquals(Fig6Charts.HEIGHT, img.path("naturalHeight").asInt(), "not decoded: " + img);
                assertTrue(img.path("shownWidth").asDouble() > 0, "not shown: " + img);
            }
            for (JsonNode svg : v.path("svgs")) {
                assertTrue(svg.path("width").asDouble() > 0 && svg.path("height").asDouble() > 0, "empty svg " + svg);
            }
            assertTrue(v.path("rows").asInt() > 4 * 124, "tables: " + v);
            for (String url : page.requestedUrls()) {
                assertTrue(url.equals(html.toUri().toString()) || url.startsWith("data:"), "page loaded " + url);
            }
        }
    }

    @Test
    @Timeout(120)
    void withArTcpSeriesThePageShowsThePenaltyTablesAndEveryChartLoads() throws Exception {
        Path dir = NetpipeFixture.write(tmp.resolve("20261126-180000"), NetpipeFixture.withArTcp(), true);
        Path html = ReportRenderer.render(dir).reportHtml();
        HeadlessChromium.PageResult page = chromium.open(html.toUri(), FIGURE_CHECK, Duration.ofSeconds(30));

        assertEquals(java.util.List.of(), page.errors(), "the page logged errors");
        JsonNode v = page.value();
        JsonNode images = v.path("images");
        assertEquals(2 + 3 * 3, images.size(), "figures: " + images);
        for (JsonNode img : images) {
            assertTrue(img.path("complete").asBoolean(), "not loaded: " + img);
            assertEquals(Fig6Charts.WIDTH, img.path("naturalWidth").asInt(), "not decoded: " + img);
            assertEquals(Fig6Charts.HEIGHT, img.path("naturalHeight").asInt(), "not decoded: " + img);
            assertTrue(img.path("shownWidth").asDouble() > 0, "not shown: " + img);
        }
        JsonNode penalty = v.path("penalty");
        assertEquals(2, penalty.size(), "penalty tables: " + penalty);
        JsonNode unshaped = penalty.get(0);
        assertEquals("unshaped", unshaped.path("link").asText());
        assertEquals(4, unshaped.path("rows").asInt(), "best-effort 2, 3, 4 and safe 2: " + unshaped);
        // The fixture: best-effort 2 nodes add 18 µs (met), safe 2 nodes 45 µs (missed).
        assertTrue(unshaped.path("met").asInt() >= 1 && unshaped.path("missed").asInt() >= 1, unshaped.toString());
        JsonNode hundred = penalty.get(1);
        assertEquals("100mbit", hundred.path("link").asText());
        assertEquals(2, hundred.path("rows").asInt(), hundred.toString());
        for (JsonNode t : penalty) {
            assertTrue(t.path("shownHeight").asDouble() > 0, "table not shown: " + t);
        }
        assertTrue(v.path("penaltyFigures").toString().contains("AR-TCP one-way latency up to 1 KiB, 100mbit link"),
                v.path("penaltyFigures").toString());
        for (String url : page.requestedUrls()) {
            assertTrue(url.equals(html.toUri().toString()) || url.startsWith("data:"), "page loaded " + url);
        }
    }

    /** The check above would see a figure that does not decode and an error the page logs. */
    @Test
    @Timeout(60)
    void theCheckSeesABrokenFigureAndAConsoleError() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.html"), """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>
                <img alt="broken" src="data:image/png;base64,AAAA">
                <script>console.error("figure missing"); null.x;</script>
                </body></html>
                """);
        HeadlessChromium.PageResult page = chromium.open(bad.toUri(), FIGURE_CHECK, Duration.ofSeconds(30));
        String errors = String.join("\n", page.errors());
        assertTrue(errors.contains("figure missing"), errors);
        assertTrue(errors.contains("exception:"), errors);
        assertEquals(0, page.value().path("images").get(0).path("naturalWidth").asInt(), page.value().toString());
    }
}
