package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Fig. 7 and Fig. 8 pages in real headless Chromium: every figure decodes, the tables show, nothing errs. */
@EnabledIfChromium
class MysqlReportBrowserTest {
    private static final String CHECK = """
            (() => ({
              title: document.title,
              images: Array.from(document.images).map(i => ({
                alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
                shownWidth: i.getBoundingClientRect().width })),
              fig7: Array.from(document.querySelectorAll('table.fig7')).map(t => ({
                operation: t.dataset.operation, rows: t.tBodies[0].rows.length,
                shownHeight: t.getBoundingClientRect().height })),
              fig8Rows: Array.from(document.querySelectorAll('table.fig8 tbody tr')).length,
              speedUpRows: Array.from(document.querySelectorAll('table.speedup tbody tr')).length,
              met: document.querySelectorAll('td.ok').length,
              missed: document.querySelectorAll('td.miss').length
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
    void theUpdatesPageShowsEveryOperationAndItsCharts() throws Exception {
        Path html = ReportRenderer.render(MysqlFixture.updates(tmp.resolve("20261126-220000"), true)).reportHtml();
        HeadlessChromium.PageResult page = chromium.open(html.toUri(), CHECK, Duration.ofSeconds(30));
        assertEquals(List.of(), page.errors(), "the page logged errors");
        JsonNode v = page.value();
        assertTrue(v.path("title").asText().startsWith("MySQL update operations report"), v.toString());
        assertImagesDecoded(v.path("images"), 3);
        assertEquals(5, v.path("fig7").size(), v.toString());
        for (JsonNode t : v.path("fig7")) {
            assertEquals(3, t.path("rows").asInt(), t.toString());
            assertTrue(t.path("shownHeight").asDouble() > 0, t.toString());
        }
        assertEquals(2, v.path("missed").asInt(), v.toString());
        assertOnlyLocal(page, html);
    }

    @Test
    @Timeout(120)
    void theReadsPageShowsTheCurvesAndTheSpeedUps() throws Exception {
        Path html = ReportRenderer.render(MysqlFixture.reads(tmp.resolve("20261126-222000"))).reportHtml();
        HeadlessChromium.PageResult page = chromium.open(html.toUri(), CHECK, Duration.ofSeconds(30));
        assertEquals(List.of(), page.errors(), "the page logged errors");
        JsonNode v = page.value();
        assertTrue(v.path("title").asText().startsWith("MySQL SELECT threads report"), v.toString());
        assertImagesDecoded(v.path("images"), 1);
        assertEquals(3, v.path("fig8Rows").asInt(), v.toString());
        assertEquals(2, v.path("speedUpRows").asInt(), v.toString());
        assertEquals(1, v.path("met").asInt(), v.toString());
        assertEquals(1, v.path("missed").asInt(), v.toString());
        assertOnlyLocal(page, html);
    }

    private static void assertImagesDecoded(JsonNode images, int expected) {
        assertEquals(expected, images.size(), "figures: " + images);
        for (JsonNode img : images) {
            assertTrue(img.path("complete").asBoolean(), "not loaded: " + img);
            assertEquals(MysqlCharts.WIDTH, img.path("naturalWidth").asInt(), "not decoded: " + img);
            assertEquals(MysqlCharts.HEIGHT, img.path("naturalHeight").asInt(), "not decoded: " + img);
            assertTrue(img.path("shownWidth").asDouble() > 0, "not shown: " + img);
        }
    }

    private static void assertOnlyLocal(HeadlessChromium.PageResult page, Path html) {
        for (String url : page.requestedUrls()) {
            assertTrue(url.equals(html.toUri().toString()) || url.startsWith("data:"), "page loaded " + url);
        }
    }
}
