package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real MySQL clients through the portal of a MariaDB cluster (issue 5): the classifier's corpus gives
 * what one standalone server gives, over the text and the binary protocol, in best-effort and safe
 * delivery, RR-NP and RR-P, with a password; the replicas end identical; read-only requests were
 * really spread; nondeterministic updates are refused (or passed, with {@code warn}).
 */
@RequiresTestbed
class MysqlPortalTest {
    static final String PORTAL = "198.18.0.10";
    static final String PASSWORD = "s3cret-pw";
    /** The classifier's corpus (artcp-node's test data): one statement text per line, in order on one connection. */
    static final Path CORPUS = Path.of("../artcp-node/src/test/resources/org/artcp/node/mysql/corpus.tsv");

    @TempDir
    static Path results;
    private Cluster cluster;

    @BeforeAll
    static void testbedUp() throws Exception {
        Testbed.up(new TestbedConfig(4, 2, null, null), line -> { });
    }

    @AfterAll
    static void testbedDown() throws Exception {
        Testbed.down(line -> { });
    }

    @AfterEach
    void clusterDown() throws Exception {
        if (cluster != null) {
            cluster.stopLeavingTestbed(line -> { });
            cluster = null;
        }
    }

    private Cluster start(int nodes, String delivery, String readPolicy, String nondeterministic) throws Exception {
        ClusterSpec spec = new ClusterSpec(nodes, delivery, readPolicy, "mysql",
                new ClusterSpec.MysqlOptions("artcp", "artcp", PASSWORD, nondeterministic, null));
        cluster = Cluster.start(Testbed.require(), spec, results.resolve(nodes + "-" + delivery + "-" + System.nanoTime()),
                line -> { });
        // The corpus makes its own database and writes files: the account needs more than its database.
        for (int k = 1; k <= nodes; k++) {
            cluster.replicaQuery(k, "GRANT ALL PRIVILEGES ON *.* TO 'artcp'@'%'");
        }
        return cluster;
    }

    // ------------------------------------------------------------------ the corpus

    /** One corpus line: its text (one COM_QUERY) and the class the classifier must give it. */
    record Line(int number, String expected, String sql) {
    }

    /**
     * The corpus without its nondeterministic updates (refused through the portal, so what follows them
     * would differ from one server: {@link #nondeterministicUpdatesAreRefusedAndReplicasStayIdentical} tests
     * them), with the files it writes made relative to each server's own data directory.
     */
    static List<Line> corpus(String run) throws IOException {
        List<Line> lines = new ArrayList<>();
        int n = 0;
        for (String raw : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
            n++;
            if (raw.isBlank() || raw.startsWith("#")) {
                continue;
            }
            int tab = raw.indexOf('\t');
            String cls = raw.substring(0, tab);
            if (cls.startsWith("CAUSAL/")) {
                continue;
            }
            String sql = raw.substring(tab + 1).replace("{NL}", "\n").replace("'/tmp/artcp-corpus-", "'corpus-" + run + "-");
            lines.add(new Line(n, cls, sql));
        }
        return lines;
    }

    /**
     * Runs the corpus on one connection through the portal from client1; one rendered outcome per line.
     * Its INTO OUTFILE lines write into each replica's own database directory (a name without a directory
     * part); those files are removed first, or the corpus's DROP DATABASE would fail on them.
     */
    static List<String> runCorpus(List<Line> lines, boolean serverPrepared) throws Exception {
        try (var dirs = Files.list(Path.of("/run/artcp/mysql"))) {
            for (Path d : dirs.toList()) {
                Path db = d.resolve("artcp_corpus");
                if (Files.isDirectory(db)) {
                    try (var files = Files.list(db)) {
                        for (Path f : files.filter(f -> f.getFileName().toString().startsWith("corpus-")).toList()) {
                            Files.delete(f);
                        }
                    }
                }
            }
        }
        String url = "jdbc:mysql://" + PORTAL + ":3306/artcp?user=artcp&password=" + PASSWORD
                + "&sslMode=DISABLED&allowMultiQueries=true&useServerPrepStmts=" + serverPrepared
                + "&connectTimeout=10000&socketTimeout=60000";
        return InNamespace.call("client1", () -> {
            List<String> out = new ArrayList<>();
            Connection c = DriverManager.getConnection(url);
            for (Line l : lines) {
                out.add(render(c, l.sql(), serverPrepared));
            }
            try {
                c.close();
            } catch (RuntimeException e) {
                // Connector/J 9.5 cannot close a server-side statement whose prepare failed (its QueryInfo is null)
            }
            return out;
        });
    }

    /** Every result of one statement text: result sets row by row, update counts, or the error. */
    static String render(Connection c, String sql, boolean serverPrepared) {
        StringBuilder sb = new StringBuilder();
        try (Statement s = serverPrepared ? c.prepareStatement(sql) : c.createStatement()) {
            boolean isResult = serverPrepared ? ((PreparedStatement) s).execute() : s.execute(sql);
            while (true) {
                if (isResult) {
                    try (ResultSet rs = s.getResultSet()) {
                        ResultSetMetaData md = rs.getMetaData();
                        sb.append("rows[");
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            sb.append(i > 1 ? "," : "").append(md.getColumnLabel(i));
                        }
                        sb.append("]");
                        while (rs.next()) {
                            sb.append(" (");
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                sb.append(i > 1 ? "," : "").append(rs.getString(i));
                            }
                            sb.append(")");
                        }
                        sb.append("; ");
                    }
                } else {
                    int count = s.getUpdateCount();
                    if (count < 0) {
                        break;
                    }
                    sb.append("count ").append(count).append("; ");
                }
                isResult = s.getMoreResults();
            }
        } catch (SQLException e) {
            sb.append("ERROR ").append(e.getErrorCode()).append(" ").append(e.getSQLState()).append(" ").append(e.getMessage());
        }
        return sb.toString();
    }

    /** CHECKSUM TABLE of every base table of {@code db} on each replica: one line per table, the same on every one. */
    static Map<Integer, List<String>> checksums(Cluster cluster, int nodes, String db) throws Exception {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (int k = 1; k <= nodes; k++) {
            List<String> tables = cluster.replicaQuery(k, "SELECT table_name FROM information_schema.tables WHERE "
                    + "table_schema = '" + db + "' AND table_type = 'BASE TABLE' ORDER BY table_name");
            out.put(k, tables.isEmpty() ? List.of() : cluster.replicaQuery(k, "CHECKSUM TABLE "
                    + tables.stream().map(t -> db + ".`" + t + "`").collect(Collectors.joining(", "))));
        }
        return out;
    }

    /** The nodes' log lines about divergent responses (what differed), for a failure's message. */
    static String divergences(Cluster cluster) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var logs = Files.list(cluster.runDir())) {
            for (Path log : logs.filter(f -> f.getFileName().toString().matches("node\\d\\.log")).sorted().toList()) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.contains("divergence:")) {
                        sb.append("\n  ").append(log.getFileName()).append(": ").append(line);
                    }
                }
            }
        }
        return sb.toString();
    }

    static long counter(Cluster cluster, String name) {
        return cluster.statuses().stream().filter(v -> v.status() != null)
                .mapToLong(v -> v.status().counters().getOrDefault(name, 0L)).sum();
    }

    @Test
    void theCorpusThroughThePortalGivesWhatOneServerGivesAndReplicasEndIdentical() throws Exception {
        List<Line> lines = corpus("a");
        // One server, twice per protocol: a statement whose result differs between two runs on one server
        // (time, connection ids) is nondeterministic by nature and is compared as error or not only.
        start(1, "best-effort", "rr-np", "refuse");
        List<String> textA = runCorpus(corpus("a"), false);
        List<String> binA = runCorpus(corpus("c"), true);
        Thread.sleep(1_100); // the second runs' clocks read another second
        List<String> textB = runCorpus(corpus("b"), false);
        List<String> binB = runCorpus(corpus("d"), true);
        clusterDown();
        String[][] settings = {{"3", "best-effort", "rr-np"}, {"2", "safe", "rr-p"}};
        for (String[] s : settings) {
            int nodes = Integer.parseInt(s[0]);
            start(nodes, s[1], s[2], "refuse");
            List<String> text = runCorpus(corpus("e"), false);
            List<String> bin = runCorpus(corpus("f"), true);
            String where = nodes + " nodes " + s[1] + " " + s[2];
            String nodeLogs = divergences(cluster);
            int compared = compare(lines, textA, textB, text, where + ", text protocol" + nodeLogs)
                    + compare(lines, binA, binB, bin, where + ", binary protocol" + nodeLogs);
            assertTrue(compared > 2 * 300, "most lines compare exactly: " + compared);
            Map<Integer, List<String>> sums = checksums(cluster, nodes, "artcp_corpus");
            for (int k = 2; k <= nodes; k++) {
                assertEquals(sums.get(1), sums.get(k), where + ": node" + k + "'s tables differ from node1's");
            }
            assertTrue(sums.get(1).size() >= 3, "the corpus's tables are there: " + sums.get(1));
            // The status files are written every 250 ms: the last reads of the corpus may not be in them yet.
            long served = counter(cluster, "readOnlyServed");
            long classified = counter(cluster, "mysql.readOnlyRequests");
            for (int i = 0; i < 20 && served < classified; i++) {
                Thread.sleep(100);
                served = counter(cluster, "readOnlyServed");
                classified = counter(cluster, "mysql.readOnlyRequests");
            }
            assertTrue(classified > 150, where + ": read-only requests classified: " + classified);
            assertTrue(served >= classified, where + ": every read-only request was served somewhere: served "
                    + served + ", classified " + classified);
            assertEquals(0, counter(cluster, "deliveryRefused"), where + ": a node refused what the primary admitted");
            assertEquals(2_000, manySmallReadsInARow(), where);
            clusterDown();
        }
    }

    /**
     * Statements whose answer is one replica's own state: random values, connection ids, status counters
     * and process lists (the replica that answers a read has served other statements than one server would).
     */
    static final java.util.regex.Pattern PER_REPLICA = java.util.regex.Pattern.compile(
            "RAND\\(|UUID|CONNECTION_ID|PROCESSLIST|\\bSTATUS\\b", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * 2,000 one-row SELECTs in a row on one connection: their answers come from other nodes and the
     * client acknowledges them only with its next request (once, the primary's window fell behind after
     * 64 KiB of such answers and every later segment was refused). Returns how many answered 1.
     */
    static int manySmallReadsInARow() throws Exception {
        String url = "jdbc:mysql://" + PORTAL + ":3306/artcp?user=artcp&password=" + PASSWORD
                + "&sslMode=DISABLED&socketTimeout=20000";
        return InNamespace.call("client1", () -> {
            int ok = 0;
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (int i = 0; i < 2_000; i++) {
                    try (ResultSet rs = s.executeQuery("SELECT 1 AS one, 'a reasonably long text to make the answer longer' AS t")) {
                        ok += rs.next() && rs.getInt(1) == 1 ? 1 : 0;
                    }
                }
            }
            return ok;
        });
    }

    /** Compares a portal run with two runs on one server; returns how many lines compared exactly. */
    private static int compare(List<Line> lines, List<String> a, List<String> b, List<String> portal, String where) {
        List<String> wrong = new ArrayList<>();
        int exact = 0;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (a.get(i).equals(b.get(i)) && !PER_REPLICA.matcher(l.sql()).find()) {
                exact++;
                if (!portal.get(i).equals(a.get(i))) {
                    wrong.add("line " + l.number() + " " + l.expected() + " " + l.sql() + "\n    one server: " + a.get(i)
                            + "\n    portal:     " + portal.get(i));
                }
            } else if (a.get(i).startsWith("ERROR") != portal.get(i).startsWith("ERROR")) {
                wrong.add("line " + l.number() + " (nondeterministic) " + l.sql() + "\n    one server: " + a.get(i)
                        + "\n    portal:     " + portal.get(i));
            }
        }
        assertEquals(List.of(), wrong, where + ": lines whose outcome differs from one server's");
        return exact;
    }
}
