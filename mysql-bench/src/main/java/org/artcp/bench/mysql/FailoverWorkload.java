package org.artcp.bench.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client workload of the failover experiment (issue 6): reads and writes through Connector/J, each thread on its
 * own connection, while the orchestrator kills nodes; afterwards a list-append history check ({@link AppendHistory}).
 *
 * <p><b>Append threads</b> each own {@code keysPerThread} rows of {@value #LISTS} and append to them in turn, one
 * value at a time, autocommit: {@code UPDATE failover_lists SET v = CONCAT(v, ' ', ?) WHERE k = ?}. A value is
 * unique over the whole run ({@code (thread + 1) · 10⁹ + counter}). With {@code transactions}, every
 * {@value #COMMIT_EVERY}th op of an append thread is a transaction instead, recorded as one {@code commit} op:
 * {@code BEGIN; UPDATE failover_counters SET n = n + 1, v = CONCAT(v, ' ', ?) WHERE thread = ?; INSERT INTO
 * failover_commits (id, thread) VALUES (?, ?); COMMIT} — a second append history, one list per thread, whose
 * counter and rows must agree (a transaction applied in part or twice shows).
 *
 * <p><b>Read threads</b> run {@code SELECT v FROM failover_lists WHERE k = ?}, one row, over all keys in turn:
 * read-only requests, which AR-TCP spreads over the nodes.
 *
 * <p>When a statement fails the op is recorded as failed ({@link Op#ok} false), a write is indeterminate, the
 * connection is dropped and the thread goes on with a new one, counted as a reconnect: AR-TCP's goal is that clients
 * see neither, so both are counted exactly ({@link #errors}, {@link #reconnects}). A statement that waits longer than
 * the op timeout for the server fails (Connector/J's socket timeout), so a stopped run ends.
 *
 * <p>One workload per set of tables: two processes running against the same database would collide.
 */
public final class FailoverWorkload {
    public static final String LISTS = "failover_lists";
    public static final String COUNTERS = "failover_counters";
    public static final String COMMITS = "failover_commits";
    /** With transactions, every this many ops of an append thread is a transaction. */
    public static final int COMMIT_EVERY = 5;
    /** Values of append thread t are (t + 1) · this + counter. */
    static final long VALUES_PER_THREAD = 1_000_000_000L;
    /** A client that waits this long for one response gives up on it. */
    public static final int DEFAULT_OP_TIMEOUT_MS = 30_000;
    /** Between failed connection attempts. */
    static final long CONNECT_RETRY_MS = 50;

    static final String APPEND_SQL = "UPDATE " + LISTS + " SET v = CONCAT(v, ' ', ?) WHERE k = ?";
    static final String READ_SQL = "SELECT v FROM " + LISTS + " WHERE k = ?";
    static final String COUNTER_SQL = "UPDATE " + COUNTERS + " SET n = n + 1, v = CONCAT(v, ' ', ?) WHERE thread = ?";
    static final String COMMIT_ROW_SQL = "INSERT INTO " + COMMITS + " (id, thread) VALUES (?, ?)";

    /**
     * What to run.
     *
     * @param appendThreads threads appending (and, with {@code transactions}, committing); each owns its keys
     * @param readThreads   threads reading single rows
     * @param keysPerThread rows of {@value #LISTS} each append thread appends to in turn
     * @param transactions  every {@value #COMMIT_EVERY}th op of an append thread is a transaction
     * @param opTimeoutMs   how long a statement may wait for its response before it fails
     */
    public record Config(Target target, int appendThreads, int readThreads, int keysPerThread, boolean transactions,
                         int opTimeoutMs) {
        public Config {
            Objects.requireNonNull(target, "target");
            if (appendThreads < 0 || readThreads < 0 || appendThreads + readThreads < 1) {
                throw new IllegalArgumentException("--append-threads " + appendThreads + " --read-threads "
                        + readThreads + ": none negative, at least one thread");
            }
            if (keysPerThread < 1) {
                throw new IllegalArgumentException("--keys-per-thread " + keysPerThread + ": at least 1");
            }
            if (opTimeoutMs < 1) {
                throw new IllegalArgumentException("--op-timeout-ms " + opTimeoutMs + ": at least 1");
            }
        }

        /** With the default op timeout ({@value FailoverWorkload#DEFAULT_OP_TIMEOUT_MS} ms). */
        public Config(Target target, int appendThreads, int readThreads, int keysPerThread, boolean transactions) {
            this(target, appendThreads, readThreads, keysPerThread, transactions, DEFAULT_OP_TIMEOUT_MS);
        }

        /** Rows of {@value #LISTS}: every append thread's keys (at least one, for the readers). */
        public int keys() {
            return Math.max(1, appendThreads * keysPerThread);
        }
    }

    private final Config config;
    private final AppendHistory lists = new AppendHistory();
    private final AppendHistory commits = new AppendHistory();
    /** Each append thread's next counter, kept between runs so values stay unique. */
    private final long[] counters;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();

    public FailoverWorkload(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.counters = new long[config.appendThreads()];
    }

    public Config config() {
        return config;
    }

    /** The key append thread {@code thread} writes at its {@code op}th op. */
    static int key(int thread, long op, int keysPerThread) {
        return thread * keysPerThread + (int) (op % keysPerThread);
    }

    /** Drops and creates the three tables; one empty list per key, a zero counter per append thread. */
    public void prepare() throws SQLException {
        try (Connection c = config.target().connect(config.opTimeoutMs()); Statement s = c.createStatement()) {
            s.executeUpdate("DROP TABLE IF EXISTS " + LISTS + ", " + COUNTERS + ", " + COMMITS);
            s.executeUpdate("CREATE TABLE " + LISTS + " (k INT PRIMARY KEY, v MEDIUMTEXT NOT NULL) ENGINE=InnoDB");
            s.executeUpdate("CREATE TABLE " + COUNTERS
                    + " (thread INT PRIMARY KEY, n BIGINT NOT NULL, v MEDIUMTEXT NOT NULL) ENGINE=InnoDB");
            s.executeUpdate("CREATE TABLE " + COMMITS + " (id BIGINT PRIMARY KEY, thread INT NOT NULL) ENGINE=InnoDB");
            s.executeUpdate(rows(LISTS + " (k, v)", config.keys(), "''"));
            if (config.appendThreads() > 0) {
                s.executeUpdate(rows(COUNTERS + " (thread, n, v)", config.appendThreads(), "0, ''"));
            }
        }
    }

    private static String rows(String table, int count, String rest) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(rest).append(')');
        }
        return sql.toString();
    }

    /**
     * Runs every thread until {@code stop} says so, each on its own connection, and hands each op to {@code sink}
     * (from the threads: it must be thread-safe). Returns when every thread has finished its last op.
     */
    public void run(BooleanSupplier stop, Consumer<Op> sink) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < config.appendThreads() + config.readThreads(); t++) {
            int thread = t;
            boolean appends = t < config.appendThreads();
            threads.add(Thread.ofPlatform().name((appends ? "append-" : "read-") + t).start(() -> {
                try {
                    if (appends) {
                        appendLoop(thread, stop, sink);
                    } else {
                        readLoop(thread, stop, sink);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a workload thread failed: " + failure.get(), failure.get());
        }
    }

    /** One connection and its statements; dropped whole when a statement fails. */
    private final class Session implements AutoCloseable {
        final Connection connection;
        final PreparedStatement append;
        final PreparedStatement read;
        final PreparedStatement counter;
        final PreparedStatement commitRow;
        final Statement plain;

        Session(Connection c) throws SQLException {
            connection = c;
            try {
                append = c.prepareStatement(APPEND_SQL);
                read = c.prepareStatement(READ_SQL);
                counter = c.prepareStatement(COUNTER_SQL);
                commitRow = c.prepareStatement(COMMIT_ROW_SQL);
                plain = c.createStatement();
            } catch (SQLException e) {
                abort(c);
                throw e;
            }
        }

        /** Drops the connection at once: after a failure the server rolls back whatever was open. */
        @Override
        public void close() {
            abort(connection);
        }
    }

    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone either way
            }
        }
    }

    /**
     * A session, opened now; null once {@code stop} says so. Failed attempts are retried, and counted; a session
     * that replaces a dropped one is a reconnect.
     */
    private Session open(BooleanSupplier stop, boolean replacing) {
        while (!stop.getAsBoolean()) {
            try {
                Session s = new Session(config.target().connect(config.opTimeoutMs()));
                if (replacing) {
                    reconnects.incrementAndGet();
                }
                return s;
            } catch (SQLException e) {
                connectFailures.incrementAndGet();
                try {
                    Thread.sleep(CONNECT_RETRY_MS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    private void appendLoop(int thread, BooleanSupplier stop, Consumer<Op> sink) {
        Session session = open(stop, false);
        long op = 0;
        try {
            while (session != null && !stop.getAsBoolean()) {
                long value = (thread + 1) * VALUES_PER_THREAD + counters[thread]++;
                boolean ok = config.transactions() && op % COMMIT_EVERY == COMMIT_EVERY - 1
                        ? commit(session, thread, value, sink)
                        : append(session, thread, key(thread, op, config.keysPerThread()), value, sink);
                op++;
                if (!ok) {
                    session.close();
                    session = open(stop, true);
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Returns false when the connection must be replaced. */
    private boolean append(Session s, int thread, int key, long value, Consumer<Op> sink) {
        lists.attempted(key, value);
        long start = Op.nowMicros();
        try {
            s.append.setLong(1, value);
            s.append.setInt(2, key);
            int updated = s.append.executeUpdate();
            long end = Op.nowMicros();
            if (updated == 1) {
                lists.acknowledged(key, value);
                sink.accept(Op.ok(thread, Op.APPEND, start, end));
            } else {
                lists.indeterminate(key, value);
                errors.incrementAndGet();
                sink.accept(Op.failed(thread, Op.APPEND, start, end, "the UPDATE of key " + key + " changed "
                        + updated + " rows, not 1"));
            }
            return true;
        } catch (SQLException e) {
            long end = Op.nowMicros();
            lists.indeterminate(key, value);
            errors.incrementAndGet();
            sink.accept(Op.failed(thread, Op.APPEND, start, end, Worker.describe(e)));
            return false;
        }
    }

    private boolean commit(Session s, int thread, long value, Consumer<Op> sink) {
        commits.attempted(thread, value);
        long start = Op.nowMicros();
        try {
            s.plain.execute("BEGIN");
            s.counter.setLong(1, value);
            s.counter.setInt(2, thread);
            int counted = s.counter.executeUpdate();
            s.commitRow.setLong(1, value);
            s.commitRow.setInt(2, thread);
            s.commitRow.executeUpdate();
            if (counted != 1) {
                s.plain.execute("ROLLBACK");
                throw new SQLException("the counter UPDATE of thread " + thread + " changed " + counted + " rows, not 1");
            }
            s.plain.execute("COMMIT");
            long end = Op.nowMicros();
            commits.acknowledged(thread, value);
            sink.accept(Op.ok(thread, Op.COMMIT, start, end));
            return true;
        } catch (SQLException e) {
            long end = Op.nowMicros();
            commits.indeterminate(thread, value);
            errors.incrementAndGet();
            sink.accept(Op.failed(thread, Op.COMMIT, start, end, Worker.describe(e)));
            return false;
        }
    }

    private void readLoop(int thread, BooleanSupplier stop, Consumer<Op> sink) {
        Session session = open(stop, false);
        int keys = config.keys();
        // readers start apart and step through every key
        long op = (long) (thread - config.appendThreads()) * Math.max(1, keys / Math.max(1, config.readThreads()));
        try {
            while (session != null && !stop.getAsBoolean()) {
                int key = (int) (op++ % keys);
                long start = Op.nowMicros();
                String problem;
                try {
                    session.read.setInt(1, key);
                    try (ResultSet rs = session.read.executeQuery()) {
                        problem = rs.next() ? unparsable(rs.getString(1)) : "no row for key " + key;
                    }
                } catch (SQLException e) {
                    errors.incrementAndGet();
                    sink.accept(Op.failed(thread, Op.READ, start, Op.nowMicros(), Worker.describe(e)));
                    session.close();
                    session = open(stop, true);
                    continue;
                }
                long end = Op.nowMicros();
                if (problem == null) {
                    sink.accept(Op.ok(thread, Op.READ, start, end));
                } else {
                    errors.incrementAndGet();
                    sink.accept(Op.failed(thread, Op.READ, start, end, "key " + key + ": " + problem));
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Null when every value of a list parses, else what does not. */
    private static String unparsable(String list) {
        List<String> bad = new ArrayList<>();
        parseList(list, bad);
        return bad.isEmpty() ? null : "not values: " + bad;
    }

    /** The values of a list as stored (' 11 12 13'); tokens that are not whole numbers go to {@code bad}. */
    static List<Long> parseList(String list, List<String> bad) {
        List<Long> values = new ArrayList<>();
        if (list == null) {
            return values;
        }
        for (String token : list.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            try {
                values.add(Long.parseLong(token));
            } catch (NumberFormatException e) {
                bad.add(token);
            }
        }
        return values;
    }

    /** The appends to {@value #LISTS} so far. */
    public AppendHistory history() {
        return lists;
    }

    /** The transactions so far, as appends to one list per append thread. */
    public AppendHistory commitHistory() {
        return commits;
    }

    /** Ops that failed so far. */
    public long errors() {
        return errors.get();
    }

    /** Connections opened to replace one dropped after a failure. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Connection attempts that failed (and were retried). */
    public long connectFailures() {
        return connectFailures.get();
    }

    /**
     * Reads every list back on a new connection and checks it against the history; with the transactions' lists
     * (anomalies prefixed {@code "commit "}), and each append thread's counter against its rows of {@value #COMMITS}:
     * {@code n}, the counter's list and the rows must hold the same commits.
     */
    public AppendHistory.Check verify() throws SQLException {
        Map<Integer, List<Long>> finalLists = new TreeMap<>();
        Map<Integer, List<Long>> commitLists = new TreeMap<>();
        Map<Integer, Long> counted = new HashMap<>();
        Map<Integer, Set<Long>> commitRows = new HashMap<>();
        List<String> bad = new ArrayList<>();
        try (Connection c = config.target().connect(config.opTimeoutMs()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT k, v FROM " + LISTS)) {
                while (rs.next()) {
                    List<String> badHere = new ArrayList<>();
                    finalLists.put(rs.getInt(1), parseList(rs.getString(2), badHere));
                    badHere.forEach(b -> bad.add("'" + b + "' in key " + safeKey(rs) + " is not a value"));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT thread, n, v FROM " + COUNTERS)) {
                while (rs.next()) {
                    List<String> badHere = new ArrayList<>();
                    commitLists.put(rs.getInt(1), parseList(rs.getString(3), badHere));
                    counted.put(rs.getInt(1), rs.getLong(2));
                    badHere.forEach(b -> bad.add("'" + b + "' in the counter of thread " + safeKey(rs) + " is not a commit"));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, thread FROM " + COMMITS)) {
                while (rs.next()) {
                    commitRows.computeIfAbsent(rs.getInt(2), t -> new TreeSet<>()).add(rs.getLong(1));
                }
            }
        }
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        Set<Integer> threads = new TreeSet<>(counted.keySet());
        threads.addAll(commitRows.keySet());
        for (int t : threads) {
            List<Long> list = commitLists.getOrDefault(t, List.of());
            Set<Long> rows = commitRows.getOrDefault(t, Set.of());
            long n = counted.getOrDefault(t, 0L);
            if (n != list.size()) {
                (n > list.size() ? duplicated : lost).add("commit: thread " + t + "'s counter is " + n + " but its list holds "
                        + list.size() + " commits");
            }
            for (long id : rows) {
                if (!list.contains(id)) {
                    lost.add("commit: " + id + " of thread " + t + " is in " + COMMITS + " but not in its counter"
                            + " (a transaction applied in part)");
                }
            }
            for (long id : new TreeSet<>(list)) {
                if (!rows.contains(id)) {
                    lost.add("commit: " + id + " of thread " + t + " is in its counter but not in " + COMMITS
                            + " (a transaction applied in part)");
                }
            }
        }
        return lists.check(finalLists).plus("commit: ", commits.check(commitLists)).withAnomalies(lost, duplicated, bad);
    }

    private static String safeKey(ResultSet rs) {
        try {
            return Integer.toString(rs.getInt(1));
        } catch (SQLException e) {
            return "?";
        }
    }
}
