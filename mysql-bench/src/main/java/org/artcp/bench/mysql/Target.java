package org.artcp.bench.mysql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The MySQL server a workload talks to, and how: host and port (the portal IP of an AR-TCP cluster,
 * or one server), database, account, and whether prepared statements are prepared by the server.
 *
 * <p>TLS is off ({@code sslMode=DISABLED}): every node of an AR-TCP cluster must see the same bytes,
 * and its MySQL classifier reads the queries (paper §6.2). Prepared statements are the driver's own
 * by default ({@code useServerPrepStmts=false}, Connector/J's default): the driver substitutes the
 * parameters and sends a text {@code COM_QUERY}, which the paper's classifier catalogues by its
 * first word ("SHOW", "SELECT", "EXPLAIN SELECT" are read-only), as the paper's ODBC 3.51 driver did.
 * Server-side prepared statements ({@code COM_STMT_PREPARE}/{@code COM_STMT_EXECUTE}) keep a
 * statement id per server, so a classifier must remember which ids are SELECTs; they stay an option.
 *
 * @param password never written to a results file ({@link #describe})
 */
public record Target(String host, int port, String database, String user, String password,
                     boolean serverPreparedStatements) {
    /** How long a connection attempt may take; a cluster that lost its primary needs a moment. */
    public static final int CONNECT_TIMEOUT_MS = 10_000;

    public Target {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("--port " + port + " is out of range");
        }
        if (!database.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("--database '" + database + "': letters, digits and _ only");
        }
    }

    /** The Connector/J URL (without the password, which goes in the properties). */
    public String jdbcUrl() {
        return "jdbc:mysql://" + host + ":" + port + "/" + database
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true"
                + "&useServerPrepStmts=" + serverPreparedStatements
                + "&cachePrepStmts=true&connectTimeout=" + CONNECT_TIMEOUT_MS
                + "&tcpNoDelay=true&characterEncoding=UTF-8";
    }

    /** A new connection, autocommit on. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), credentials());
    }

    /**
     * A new connection, autocommit on, on which a read that waits longer than {@code socketTimeoutMs} for the
     * server fails (Connector/J's {@code socketTimeout}): a client that must go on after a crash cannot wait forever.
     */
    public Connection connect(int socketTimeoutMs) throws SQLException {
        if (socketTimeoutMs < 1) {
            throw new IllegalArgumentException("the socket timeout must be positive: " + socketTimeoutMs);
        }
        java.util.Properties p = credentials();
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutMs));
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    private java.util.Properties credentials() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        return p;
    }

    /** One line for logs and results files: everything but the password. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database
                + (serverPreparedStatements ? " (server-side prepared statements)" : " (client-side prepared statements)");
    }
}
