package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The worker's arguments, the pure parts of the workloads and the latency bookkeeping, without a server. */
class WorkerOptionsTest {
    @Test
    void optionsGiveTheTargetAndDefaults() {
        Worker.Options o = Worker.Options.parse(new String[] {"reads", "--host", "198.18.0.10", "--port", "3306",
                "--threads", "20", "--server-prep-stmts", "--out", "/tmp/x"});
        Target t = o.target();
        assertEquals("198.18.0.10", t.host());
        assertEquals("artcp", t.database());
        assertTrue(t.serverPreparedStatements());
        assertTrue(t.jdbcUrl().contains("useServerPrepStmts=true"));
        assertTrue(t.jdbcUrl().contains("sslMode=DISABLED"));
        assertEquals(20, o.integer("threads", 10));
        assertEquals(1000, o.integer("loops", 1000));
        assertFalse(o.flag("wait-for-go"));
    }

    @Test
    void badArgumentsAreRefusedWithExitStatusTwo() {
        assertThrows(IllegalArgumentException.class, () -> Worker.Options.parse(new String[] {"deletes"}));
        assertThrows(IllegalArgumentException.class, () -> Worker.Options.parse(new String[] {"updates", "--host", "h"}));
        assertThrows(IllegalArgumentException.class,
                () -> Worker.Options.parse(new String[] {"updates", "--host", "h", "--port", "1", "--bogus", "1", "--out", "d"}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Worker.run(new String[] {"updates", "--host", "h", "--port", "1", "--repetitions", "0", "--out",
                System.getProperty("java.io.tmpdir")}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        assertEquals(2, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--repetitions 0"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySelectReadsAFullWindowOfTheTable() {
        for (int client = 0; client < 2; client++) {
            for (int thread = 0; thread < 20; thread++) {
                for (int loop = -50; loop < 1000; loop++) {
                    int first = ReadWorkload.firstId(client, thread, loop, 10_000);
                    assertTrue(first >= 1 && first + ReadWorkload.ROWS_PER_SELECT - 1 <= 10_000, "first id " + first);
                }
            }
        }
        assertEquals(1, ReadWorkload.firstId(5, 7, 9, ReadWorkload.ROWS_PER_SELECT));
        // threads start at different rows
        assertTrue(ReadWorkload.firstId(0, 0, 0, 10_000) != ReadWorkload.firstId(0, 1, 0, 10_000));
    }

    @Test
    void theExpectedChecksumIsTheSumOfIdAndC9() {
        // rows 1..100: sum(id) = 5050, sum(c9) = sum(10·id + 9) = 50500 + 900
        assertEquals(5050 + 50_500 + 900, ReadWorkload.expectedChecksum(1));
    }

    @Test
    void latenciesKeepTheExactMeanAndCountErrorsApart() {
        Latencies a = new Latencies();
        a.record(1_000);
        a.record(3_000);
        Latencies b = new Latencies();
        b.record(2_000);
        b.recordError("first");
        b.recordError("second");
        a.add(b);
        Latencies.Stats s = a.stats();
        assertEquals(3, s.count());
        assertEquals(2, s.errors());
        assertEquals(2.0, s.meanUs(), 1e-9);
        assertEquals("first", a.firstError());
        assertTrue(Double.isNaN(new Latencies().stats().meanUs()));
    }

    @Test
    void operationsParseByLabelOrFileName() {
        assertEquals(UpdateOperation.CREATE_TABLE, UpdateOperation.parse("create table"));
        assertEquals(UpdateOperation.DROP_TABLE, UpdateOperation.parse("drop-table"));
        assertThrows(IllegalArgumentException.class, () -> UpdateOperation.parse("truncate"));
    }
}
