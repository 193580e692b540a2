package org.artcp.bench.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Paper §6.2.1, Fig. 7: the five {@link UpdateOperation}s, each timed per operation over one
 * connection. One repetition runs them in order — create table {@code artcp_create_<n>}, insert
 * row {@code 1000000 + n} into {@code artcp_update}, update one of its {@value #BASE_ROWS} base rows,
 * delete the row just inserted, drop the table just created — so every operation meets the server in
 * the same state each time, and the tables end as they began but for the updated base rows.
 *
 * <p>Every statement is deterministic (no NOW(), RAND(), AUTO_INCREMENT): each replica of an
 * AR-TCP cluster runs them all and must end identical.
 *
 * <p>The table {@code artcp_update} has ten integer fields (id and c1..c9), as the paper's. Set-up
 * drops and re-creates it with {@value #BASE_ROWS} rows, and drops {@code artcp_create_*} tables a
 * crashed run left behind. Warm-up repetitions run first and are not recorded.
 */
public final class UpdateWorkload {
    public static final String TABLE = "artcp_update";
    public static final String CREATED_PREFIX = "artcp_create_";
    /** Rows {@code artcp_update} starts with (ids 1..BASE_ROWS); update touches them in turn. */
    public static final int BASE_ROWS = 100;
    /** Ids of inserted rows start above the base rows. */
    static final int INSERTED_ID_BASE = 1_000_000;

    /** What to run. */
    public record Plan(int repetitions, int warmUp) {
        public Plan {
            if (repetitions < 1) {
                throw new IllegalArgumentException("--repetitions " + repetitions + ": at least 1");
            }
            if (warmUp < 0) {
                throw new IllegalArgumentException("--warm-up " + warmUp + ": at least 0");
            }
        }
    }

    /** Progress: called after each measured repetition with how many are done. */
    public interface Progress {
        void repetitionsDone(int done, int total);
    }

    private final LongSupplier nanoClock;

    public UpdateWorkload(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The response times of each operation, in {@link UpdateOperation} order. */
    public Map<UpdateOperation, Latencies> run(Connection c, Plan plan, Progress progress) throws SQLException {
        setUp(c);
        Map<UpdateOperation, Latencies> measured = new EnumMap<>(UpdateOperation.class);
        for (UpdateOperation op : UpdateOperation.values()) {
            measured.put(op, new Latencies());
        }
        Map<UpdateOperation, Latencies> discarded = new EnumMap<>(UpdateOperation.class);
        for (UpdateOperation op : UpdateOperation.values()) {
            discarded.put(op, new Latencies());
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE
                + " (id, c1, c2, c3, c4, c5, c6, c7, c8, c9) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
                + " SET c1 = c1 + 1, c2 = c2 + 2, c3 = c3 + 3, c4 = c4 + 4, c5 = c5 + 5, c6 = c6 + 6, c7 = c7 + 7,"
                + " c8 = c8 + 8, c9 = c9 + 9 WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?");
             Statement ddl = c.createStatement()) {
            int n = 0;
            for (int i = 0; i < plan.warmUp(); i++, n++) {
                repetition(n, ddl, insert, update, delete, discarded);
            }
            for (int i = 0; i < plan.repetitions(); i++, n++) {
                repetition(n, ddl, insert, update, delete, measured);
                progress.repetitionsDone(i + 1, plan.repetitions());
            }
        }
        return measured;
    }

    private void repetition(int n, Statement ddl, PreparedStatement insert, PreparedStatement update,
                            PreparedStatement delete, Map<UpdateOperation, Latencies> into) throws SQLException {
        String created = CREATED_PREFIX + n;
        long t0 = nanoClock.getAsLong();
        ddl.executeUpdate(createTableSql(created));
        long t1 = nanoClock.getAsLong();
        into.get(UpdateOperation.CREATE_TABLE).record(t1 - t0);

        int id = INSERTED_ID_BASE + n;
        insert.setInt(1, id);
        for (int col = 1; col <= 9; col++) {
            insert.setInt(col + 1, id * 10 + col);
        }
        t0 = nanoClock.getAsLong();
        expectRows(insert.executeUpdate(), 1, "insert");
        t1 = nanoClock.getAsLong();
        into.get(UpdateOperation.INSERT).record(t1 - t0);

        update.setInt(1, 1 + n % BASE_ROWS);
        t0 = nanoClock.getAsLong();
        expectRows(update.executeUpdate(), 1, "update");
        t1 = nanoClock.getAsLong();
        into.get(UpdateOperation.UPDATE).record(t1 - t0);

        delete.setInt(1, id);
        t0 = nanoClock.getAsLong();
        expectRows(delete.executeUpdate(), 1, "delete");
        t1 = nanoClock.getAsLong();
        into.get(UpdateOperation.DELETE).record(t1 - t0);

        t0 = nanoClock.getAsLong();
        ddl.executeUpdate("DROP TABLE " + created);
        t1 = nanoClock.getAsLong();
        into.get(UpdateOperation.DROP_TABLE).record(t1 - t0);
    }

    private static void expectRows(int got, int expected, String what) throws SQLException {
        if (got != expected) {
            throw new SQLException(what + " changed " + got + " rows, expected " + expected);
        }
    }

    /** Ten integer fields, as the paper's test table. */
    static String createTableSql(String name) {
        return "CREATE TABLE " + name + " (id INT NOT NULL PRIMARY KEY, c1 INT, c2 INT, c3 INT, c4 INT, c5 INT,"
                + " c6 INT, c7 INT, c8 INT, c9 INT) ENGINE=InnoDB";
    }

    /** Drops what an earlier run left, then {@code artcp_update} with its base rows. */
    static void setUp(Connection c) throws SQLException {
        List<String> leftovers = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW TABLES LIKE '" + CREATED_PREFIX.replace("_", "\\_") + "%'")) {
            while (rs.next()) {
                leftovers.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String t : leftovers) {
                s.executeUpdate("DROP TABLE IF EXISTS " + t);
            }
            s.executeUpdate("DROP TABLE IF EXISTS " + TABLE);
            s.executeUpdate(createTableSql(TABLE));
            StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " (id, c1, c2, c3, c4, c5, c6, c7, c8, c9) VALUES ");
            for (int id = 1; id <= BASE_ROWS; id++) {
                sql.append(id == 1 ? "" : ", ").append('(').append(id);
                for (int col = 1; col <= 9; col++) {
                    sql.append(", ").append(id * 10 + col);
                }
                sql.append(')');
            }
            s.executeUpdate(sql.toString());
        }
    }
}
