package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The op record and its CSV file. */
class OpTest {
    @Test
    void opsSurviveTheirCsvFile(@TempDir Path dir) throws Exception {
        List<Op> ops = List.of(Op.ok(0, Op.APPEND, 1_700_000_000_000_000L, 1_700_000_000_000_321L),
                Op.failed(3, Op.COMMIT, 5, 9, "Communications link failure, \"the last packet\"\nwas sent 2 ms ago"),
                Op.failed(1, Op.READ, 7, 7, ""),
                Op.ok(4, Op.PING, 10, 12));
        Path file = dir.resolve("ops.csv");
        Op.writeCsv(file, ops);
        List<Op> back = Op.readCsv(file);
        assertEquals(ops.get(0), back.get(0));
        assertEquals("Communications link failure, \"the last packet\" was sent 2 ms ago", back.get(1).error());
        assertEquals("(no message)", back.get(2).error());
        assertEquals(ops.get(3), back.get(3));
        assertEquals(4, back.size());
        Path gz = dir.resolve("ops.csv.gz");
        Op.writeCsv(gz, ops);
        assertEquals(back, Op.readCsv(gz));
        assertEquals(0x1f, java.nio.file.Files.readAllBytes(gz)[0] & 0xff, "gzip's magic number");
    }

    @Test
    void completionsAreTheSuccessfulEndsOfEveryFileSorted(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv.gz");
        Op.writeCsv(a, List.of(Op.ok(0, Op.APPEND, 1, 30), Op.failed(1, Op.READ, 2, 25, "gone"), Op.ok(1, Op.READ, 2, 10)));
        Op.writeCsv(b, List.of(Op.ok(0, Op.PING, 5, 20), Op.ok(0, Op.PING, 20, 40)));
        assertEquals(List.of(10L, 20L, 30L, 40L), java.util.Arrays.stream(Op.completionsMicros(a, b)).boxed().toList());
    }

    @Test
    void nowIsInMicroseconds() {
        long now = Op.nowMicros();
        assertTrue(Math.abs(now / 1000 - System.currentTimeMillis()) < 60_000, "µs since the epoch: " + now);
    }

    @Test
    void badOpsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Op.ok(0, "write", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Op.ok(0, Op.READ, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Op(0, Op.READ, 1, 2, true, "but"));
        assertThrows(IllegalArgumentException.class, () -> Op.fromCsv("1,append,2"));
    }
}
