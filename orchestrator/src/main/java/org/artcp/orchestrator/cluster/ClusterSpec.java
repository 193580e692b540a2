package org.artcp.orchestrator.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The settings a cluster is started with ({@code ./artcp cluster start}). Two clusters are "the same"
 * exactly when their specs are equal: starting the same cluster again is a no-op, another one is refused.
 *
 * @param nodes      number of AR-TCP nodes, {@value #MIN_NODES}..{@value #MAX_NODES} (node1..nodeN of the testbed);
 *                   1 is the standalone baseline: the application on node1 alone, no AR-TCP node, the portal
 *                   address on node1's LAN interface
 * @param delivery   {@code best-effort} or {@code safe} (paper §4.1)
 * @param readPolicy {@code rr-np} (read-only requests round-robin over the non-primaries) or {@code rr-p}
 *                   (the primary included) (paper §4.2)
 * @param app        the server each node host runs: {@code netpipe} (Debian's {@code NPtcp} receiver), {@code mysql}
 *                   (a MariaDB server per node, see {@link MysqlReplicas}), or {@code none} (the caller starts its
 *                   own servers, as the NetPIPE bench and the tests do)
 * @param mysql      the database settings with app {@code mysql} (null otherwise; null with {@code mysql} means
 *                   {@link MysqlOptions#defaults()})
 * @param heartbeatMs      how often each node sends a heartbeat to its peers (the node key {@code heartbeatMs};
 *                         0 means {@value #DEFAULT_HEARTBEAT_MS}, so state files from before the knob still read)
 * @param failureTimeoutMs the silence after which a node excludes a peer (the node key {@code failureTimeoutMs};
 *                         0 means {@value #DEFAULT_FAILURE_TIMEOUT_MS}); more than {@code heartbeatMs}
 */
public record ClusterSpec(int nodes, String delivery, String readPolicy, String app, MysqlOptions mysql,
                          int heartbeatMs, int failureTimeoutMs) {
    public static final int MIN_NODES = 1;
    public static final int MAX_NODES = 4;
    public static final List<String> DELIVERIES = List.of("best-effort", "safe");
    public static final List<String> READ_POLICIES = List.of("rr-np", "rr-p");
    public static final List<String> APPS = List.of("netpipe", "mysql", "none");
    /** The node's own default ({@code NodeProcessConfig}): {@code --heartbeat-ms}. */
    public static final int DEFAULT_HEARTBEAT_MS = 10;
    /** The node's own default ({@code NodeProcessConfig}): {@code --failure-timeout-ms}. */
    public static final int DEFAULT_FAILURE_TIMEOUT_MS = 250;

    /**
     * The database of app {@code mysql}: one database and one account, the same on every replica.
     *
     * @param dbName           the benchmark database ({@code --db-name})
     * @param user             the account that gets ALL on it, from any host ({@code --db-user})
     * @param password         its password, empty for none ({@code --db-password}); with one the account
     *                         authenticates with mysql_native_password
     * @param nondeterministic the nodes' answer to an update whose result may differ between replicas:
     *                         {@code refuse} or {@code warn} ({@code --nondeterministic})
     * @param sqlPolicy        the user's SQL policy file for the nodes' classifier ({@code --sql-policy}), an
     *                         absolute path, or null for the built-in policy alone
     */
    public record MysqlOptions(String dbName, String user, String password, String nondeterministic, String sqlPolicy) {
        public static final List<String> NONDETERMINISTIC = List.of("refuse", "warn");
        /** Names that need no quoting in SQL, in a file name or in the passwords file. */
        private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

        public MysqlOptions {
            if (dbName == null || !NAME.matcher(dbName).matches()) {
                throw new IllegalArgumentException("--db-name '" + dbName + "' is not a plain name: use 1 to 64 letters, "
                        + "digits or _");
            }
            if (user == null || !NAME.matcher(user).matches()) {
                throw new IllegalArgumentException("--db-user '" + user + "' is not a plain name: use 1 to 64 letters, "
                        + "digits or _");
            }
            if (password == null) {
                password = "";
            }
            if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("--db-password contains a control character");
            }
            nondeterministic = oneOf("--nondeterministic", nondeterministic, NONDETERMINISTIC);
        }

        /** Database {@code artcp}, user {@code artcp} without a password, nondeterministic updates refused. */
        public static MysqlOptions defaults() {
            return new MysqlOptions("artcp", "artcp", "", "refuse", null);
        }

        public boolean hasPassword() {
            return !password.isEmpty();
        }

        /** One line without the password, e.g. {@code database artcp, user artcp (password set)}. */
        public String describe() {
            return "database " + dbName + ", user " + user + (hasPassword() ? " (password set)" : " (no password)")
                    + ", nondeterministic " + nondeterministic + (sqlPolicy == null ? "" : ", sql policy " + sqlPolicy);
        }
    }

    /** Checks every field; a bad one is an {@link IllegalArgumentException} whose one-line message names the option. */
    public ClusterSpec {
        if (nodes < MIN_NODES || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes " + nodes + " is out of range: use " + MIN_NODES + " to " + MAX_NODES);
        }
        delivery = oneOf("--delivery", delivery, DELIVERIES);
        readPolicy = oneOf("--read-policy", readPolicy, READ_POLICIES);
        app = oneOf("--app", app, APPS);
        if (app.equals("mysql") && mysql == null) {
            mysql = MysqlOptions.defaults();
        } else if (!app.equals("mysql") && mysql != null) {
            throw new IllegalArgumentException("--db-name, --db-user, --db-password, --nondeterministic and --sql-policy "
                    + "need --app mysql");
        }
        heartbeatMs = heartbeatMs == 0 ? DEFAULT_HEARTBEAT_MS : heartbeatMs;
        failureTimeoutMs = failureTimeoutMs == 0 ? DEFAULT_FAILURE_TIMEOUT_MS : failureTimeoutMs;
        if (heartbeatMs < 1) {
            throw new IllegalArgumentException("--heartbeat-ms " + heartbeatMs + " is out of range: use 1 or more");
        }
        if (failureTimeoutMs <= heartbeatMs) {
            throw new IllegalArgumentException("--failure-timeout-ms " + failureTimeoutMs + " must exceed --heartbeat-ms "
                    + heartbeatMs);
        }
    }

    /** A spec with the default database settings (when {@code app} is {@code mysql}) and failure detector. */
    public ClusterSpec(int nodes, String delivery, String readPolicy, String app) {
        this(nodes, delivery, readPolicy, app, null);
    }

    /** A spec with the default failure detector (heartbeat {@value #DEFAULT_HEARTBEAT_MS} ms, timeout 250 ms). */
    public ClusterSpec(int nodes, String delivery, String readPolicy, String app, MysqlOptions mysql) {
        this(nodes, delivery, readPolicy, app, mysql, DEFAULT_HEARTBEAT_MS, DEFAULT_FAILURE_TIMEOUT_MS);
    }

    /** This spec with another failure detector. */
    public ClusterSpec withFailureDetector(int heartbeatMs, int failureTimeoutMs) {
        return new ClusterSpec(nodes, delivery, readPolicy, app, mysql, heartbeatMs, failureTimeoutMs);
    }

    /** Whether the failure detector is the nodes' default one. */
    public boolean defaultFailureDetector() {
        return heartbeatMs == DEFAULT_HEARTBEAT_MS && failureTimeoutMs == DEFAULT_FAILURE_TIMEOUT_MS;
    }

    /**
     * One line, e.g. {@code 2 nodes, delivery best-effort, read policy rr-np, app netpipe}, or for one node
     * {@code 1 node (standalone, no AR-TCP), app mysql (database artcp, …)}. Never shows the password.
     */
    public String describe() {
        String appPart = "app " + app + (mysql == null ? "" : " (" + mysql.describe() + ")");
        if (standalone()) {
            return "1 node (standalone, no AR-TCP), " + appPart;
        }
        return nodes + " nodes, delivery " + delivery + ", read policy " + readPolicy + ", " + appPart
                + (defaultFailureDetector() ? "" : ", heartbeat " + heartbeatMs + " ms, failure timeout "
                + failureTimeoutMs + " ms");
    }

    /** The {@code cluster start} options that make this spec (the password shown as {@code ***}). */
    public String asOptions() {
        List<String> o = new ArrayList<>(List.of("--nodes " + nodes, "--delivery " + delivery, "--read-policy " + readPolicy,
                "--app " + app));
        if (mysql != null) {
            o.add("--db-name " + mysql.dbName());
            o.add("--db-user " + mysql.user());
            if (mysql.hasPassword()) {
                o.add("--db-password ***");
            }
            o.add("--nondeterministic " + mysql.nondeterministic());
            if (mysql.sqlPolicy() != null) {
                o.add("--sql-policy " + mysql.sqlPolicy());
            }
        }
        if (!defaultFailureDetector()) {
            o.add("--heartbeat-ms " + heartbeatMs);
            o.add("--failure-timeout-ms " + failureTimeoutMs);
        }
        return String.join(" ", o);
    }

    private static String oneOf(String option, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(option + " '" + value + "' is not known: use " + allowedList(allowed));
        }
        return value;
    }

    private static String allowedList(List<String> allowed) {
        return allowed.size() <= 2 ? String.join(" or ", allowed)
                : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.getLast();
    }

    /** Whether the cluster starts an {@code NPtcp} receiver in each node host. */
    public boolean runsNetpipe() {
        return app.equals("netpipe");
    }

    /** Whether the cluster starts a MariaDB server in each node host. */
    public boolean runsMysql() {
        return app.equals("mysql");
    }

    /** One node: the application alone on node1, without AR-TCP, reached at the portal address all the same. */
    public boolean standalone() {
        return nodes == 1;
    }
}
