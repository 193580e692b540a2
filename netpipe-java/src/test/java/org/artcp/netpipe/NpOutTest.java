package org.artcp.netpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpOutTest {

    @Test
    void netpipeMdExample() {
        // "1 byte in 12.01 us" is the rounded display: 0.635371 Mbps means t = 12.0078 us
        double t = 8 / (0.635371 * 1024 * 1024);
        assertEquals("       1 0.635371   0.00001201\n", NpOut.format(1, NpOut.mbps(1, t), t));
    }

    /** Lines written by Debian's NPtcp 3.7.2 on this kind of machine, and the values they came from. */
    @Test
    void linesNptcpWrote() {
        for (String line : List.of("       1 0.279731   0.00002727", "       8 2.232351   0.00002734",
                "       1 0.805823   0.00000947", "       8 18.224246   0.00000335", "      61 51.719778   0.00000900",
                "    1024 1074.863887   0.00000727", "    4099 9469.140614   0.00000330")) {
            NpOut.Point p = NpOut.parseLine(line);
            assertEquals(line + "\n", NpOut.format(p), "round trip of " + line);
        }
    }

    @Test
    void wideNumbersPushTheColumnsAsPrintfDoes() {
        assertEquals("123456789 1.000000 123.00000000\n", NpOut.format(123_456_789L, 1.0, 123.0));
    }

    @Test
    void roundsLikeGlibcNotLikeJavaFormatter() {
        // 0.125 is exact in binary: glibc rounds the tie to even, java.util.Formatter rounds it up
        assertEquals("0.12", NpOut.fixed(0.125, 2));
        assertEquals("2", NpOut.fixed(2.5, 0));
        // 1.0005 is 1.000499999… in binary: glibc prints 1.000
        assertEquals("1.000", NpOut.fixed(1.0005, 3));
        assertEquals("-0.000000", NpOut.fixed(-0.0, 6));
        assertEquals("inf", NpOut.fixed(Double.POSITIVE_INFINITY, 6));
    }

    @Test
    void netpipe24Line() {
        double t = 0.000012345678;
        assertEquals("0.000012 617.984330 64 8 0.000000\n", NpOut.format24(8, 617.98433, t, 1e-13));
        assertEquals(new NpOut.Point(8, 617.98433, 0.000012),
                NpOut.parseLine("0.000012 617.984330 64 8 0.000000"));
    }

    @Test
    void parsesAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("np.out");
        Files.writeString(f, "       1 0.635371   0.00001201\n       2 1.270742   0.00001201\n\n",
                StandardCharsets.US_ASCII);
        List<NpOut.Point> points = NpOut.parse(f);
        assertEquals(2, points.size());
        assertEquals(new NpOut.Point(2, 1.270742, 0.00001201), points.get(1));
    }
}
