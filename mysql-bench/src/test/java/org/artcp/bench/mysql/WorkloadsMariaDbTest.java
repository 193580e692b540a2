package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workloads against a real, private MariaDB on loopback ({@link LocalMariaDb}): counts in every
 * histogram, and the tables as the workloads promise to leave them. Skipped, with the reason, where
 * no private server can run.
 */
class WorkloadsMariaDbTest {
    private static LocalMariaDb db;

    @BeforeAll
    static void startServer() throws Exception {
        Optional<String> why = LocalMariaDb.unavailableReason();
        if (why.isPresent()) {
            System.err.println("[WorkloadsMariaDbTest] skipped: " + why.get());
            Assumptions.abort(why.get());
        }
        db = LocalMariaDb.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void updatesTimeEveryOperationAndLeaveTheBaseRowsUpdated() throws Exception {
        int repetitions = 7;
        int warmUp = 2;
        Map<UpdateOperation, Latencies> result;
        try (Connection c = db.target().connect()) {
            result = new UpdateWorkload(System::nanoTime).run(c, new UpdateWorkload.Plan(repetitions, warmUp), (d, t) -> { });
        }
        assertEquals(List.of(UpdateOperation.values()), new ArrayList<>(result.keySet()));
        for (Latencies l : result.values()) {
            assertEquals(repetitions, l.count());
            assertEquals(0, l.errors());
            assertTrue(l.stats().meanUs() > 0);
        }
        // every repetition (warm-up too) added 1 to c1 of one base row, and removed what it created
        assertEquals(UpdateWorkload.BASE_ROWS + "\t" + (baseRowsC1Sum() + repetitions + warmUp),
                db.sql("SELECT COUNT(*), SUM(c1) FROM artcp.artcp_update").strip());
        assertEquals("", db.sql("SHOW TABLES FROM artcp LIKE 'artcp\\_create\\_%'").strip());
    }

    @Test
    void updatesDropTablesACrashedRunLeftBehind() throws Exception {
        db.sql("CREATE TABLE artcp.artcp_create_0 (id INT PRIMARY KEY); CREATE TABLE artcp.artcp_create_99 (id INT)");
        try (Connection c = db.target().connect()) {
            new UpdateWorkload(System::nanoTime).run(c, new UpdateWorkload.Plan(1, 0), (d, t) -> { });
        }
        assertEquals("", db.sql("SHOW TABLES FROM artcp LIKE 'artcp\\_create\\_%'").strip());
    }

    @Test
    void readsTimeEverySelectOfEveryThread() throws Exception {
        int rows = 1_000;
        try (Connection c = db.target().connect()) {
            ReadWorkload.prepare(c, rows);
            assertEquals(rows, ReadWorkload.rowCount(c));
        }
        List<String> order = new ArrayList<>();
        List<ReadWorkload.ThreadResult> results = new ReadWorkload(System::nanoTime).run(this::connect,
                new ReadWorkload.Plan(2, 20, 3, rows, 0), () -> order.add("start"), (done, total) -> { });
        assertEquals(List.of("start"), order);
        assertEquals(2, results.size());
        for (ReadWorkload.ThreadResult r : results) {
            assertEquals(20, r.latencies().count(), "thread " + r.thread());
            assertEquals(0, r.latencies().errors(), "thread " + r.thread() + ": " + r.latencies().firstError());
        }
        assertEquals(rows + "\t" + (long) rows * (rows + 1) / 2, db.sql("SELECT COUNT(*), SUM(id) FROM artcp.artcp_read").strip());
    }

    @Test
    void theWorkerWritesHistogramsAndASummaryForUpdates(@TempDir Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = Worker.run(withTarget("updates", "--repetitions", "4", "--warm-up", "1", "--out", out.toString()),
                new PrintStream(log, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        assertEquals(0, status, log.toString(StandardCharsets.UTF_8));
        JsonNode summary = new ObjectMapper().readTree(out.resolve(Worker.SUMMARY_FILE).toFile());
        assertEquals(4, summary.path("repetitions").asInt());
        assertEquals(5, summary.path("operations").size());
        for (JsonNode op : summary.path("operations")) {
            assertEquals(4, op.path("count").asLong(), op.toString());
            Histogram h = HistogramLog.read(out.resolve(op.path("histogram").asText()));
            assertEquals(4, h.getTotalCount(), op.toString());
        }
        assertEquals("create table", summary.path("operations").get(0).path("operation").asText());
        assertTrue(!summary.toString().contains(LocalMariaDb.PASSWORD), "the password stays out of results");
    }

    @Test
    void theReadsWorkerWaitsForGoAndWritesOneHistogram(@TempDir Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        assertEquals(0, Worker.run(withTarget("prepare-reads", "--table-rows", "500"), ps, new ByteArrayInputStream(new byte[0])),
                log.toString(StandardCharsets.UTF_8));
        int status = Worker.run(withTarget("reads", "--threads", "2", "--loops", "20", "--warm-up", "2", "--table-rows", "500",
                        "--client-index", "1", "--wait-for-go", "--out", out.toString()), ps,
                new ByteArrayInputStream("noise\nGO\n".getBytes(StandardCharsets.UTF_8)));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.lines().anyMatch(Worker.READY::equals), printed);
        JsonNode summary = new ObjectMapper().readTree(out.resolve(Worker.SUMMARY_FILE).toFile());
        assertEquals(40, summary.path("count").asLong());
        assertEquals(0, summary.path("errors").asLong());
        assertEquals(2, summary.path("perThread").size());
        assertEquals(20, summary.path("perThread").get(1).path("count").asLong());
        assertEquals(40, HistogramLog.read(out.resolve(summary.path("histogram").asText())).getTotalCount());
    }

    @Test
    void theReadsWorkerWithoutGoOnStdinFails(@TempDir Path out) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
        assertEquals(0, Worker.run(withTarget("prepare-reads", "--table-rows", "200"), ps, new ByteArrayInputStream(new byte[0])));
        int status = Worker.run(withTarget("reads", "--threads", "1", "--loops", "2", "--warm-up", "0", "--table-rows", "200",
                "--wait-for-go", "--out", out.toString()), ps, new ByteArrayInputStream(new byte[0]));
        assertEquals(1, status, log.toString(StandardCharsets.UTF_8));
        assertTrue(Files.notExists(out.resolve(Worker.SUMMARY_FILE)));
    }

    private String[] withTarget(String mode, String... more) {
        List<String> args = new ArrayList<>(List.of(mode, "--host", "127.0.0.1", "--port", Integer.toString(db.port),
                "--database", LocalMariaDb.DATABASE, "--user", LocalMariaDb.USER, "--password", LocalMariaDb.PASSWORD));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private Connection connect() {
        try {
            return db.target().connect();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SUM(c1) of the base rows as set-up writes them (c1 = id·10 + 1). */
    private static long baseRowsC1Sum() {
        long sum = 0;
        for (int id = 1; id <= UpdateWorkload.BASE_ROWS; id++) {
            sum += id * 10L + 1;
        }
        return sum;
    }
}
