package org.artcp.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.artcp.reports.NetpipeSummary.Point;
import org.artcp.reports.NetpipeSummary.Series;
import org.junit.jupiter.api.Test;

class NetpipeSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The example of docs/results-format.md, plus an NPtcp series without histograms. */
    private static final String EXAMPLE = """
            {
              "experiment": "netpipe",
              "started": "2026-11-26T17:00:00Z",
              "finished": "2026-11-26T17:20:00Z",
              "series": [
                {
                  "id": "plain-java-unshaped", "label": "plain TCP, netpipe-java", "tool": "netpipe-java",
                  "transport": "plain-tcp", "nodes": 0, "delivery": null, "linkRate": "unshaped",
                  "command": "./artcp netpipe send -h 198.18.0.1 -o x",
                  "points": [
                    {"bytes": 1, "mbps": 0.635371, "oneWaySeconds": 0.00001201,
                     "rttP50Us": 24.1, "rttP99Us": 40.2, "rttMaxUs": 80.0,
                     "histogram": "plain-java-unshaped/histograms/1.hlog"}
                  ]
                },
                {
                  "id": "plain-nptcp-unshaped", "tool": "NPtcp", "transport": "plain-tcp", "linkRate": "unshaped",
                  "points": [
                    {"bytes": 2, "mbps": 1.2, "oneWaySeconds": 0.0000125,
                     "rttP50Us": null, "rttP99Us": null, "rttMaxUs": null, "histogram": null}
                  ]
                }
              ]
            }
            """;

    @Test
    void readsTheDocumentedFormat() throws Exception {
        NetpipeSummary s = NetpipeSummary.fromJson(JSON.readTree(EXAMPLE), "summary.json");
        assertEquals("netpipe", s.experiment());
        assertEquals("2026-11-26T17:20:00Z", s.finished());
        assertEquals(2, s.series().size());
        Series java = s.series().get(0);
        assertEquals("plain-java-unshaped", java.id());
        assertEquals("plain TCP, netpipe-java", java.displayName());
        assertNull(java.delivery());
        Point p = java.points().get(0);
        assertEquals(1, p.bytes());
        assertEquals(12.01, p.oneWayUs(), 1e-9);
        assertEquals(40.2, p.rttP99Us());
        assertEquals("plain-java-unshaped/histograms/1.hlog", p.histogram());
        Series c = s.series().get(1);
        assertEquals("plain-nptcp-unshaped", c.displayName());
        assertEquals(0, c.nodes());
        assertNull(c.points().get(0).rttP50Us());
        assertNull(c.points().get(0).histogram());
    }

    @Test
    void missingOrMalformedFieldsNameTheFileAndThePlace() throws Exception {
        ResultsFormatException noSeries = assertThrows(ResultsFormatException.class,
                () -> NetpipeSummary.fromJson(JSON.readTree("{\"experiment\":\"netpipe\"}"), "x/summary.json"));
        assertTrue(noSeries.getMessage().startsWith("x/summary.json: no \"series\" array"), noSeries.getMessage());

        ResultsFormatException badBytes = assertThrows(ResultsFormatException.class, () -> NetpipeSummary.fromJson(
                JSON.readTree("{\"series\":[{\"id\":\"a\",\"points\":[{\"bytes\":\"one\",\"mbps\":1,\"oneWaySeconds\":1}]}]}"),
                "s.json"));
        assertEquals("s.json: series[0] (a): points[0]: \"bytes\" must be an integer", badBytes.getMessage());

        ResultsFormatException noId = assertThrows(ResultsFormatException.class,
                () -> NetpipeSummary.fromJson(JSON.readTree("{\"series\":[{\"points\":[]}]}"), "s.json"));
        assertEquals("s.json: series[0]: no \"id\"", noId.getMessage());

        assertThrows(ResultsFormatException.class, () -> NetpipeSummary.fromJson(JSON.readTree("[]"), "s.json"));
    }
}
