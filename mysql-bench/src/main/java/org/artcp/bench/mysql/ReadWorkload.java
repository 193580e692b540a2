package org.artcp.bench.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Paper §6.2.2, Fig. 8: "select threads" in one client process, each with its own connection,
 * each looping {@code loops} times over one SELECT that retrieves {@value #ROWS_PER_SELECT} rows
 * of the ten-integer-field table {@code artcp_read}. A SELECT's response time runs from sending
 * the query to having read its last row.
 *
 * <p>The rows each loop reads move through the table ({@link #firstId}), the same sequence on every
 * run, so every node's cache sees the same pattern whichever node serves the read. A thread's
 * warm-up loops (not recorded) come first; then every thread waits for the start signal, so the
 * threads (and, through the worker, the client processes) measure at the same time.
 */
public final class ReadWorkload {
    public static final String TABLE = "artcp_read";
    public static final int ROWS_PER_SELECT = 100;
    /** Rows the table holds by default: a hundred times what one SELECT reads. */
    public static final int DEFAULT_TABLE_ROWS = 10_000;
    /** Rows per INSERT when filling the table: a statement of about 30 KB. */
    static final int FILL_BATCH = 500;
    static final String SELECT_SQL = "SELECT id, c1, c2, c3, c4, c5, c6, c7, c8, c9 FROM " + TABLE
            + " WHERE id BETWEEN ? AND ?";

    /**
     * What one client process runs.
     *
     * @param clientIndex tells the threads of two client processes apart in {@link #firstId}
     */
    public record Plan(int threads, int loops, int warmUpLoops, int tableRows, int clientIndex) {
        public Plan {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads " + threads + ": at least 1");
            }
            if (loops < 1) {
                throw new IllegalArgumentException("--loops " + loops + ": at least 1");
            }
            if (warmUpLoops < 0) {
                throw new IllegalArgumentException("--warm-up " + warmUpLoops + ": at least 0");
            }
            if (tableRows < ROWS_PER_SELECT) {
                throw new IllegalArgumentException("--table-rows " + tableRows + ": at least " + ROWS_PER_SELECT);
            }
        }
    }

    /** One thread's measured SELECTs. */
    public record ThreadResult(int thread, Latencies latencies) {}

    /** Called between the warm-up and the measurement; returns when the measurement may start. */
    public interface StartSignal {
        void awaitStart() throws InterruptedException;
    }

    /** Progress: SELECTs measured so far over all threads, and how many in all. */
    public interface Progress {
        void selectsDone(long done, long total);
    }

    private final LongSupplier nanoClock;

    public ReadWorkload(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Drops and fills {@code artcp_read} with ids 1..{@code rows}; values derive from the id alone. */
    public static void prepare(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS " + TABLE);
            s.executeUpdate(UpdateWorkload.createTableSql(TABLE));
            for (int from = 1; from <= rows; from += FILL_BATCH) {
                int to = Math.min(rows, from + FILL_BATCH - 1);
                StringBuilder sql = new StringBuilder(64 * FILL_BATCH).append("INSERT INTO ").append(TABLE)
                        .append(" (id, c1, c2, c3, c4, c5, c6, c7, c8, c9) VALUES ");
                for (int id = from; id <= to; id++) {
                    sql.append(id == from ? "" : ", ").append('(').append(id);
                    for (int col = 1; col <= 9; col++) {
                        sql.append(", ").append(cell(id, col));
                    }
                    sql.append(')');
                }
                s.executeUpdate(sql.toString());
            }
        }
    }

    /** The value of column {@code c<col>} in row {@code id}. */
    static int cell(int id, int col) {
        return id * 10 + col;
    }

    /** Rows the table holds now ({@code SELECT COUNT(*)}). */
    public static long rowCount(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The first id loop {@code loop} of thread {@code thread} of client {@code client} reads: a stride
     * through the table that differs per thread, so concurrent threads read different rows.
     */
    static int firstId(int client, int thread, int loop, int tableRows) {
        int span = tableRows - ROWS_PER_SELECT + 1;
        long k = (long) client * 7_919 + (long) thread * 104_729 + (long) loop * 1_009;
        return 1 + (int) Math.floorMod(k, span);
    }

    /**
     * Opens one connection per thread, runs each thread's warm-up, waits for {@code start}, runs the
     * measured loops and returns each thread's response times. A failed SELECT is counted as an error
     * and the thread goes on; a thread whose connection cannot be opened fails the run.
     */
    public List<ThreadResult> run(java.util.function.Supplier<Connection> connections, Plan plan, StartSignal start,
                                  Progress progress) throws InterruptedException, SQLException {
        List<Connection> opened = new ArrayList<>();
        try {
            for (int t = 0; t < plan.threads(); t++) {
                opened.add(connections.get());
            }
            long total = (long) plan.threads() * plan.loops();
            AtomicLong done = new AtomicLong();
            CountDownLatch warmedUp = new CountDownLatch(plan.threads());
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<ThreadResult> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < plan.threads(); t++) {
                Latencies latencies = new Latencies();
                results.add(new ThreadResult(t, latencies));
                int thread = t;
                Connection c = opened.get(t);
                threads.add(Thread.ofPlatform().name("select-" + t).start(() -> {
                    try (PreparedStatement select = c.prepareStatement(SELECT_SQL)) {
                        for (int k = 0; k < plan.warmUpLoops(); k++) {
                            select(select, plan, thread, -1 - k, new Latencies());
                        }
                        warmedUp.countDown();
                        go.await();
                        for (int k = 0; k < plan.loops(); k++) {
                            select(select, plan, thread, k, latencies);
                            progress.selectsDone(done.incrementAndGet(), total);
                        }
                    } catch (SQLException | InterruptedException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                        warmedUp.countDown();
                    }
                }));
            }
            warmedUp.await();
            start.awaitStart();
            go.countDown();
            for (Thread th : threads) {
                th.join();
            }
            if (failure.get() != null) {
                Throwable f = failure.get();
                throw f instanceof SQLException s ? s : new SQLException("a select thread failed: " + f, f);
            }
            return results;
        } finally {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // the run's outcome is already decided
                }
            }
        }
    }

    private void select(PreparedStatement select, Plan plan, int thread, int loop, Latencies into) {
        int first = firstId(plan.clientIndex(), thread, loop, plan.tableRows());
        try {
            select.setInt(1, first);
            select.setInt(2, first + ROWS_PER_SELECT - 1);
            long t0 = nanoClock.getAsLong();
            int rows = 0;
            long checksum = 0;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    checksum += rs.getInt(1) + rs.getInt(10);
                }
            }
            long t1 = nanoClock.getAsLong();
            if (rows != ROWS_PER_SELECT || checksum != expectedChecksum(first)) {
                into.recordError("ids " + first + ".." + (first + ROWS_PER_SELECT - 1) + ": " + rows
                        + " rows" + (rows == ROWS_PER_SELECT ? " with other values than the table was filled with" : ""));
            } else {
                into.record(t1 - t0);
            }
        } catch (SQLException e) {
            into.recordError(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The sum of id + c9 over the rows first..first+99, as {@link #prepare} wrote them. */
    static long expectedChecksum(int first) {
        long sum = 0;
        for (int id = first; id < first + ROWS_PER_SELECT; id++) {
            sum += id + cell(id, 9);
        }
        return sum;
    }
}
