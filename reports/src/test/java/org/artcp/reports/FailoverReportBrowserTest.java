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

/** The failover and failure-detector pages in real headless Chromium: every figure decodes, the tables show. */
@EnabledIfChromium
class FailoverReportBrowserTest {
    private static final String CHECK = """
            (() => ({
              title: document.title,
              images: Array.from(document.images).map(i => ({
                alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
                shownWidth: i.getBoundingClientRect().width })),
              failoverRows: Array.from(document.querySelectorAll('table.failover tbody tr')).map(r => r.dataset.series),
              crashRows: document.querySelectorAll('table.crashes tbody tr').length,
              detectorRows: Array.from(document.querySelectorAll('table.detector tbody tr')).map(r => r.dataset.timeout),
              tablesShown: Array.from(document.querySelectorAll('table')).every(t => t.getBoundingClientRect().height > 0),
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
    void theFailoverPageShowsTheSeriesTheCrashesAndTheCharts() throws Exception {
        Path html = ReportRenderer.render(FailoverFixture.failover(tmp.resolve("20261127-003000"))).reportHtml();
        HeadlessChromium.PageResult page = chromium.open(html.toUri(), CHECK, Duration.ofSeconds(30));
        assertEquals(List.of(), page.errors(), "the page logged errors");
        JsonNode v = page.value();
        assertTrue(v.path("title").asText().startsWith("Failover report"), v.toString());
        assertImagesDecoded(v.path("images"), 2);
        assertEquals("[\"mysql-primary-be\",\"mysql-backup-safe\",\"netpipe-aggregator-be\"]",
                v.path("failoverRows").toString());
        assertEquals(8, v.path("crashRows").asInt(), v.toString());
        assertTrue(v.path("tablesShown").asBoolean(), v.toString());
        assertEquals(4, v.path("met").asInt(), v.toString());
        assertEquals(2, v.path("missed").asInt(), v.toString());
        assertOnlyLocal(page, html);
    }

    @Test
    @Timeout(120)
    void theDetectorPageShowsEveryTimeoutAndItsChart() throws Exception {
        Path html = ReportRenderer.render(FailoverFixture.detector(tmp.resolve("20261127-001000"))).reportHtml();
        HeadlessChromium.PageResult page = chromium.open(html.toUri(), CHECK, Duration.ofSeconds(30));
        assertEquals(List.of(), page.errors(), "the page logged errors");
        JsonNode v = page.value();
        assertTrue(v.path("title").asText().startsWith("Failure detector report"), v.toString());
        assertImagesDecoded(v.path("images"), 1);
        assertEquals("[\"50\",\"100\",\"250\"]", v.path("detectorRows").toString());
        assertOnlyLocal(page, html);
    }

    private static void assertImagesDecoded(JsonNode images, int expected) {
        assertEquals(expected, images.size(), "figures: " + images);
        for (JsonNode img : images) {
            assertTrue(img.path("complete").asBoolean(), "not loaded: " + img);
            assertEquals(FailoverCharts.WIDTH, img.path("naturalWidth").asInt(), "not decoded: " + img);
            assertEquals(FailoverCharts.HEIGHT, img.path("naturalHeight").asInt(), "not decoded: " + img);
            assertTrue(img.path("shownWidth").asDouble() > 0, "not shown: " + img);
        }
    }

    private static void assertOnlyLocal(HeadlessChromium.PageResult page, Path html) {
        for (String url : page.requestedUrls()) {
            assertTrue(url.equals(html.toUri().toString()) || url.startsWith("data:"), "page loaded " + url);
        }
    }
}
