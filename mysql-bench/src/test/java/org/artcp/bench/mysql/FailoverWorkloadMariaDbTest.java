package org.artcp.bench.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover workload against a real, private MariaDB on loopback ({@link LocalMariaDb}): a clean run checks ok
 * with no error; connections killed by the server mid-run are errors and reconnects and the check still holds; lists
 * changed behind the workload's back are caught; the worker's {@code failover} mode speaks READY/STOP/DONE and
 * writes its two files. Skipped, with the reason, where no private server can run.
 */
class FailoverWorkloadMariaDbTest {
    private static LocalMariaDb db;

    @BeforeAll
    static void startServer() throws Exception {
        Optional<String> why = LocalMariaDb.unavailableReason();
        if (why.isPresent()) {
            System.err.println("[FailoverWorkloadMariaDbTest] skipped: " + why.get());
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

    /** Runs the workload on another thread for {@code millis}, doing {@code meanwhile} (given the elapsed ms) as it runs. */
    private static List<Op> runFor(FailoverWorkload w, long millis, Meanwhile meanwhile) throws Exception {
        ConcurrentLinkedQueue<Op> ops = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                w.run(stop::get, ops::add);
            } catch (InterruptedException | RuntimeException e) {
                failure[0] = e;
            }
        });
        long start = System.currentTimeMillis();
        meanwhile.run(start);
        long left = millis - (System.currentTimeMillis() - start);
        if (left > 0) {
            Thread.sleep(left);
        }
        stop.set(true);
        t.join(60_000);
        assertFalse(t.isAlive(), "the workload did not stop");
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        return new ArrayList<>(ops);
    }

    interface Meanwhile {
        void run(long startMs) throws Exception;
    }

    private static long count(List<Op> ops, String kind, boolean ok) {
        return ops.stream().filter(op -> op.kind().equals(kind) && op.ok() == ok).count();
    }

    @Test
    void aCleanRunChecksOkWithNoErrorsAndNoReconnects() throws Exception {
        FailoverWorkload w = new FailoverWorkload(new FailoverWorkload.Config(db.target(), 2, 2, 5, true));
        w.prepare();
        List<Op> ops = runFor(w, 2_000, start -> { });
        AppendHistory.Check c = w.verify();
        System.out.println("[clean run] " + ops.size() + " ops, " + w.errors() + " errors, " + w.reconnects()
                + " reconnects, " + c.acknowledged() + " acknowledged, check " + (c.ok() ? "ok" : c));
        assertTrue(c.ok(), c.toString());
        assertEquals(0, w.errors(), ops.stream().filter(op -> !op.ok()).limit(3).toList().toString());
        assertEquals(0, w.reconnects());
        assertEquals(0, c.indeterminate());
        assertTrue(count(ops, Op.APPEND, true) > 10, "appends: " + count(ops, Op.APPEND, true));
        assertTrue(count(ops, Op.COMMIT, true) > 2, "commits: " + count(ops, Op.COMMIT, true));
        assertTrue(count(ops, Op.READ, true) > 10, "reads: " + count(ops, Op.READ, true));
        assertEquals(count(ops, Op.APPEND, true) + count(ops, Op.COMMIT, true), c.acknowledged());
        assertEquals(10 + 2, c.keys(), "10 lists and 2 commit lists");
        // the tables hold what was acknowledged: one row per commit, counters summing to them
        String commits = Long.toString(count(ops, Op.COMMIT, true));
        assertEquals(commits + "\t" + commits, db.sql("SELECT (SELECT COUNT(*) FROM artcp." + FailoverWorkload.COMMITS
                + "), (SELECT SUM(n) FROM artcp." + FailoverWorkload.COUNTERS + ")").strip());
        // thread ids: append threads 0 and 1, read threads 2 and 3
        assertEquals(List.of(0, 1, 2, 3), ops.stream().map(Op::thread).distinct().sorted().toList());
    }

    @Test
    void connectionsKilledMidRunAreErrorsAndReconnectsAndTheHistoryStillHolds() throws Exception {
        FailoverWorkload w = new FailoverWorkload(new FailoverWorkload.Config(db.target(), 2, 1, 3, true));
        w.prepare();
        List<Op> ops = runFor(w, 3_000, start -> {
            Thread.sleep(800);
            // the workload's connections as the server sees them (the root session runs over the socket)
            String ids = db.sql("SELECT GROUP_CONCAT(id) FROM information_schema.processlist WHERE user = '"
                    + LocalMariaDb.USER + "'").strip();
            assertFalse(ids.isEmpty() || ids.equals("NULL"), "no workload connection to kill");
            StringBuilder kill = new StringBuilder();
            for (String id : ids.split(",")) {
                kill.append("KILL CONNECTION ").append(id).append(';');
            }
            db.sql(kill.toString());
        });
        long failed = ops.stream().filter(op -> !op.ok()).count();
        AppendHistory.Check c = w.verify();
        System.out.println("[killed connections] " + ops.size() + " ops, " + failed + " failed, " + w.reconnects()
                + " reconnects, " + c.acknowledged() + " acknowledged, " + c.indeterminate() + " indeterminate, check "
                + (c.ok() ? "ok" : c) + "; first failure: " + ops.stream().filter(op -> !op.ok()).findFirst().orElse(null));
        assertTrue(failed >= 1, "a killed connection fails the op on it");
        assertEquals(failed, w.errors());
        assertTrue(w.reconnects() >= 1 && w.reconnects() <= failed, "reconnects " + w.reconnects() + ", errors " + failed);
        assertTrue(c.ok(), c.toString());
        // every thread went on after its connection was killed
        for (int thread = 0; thread < 3; thread++) {
            int t = thread;
            long lastFailure = ops.stream().filter(op -> op.thread() == t && !op.ok()).mapToLong(Op::endMicros).max().orElse(0);
            assertTrue(ops.stream().anyMatch(op -> op.thread() == t && op.ok() && op.startMicros() > lastFailure),
                    "thread " + t + " made no op after its last failure");
        }
    }

    @Test
    void listsChangedBehindTheWorkloadsBackAreCaught() throws Exception {
        FailoverWorkload w = new FailoverWorkload(new FailoverWorkload.Config(db.target(), 1, 0, 3, true));
        w.prepare();
        runFor(w, 1_000, start -> { });
        assertTrue(w.verify().ok());
        Map<Integer, List<Long>> acked = w.history().acknowledgedByKey();
        List<Long> key0 = acked.get(0);
        List<Long> key1 = acked.get(1);
        assertTrue(key0.size() >= 3 && key1.size() >= 3, "too few appends to tamper with: " + acked);
        String t = "artcp." + FailoverWorkload.LISTS;
        // key 0 loses its second value; key 1 gets its first value again at the end; key 2's first two swap
        db.sql("UPDATE " + t + " SET v = REPLACE(v, ' " + key0.get(1) + "', '') WHERE k = 0;"
                + "UPDATE " + t + " SET v = CONCAT(v, ' " + key1.getFirst() + "') WHERE k = 1;"
                + "UPDATE " + t + " SET v = CONCAT(' ', SUBSTRING_INDEX(SUBSTRING_INDEX(TRIM(v), ' ', 2), ' ', -1), ' ',"
                + " SUBSTRING_INDEX(TRIM(v), ' ', 1), ' ', SUBSTRING(TRIM(v), LENGTH(SUBSTRING_INDEX(TRIM(v), ' ', 2)) + 2))"
                + " WHERE k = 2;"
                + "UPDATE artcp." + FailoverWorkload.COUNTERS + " SET n = n + 1 WHERE thread = 0;"
                + "INSERT INTO artcp." + FailoverWorkload.COMMITS + " (id, thread) VALUES (42, 0)");
        AppendHistory.Check c = w.verify();
        assertFalse(c.ok());
        assertTrue(c.lost().contains("acknowledged value " + key0.get(1) + " of key 0 is missing"), c.lost().toString());
        assertTrue(c.duplicated().stream().anyMatch(d -> d.startsWith("value " + key1.getFirst() + " present 2 times")),
                c.duplicated().toString());
        assertTrue(c.outOfOrder().stream().anyMatch(o -> o.startsWith("key 2:")), c.outOfOrder().toString());
        assertTrue(c.duplicated().stream().anyMatch(d -> d.startsWith("commit: thread 0's counter is")), c.duplicated().toString());
        assertTrue(c.lost().stream().anyMatch(l -> l.startsWith("commit: 42 of thread 0 is in " + FailoverWorkload.COMMITS)),
                c.lost().toString());
    }

    @Test
    void theWorkerRunsUntilStopAndWritesOpsAndCheck(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path opsFile = dir.resolve("ops.csv");
        Path checkFile = dir.resolve("check.json");
        int status = Worker.run(new String[] {"failover", "--host", "127.0.0.1", "--port", Integer.toString(db.port),
                "--database", LocalMariaDb.DATABASE, "--user", LocalMariaDb.USER, "--password", LocalMariaDb.PASSWORD,
                "--append-threads", "1", "--read-threads", "1", "--keys-per-thread", "2", "--transactions",
                "--warm-up-seconds", "1", "--ops-file", opsFile.toString(), "--check-file", checkFile.toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("noise\nSTOP\n".getBytes(StandardCharsets.UTF_8)));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        List<String> lines = printed.lines().toList();
        assertTrue(lines.contains(Worker.READY) && lines.contains(Worker.DONE), printed);
        assertTrue(lines.indexOf(Worker.READY) < lines.indexOf(Worker.DONE), printed);
        List<Op> ops = Op.readCsv(opsFile);
        JsonNode check = new ObjectMapper().readTree(checkFile.toFile());
        assertTrue(check.path("ok").asBoolean(), check.toString());
        assertEquals(ops.size(), check.path("ops").asLong());
        assertEquals(0, check.path("errors").asLong());
        assertEquals(0, check.path("reconnects").asLong());
        assertEquals(0, check.path("lostCount").asLong());
        assertTrue(check.path("acknowledged").asLong() > 0, check.toString());
        assertEquals(check.path("acknowledged").asLong(), check.path("opsByKind").path("append").path("ok").asLong()
                + check.path("opsByKind").path("commit").path("ok").asLong());
        assertTrue(check.path("readyMicros").asLong() <= check.path("stopMicros").asLong());
        assertTrue(ops.stream().allMatch(op -> op.endMicros() <= check.path("stopMicros").asLong() + 60_000_000L));
        assertFalse(check.toString().contains(LocalMariaDb.PASSWORD), "the password stays out of results");
    }

    @Test
    void theWorkerStopsAfterItsDurationWhenStdinIsClosed(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long t0 = System.currentTimeMillis();
        int status = Worker.run(new String[] {"failover", "--host", "127.0.0.1", "--port", Integer.toString(db.port),
                "--database", LocalMariaDb.DATABASE, "--user", LocalMariaDb.USER, "--password", LocalMariaDb.PASSWORD,
                "--append-threads", "1", "--read-threads", "0", "--warm-up-seconds", "0", "--duration", "2",
                "--ops-file", dir.resolve("ops.csv").toString(), "--check-file", dir.resolve("check.json").toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        assertEquals(0, status, log.toString(StandardCharsets.UTF_8));
        assertTrue(System.currentTimeMillis() - t0 >= 2_000, "closed stdin does not stop a run with a duration");
        JsonNode check = new ObjectMapper().readTree(dir.resolve("check.json").toFile());
        assertTrue(check.path("ok").asBoolean(), check.toString());
        assertEquals(0, check.path("opsByKind").path("read").path("ok").asLong());
    }
}
