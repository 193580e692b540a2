package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Real MySQL clients other than the corpus's through the portal of a MariaDB cluster: the {@code mariadb}
 * command-line client (its output is one server's), Connector/J's client- and server-side prepared
 * statements reused many times (read-only executes spread over the replicas), {@code sysbench
 * oltp_read_write} (no error, replicas identical, no divergent response); nondeterministic updates refused
 * or passed; and clients that break the protocol, send a query larger than the server takes, or abort in
 * the middle of a large result, while a well-behaved client keeps working.
 */
@RequiresTestbed
class MysqlClientsTest {
    static final String PORTAL = "198.18.0.10";
    static final String PASSWORD = "cl1ents-pw";
    /** Every external process (mariadb, sysbench) is killed after this long. */
    static final long PROCESS_TIMEOUT_S = 120;

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

    private Cluster start(int nodes, String readPolicy, String nondeterministic) throws Exception {
        ClusterSpec spec = new ClusterSpec(nodes, "best-effort", readPolicy, "mysql",
                new ClusterSpec.MysqlOptions("artcp", "artcp", PASSWORD, nondeterministic, null));
        cluster = Cluster.start(Testbed.require(), spec, results.resolve(nodes + "-" + System.nanoTime()), line -> { });
        return cluster;
    }

    static String url(String extra) {
        return "jdbc:mysql://" + PORTAL + ":3306/artcp?user=artcp&password=" + PASSWORD
                + "&sslMode=DISABLED&connectTimeout=10000&socketTimeout=60000" + extra;
    }

    static Connection connect(String host, String extra) throws Exception {
        return InNamespace.call(host, () -> DriverManager.getConnection(url(extra)));
    }

    // ------------------------------------------------------------------ external processes

    record Outcome(int exit, String output) {
    }

    /** Runs a command (its stdout and stderr together), killing it after {@link #PROCESS_TIMEOUT_S}. */
    static Outcome run(List<String> command) throws Exception {
        Path out = Files.createTempFile(results, "process-", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("did not finish in " + PROCESS_TIMEOUT_S + " s: " + String.join(" ", command) + "\n"
                    + Files.readString(out, StandardCharsets.UTF_8));
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    static List<String> inClient1(String... command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", "artcp-client1"));
        c.addAll(List.of(command));
        return c;
    }

    // ------------------------------------------------------------------ counters and evidence

    /** Each node's counters (host → name → value), as its status file says now. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (NodeView v : cluster.statuses()) {
            out.put(v.member().host(), v.status() == null ? Map.of() : v.status().counters());
        }
        return out;
    }

    /** The counters after the nodes wrote their status at least twice more (every 250 ms). */
    Map<String, Map<String, Long>> freshCounters() throws InterruptedException {
        Thread.sleep(700);
        return counters();
    }

    static long sum(Map<String, Map<String, Long>> counters, String name) {
        return counters.values().stream().mapToLong(c -> c.getOrDefault(name, 0L)).sum();
    }

    static long of(Map<String, Map<String, Long>> counters, String host, String name) {
        return counters.getOrDefault(host, Map.of()).getOrDefault(name, 0L);
    }

    /** The counters that are not zero, one line per node. */
    static String nonZero(Map<String, Map<String, Long>> counters) {
        StringBuilder sb = new StringBuilder();
        counters.forEach((host, c) -> {
            sb.append("\n  ").append(host).append(":");
            c.forEach((k, v) -> {
                if (v != 0) {
                    sb.append(' ').append(k).append('=').append(v);
                }
            });
        });
        return sb.toString();
    }

    // ------------------------------------------------------------------ 1. mariadb CLI, Connector/J, sysbench

    static final String CLI_SCRIPT = String.join("\n",
            "CREATE TABLE cli (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, n INT NOT NULL);",
            "INSERT INTO cli VALUES (1, 'one', 10), (2, 'two', 20);",
            "INSERT INTO cli VALUES (3, 'three', 30);",
            "SELECT * FROM cli ORDER BY id;",
            "BEGIN;",
            "UPDATE cli SET n = n + 1 WHERE id <= 2;",
            "INSERT INTO cli VALUES (4, 'four', 40);",
            "SELECT COUNT(*), SUM(n) FROM cli;",
            "COMMIT;",
            "SELECT id, name, n FROM cli ORDER BY id;",
            "DELETE FROM cli WHERE id = 3;",
            "SELECT COUNT(*) AS left_rows, MAX(name) FROM cli;",
            "SELECT name FROM cli WHERE id = 4;");

    static Outcome cliScript() throws Exception {
        return run(inClient1("mariadb", "--connect-timeout=10", "-h", PORTAL, "-u", "artcp", "-p" + PASSWORD, "artcp",
                "-e", CLI_SCRIPT));
    }

    @Test
    void theMariadbCliConnectorJAndSysbenchRunThroughThePortal() throws Exception {
        start(1, "rr-np", "refuse");
        Outcome oneServer = cliScript();
        clusterDown();
        assertEquals(0, oneServer.exit(), "the script on one server: " + oneServer.output());
        assertTrue(oneServer.output().contains("four"), oneServer.output());

        start(3, "rr-np", "refuse");
        // (a) the mariadb command-line client: what one server gives
        Outcome portal = cliScript();
        assertEquals(oneServer, portal, "the mariadb CLI through the portal" + MysqlPortalTest.divergences(cluster));

        // (b) Connector/J, client-side and server-side prepared statements, each reused many times
        for (boolean serverPrepared : new boolean[] {false, true}) {
            Map<String, Map<String, Long>> before = freshCounters();
            preparedStatements("ps_" + serverPrepared, serverPrepared);
            Map<String, Map<String, Long>> after = freshCounters();
            String where = "useServerPrepStmts=" + serverPrepared + ": readOnlyServed before" + nonZero(before)
                    + "\nafter" + nonZero(after);
            assertTrue(sum(after, "readOnlyServed") > sum(before, "readOnlyServed"), where);
            assertTrue(of(after, "node2", "readOnlyServed") > of(before, "node2", "readOnlyServed"),
                    "node2 served some: " + where);
            assertTrue(of(after, "node3", "readOnlyServed") > of(before, "node3", "readOnlyServed"),
                    "node3 served some: " + where);
        }

        // (c) sysbench oltp_read_write, defaults (prepared statements: --db-ps-mode=auto)
        List<String> sysbench = List.of("sysbench", "oltp_read_write", "--mysql-host=" + PORTAL, "--mysql-user=artcp",
                "--mysql-password=" + PASSWORD, "--mysql-db=artcp", "--tables=1", "--table-size=1000", "--time=10",
                "--threads=1", "--report-interval=0");
        Outcome prepare = run(inClient1(with(sysbench, "prepare")));
        assertEquals(0, prepare.exit(), "sysbench prepare:\n" + prepare.output() + MysqlPortalTest.divergences(cluster));
        Outcome run = run(inClient1(with(sysbench, "run")));
        System.out.println("sysbench run through the portal (3 nodes):\n" + run.output());
        assertEquals(0, run.exit(), "sysbench run:\n" + run.output() + MysqlPortalTest.divergences(cluster));
        assertEquals(0, sysbenchCount(run.output(), "ignored errors"), run.output());
        assertEquals(0, sysbenchCount(run.output(), "reconnects"), run.output());
        assertTrue(sysbenchCount(run.output(), "transactions") > 0, run.output());
        ChecksumReport sums = cluster.checksums();
        assertTrue(sums.identical(), "after sysbench:\n" + sums.table() + MysqlPortalTest.divergences(cluster));
        assertTrue(sums.checksums().containsKey("artcp.sbtest1"), sums.table());
        Map<String, Map<String, Long>> counters = freshCounters();
        System.out.println("counters after sysbench:" + nonZero(counters));
        for (String host : counters.keySet()) {
            assertEquals(0, of(counters, host, "divergentResponses"), host + ": divergent responses"
                    + MysqlPortalTest.divergences(cluster) + nonZero(counters));
            assertEquals(0, of(counters, host, "deliveryRefused"), host + ": refused what the primary admitted"
                    + nonZero(counters));
        }
    }

    static String[] with(List<String> command, String last) {
        List<String> c = new ArrayList<>(command);
        c.add(last);
        return c.toArray(String[]::new);
    }

    /** The number on a line of sysbench's summary, e.g. {@code ignored errors:  0  (0.00 per sec.)}. */
    static long sysbenchCount(String output, String label) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + ":\\s+(\\d+)", Pattern.MULTILINE).matcher(output);
        assertTrue(m.find(), "no '" + label + ":' line in sysbench's output");
        return Long.parseLong(m.group(1));
    }

    /** A few hundred parameterised statements on three reused PreparedStatements; results checked. */
    private void preparedStatements(String table, boolean serverPrepared) throws Exception {
        int rows = 100;
        try (Connection c = connect("client1", "&useServerPrepStmts=" + serverPrepared + "&cachePrepStmts=true")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, n INT NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (id, name, n) VALUES (?, ?, ?)");
                 PreparedStatement select = c.prepareStatement("SELECT name, n FROM " + table + " WHERE id = ?");
                 PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET n = n + ? WHERE id = ?")) {
                for (int i = 1; i <= rows; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "row-" + i);
                    insert.setInt(3, i * 10);
                    assertEquals(1, insert.executeUpdate(), table + " insert " + i);
                }
                checkRows(select, table, rows, 0);
                for (int i = 1; i <= rows; i++) {
                    update.setInt(1, i);
                    update.setInt(2, i);
                    assertEquals(1, update.executeUpdate(), table + " update " + i);
                }
                checkRows(select, table, rows, 1);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(n) FROM " + table)) {
                assertTrue(rs.next());
                assertEquals(rows, rs.getInt(1));
                assertEquals(11L * rows * (rows + 1) / 2, rs.getLong(2), table + ": the sum of n after the updates");
            }
        }
    }

    /** Row i has name row-i and n = 10 i (+ i once updated). */
    private void checkRows(PreparedStatement select, String table, int rows, int updated) throws Exception {
        for (int i = 1; i <= rows; i++) {
            select.setInt(1, i);
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next(), table + ": row " + i + " is there" + MysqlPortalTest.divergences(cluster));
                assertEquals("row-" + i, rs.getString(1), table + ": row " + i);
                assertEquals(i * 10 + updated * i, rs.getInt(2), table + ": row " + i);
                assertTrue(!rs.next(), table + ": one row for id " + i);
            }
        }
    }

    // ------------------------------------------------------------------ 2. nondeterministic updates

    @Test
    void nondeterministicUpdatesAreRefusedAndReplicasStayIdentical() throws Exception {
        start(3, "rr-np", "refuse");
        try (Connection c = connect("client1", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, ts DATETIME)");
            SQLException refused = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO t (id, ts) VALUES (1, NOW())"));
            assertEquals("45000", refused.getSQLState(), "refused with the node's SIGNAL: " + refused);
            assertEquals(1644, refused.getErrorCode(), "a SIGNAL's error: " + refused);
            System.out.println("NOW() insert refused: " + refused.getErrorCode() + " " + refused.getMessage());
            for (int k = 1; k <= 3; k++) {
                assertEquals(List.of("0"), cluster.replicaQuery(k, "SELECT COUNT(*) FROM artcp.t"), "node" + k + "'s t");
            }
            try (ResultSet rs = s.executeQuery("SELECT NOW()")) {
                assertTrue(rs.next());
                assertTrue(rs.getTimestamp(1) != null);
            }
            assertEquals(1, s.executeUpdate("INSERT INTO t (id, ts) VALUES (2, '2024-01-01 00:00:00')"));
        }
        ChecksumReport sums = cluster.checksums();
        assertTrue(sums.identical(), sums.table());
        for (int k = 1; k <= 3; k++) {
            assertEquals(List.of("2\t2024-01-01 00:00:00"), cluster.replicaQuery(k, "SELECT id, ts FROM artcp.t"),
                    "node" + k + "'s t");
        }
        Map<String, Map<String, Long>> counters = freshCounters();
        assertTrue(sum(counters, "mysql.nondeterministicRefused") >= 1, nonZero(counters));
        clusterDown();

        start(3, "rr-np", "warn");
        try (Connection c = connect("client1", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, ts DATETIME)");
            assertEquals(1, s.executeUpdate("INSERT INTO t (id, ts) VALUES (1, NOW())"));
        }
        counters = freshCounters();
        assertTrue(sum(counters, "mysql.nondeterministicPassed") >= 1, nonZero(counters));
        List<String> log = Files.readAllLines(cluster.runDir().resolve("node1.log"), StandardCharsets.UTF_8);
        assertTrue(log.stream().anyMatch(l -> l.contains("nondeterministic update passed")), String.join("\n", log));
    }

    // ------------------------------------------------------------------ 3. bad clients

    @Test
    void badClientsLeaveTheClusterServingOthersWithReplicasIdentical() throws Exception {
        start(2, "rr-np", "refuse");
        try (Connection c = connect("client1", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE good (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL)");
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> goodError = new AtomicReference<>();
        Connection good = connect("client1", "");
        Thread goodClient = Thread.ofVirtual().name("good-client").start(() -> {
            try (good; PreparedStatement insert = good.prepareStatement("INSERT INTO good VALUES (?, ?)");
                 PreparedStatement select = good.prepareStatement("SELECT v FROM good WHERE id = ?")) {
                for (int i = 1; !stop.get(); i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "v" + i);
                    insert.executeUpdate();
                    select.setInt(1, i);
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next() || !("v" + i).equals(rs.getString(1))) {
                            throw new IllegalStateException("row " + i + " not read back");
                        }
                    }
                    done.set(i);
                    Thread.sleep(5);
                }
            } catch (Throwable e) {
                goodError.set(e);
            }
        });

        List<String> outcomes = new ArrayList<>();
        outcomes.add("(a) malformed handshake response: " + malformedHandshakeResponse());
        outcomes.add("(b) truncated packet, then close: " + truncatedPacket());
        outcomes.add("(c) 64 MiB query text: " + hugeQuery());
        outcomes.add("(d) large result aborted after a few rows: " + abortedLargeResult());
        awaitMore(done, goodError, 50);

        stop.set(true);
        goodClient.join(70_000);
        Map<String, Map<String, Long>> counters = freshCounters();
        System.out.println("bad clients:\n  " + String.join("\n  ", outcomes) + "\nwell-behaved client's rows: "
                + done.get() + "\nnode counters:" + nonZero(counters) + "\ndivergences in the node logs:"
                + MysqlPortalTest.divergences(cluster));
        assertNull(goodError.get(), "the well-behaved client saw an error: " + goodError.get()
                + MysqlPortalTest.divergences(cluster));
        assertTrue(!goodClient.isAlive(), "the well-behaved client stopped");
        try (Connection c = connect("client1", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM good")) {
            assertTrue(rs.next());
            assertEquals(done.get(), rs.getLong(1), "a fresh connection counts the good client's rows");
        }
        ChecksumReport sums = cluster.checksums();
        assertTrue(sums.identical(), sums.table() + MysqlPortalTest.divergences(cluster));
        for (NodeView v : cluster.statuses()) {
            assertTrue(v.pidAlive(), v.member().host() + "'s node process died");
        }
        for (ReplicaView r : cluster.replicas()) {
            assertTrue(r.pidAlive() && r.up(), "replica " + r);
        }
    }

    /** Waits until the well-behaved client did {@code more} more rows (or failed, or 60 s passed). */
    private static void awaitMore(AtomicLong done, AtomicReference<Throwable> error, int more) throws InterruptedException {
        long target = done.get() + more;
        for (int i = 0; i < 600 && done.get() < target && error.get() == null; i++) {
            Thread.sleep(100);
        }
    }

    static SocketChannel rawConnection() throws Exception {
        SocketChannel ch = InNamespace.call("client2", () -> {
            SocketChannel c = SocketChannel.open();
            c.connect(new InetSocketAddress(PORTAL, 3306));
            return c;
        });
        ch.socket().setSoTimeout(15_000);
        return ch;
    }

    /** One MySQL packet: its payload length (3 bytes, little-endian), its sequence id, then the payload. */
    static byte[] readPacket(InputStream in) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            return null;
        }
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        return in.readNBytes(length);
    }

    static ByteBuffer packet(int length, int sequence, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) length).put((byte) (length >>> 8)).put((byte) (length >>> 16)).put((byte) sequence).put(payload);
        return b.flip();
    }

    /** What the server did after our packet: an error packet, an OK, a close, or nothing. */
    static String answer(InputStream in) {
        try {
            byte[] p = readPacket(in);
            if (p == null) {
                return "connection closed";
            }
            if (p.length >= 3 && (p[0] & 0xFF) == 0xFF) {
                int code = (p[1] & 0xFF) | (p[2] & 0xFF) << 8;
                return "error " + code + ": " + new String(p, 3, p.length - 3, StandardCharsets.ISO_8859_1);
            }
            return "packet 0x" + Integer.toHexString(p.length == 0 ? -1 : p[0] & 0xFF) + " of " + p.length + " bytes";
        } catch (SocketTimeoutException e) {
            return "no answer in 15 s";
        } catch (IOException e) {
            return "connection reset (" + e.getMessage() + ")";
        }
    }

    private String malformedHandshakeResponse() throws Exception {
        try (SocketChannel ch = rawConnection()) {
            InputStream in = ch.socket().getInputStream();
            byte[] greeting = readPacket(in);
            assertTrue(greeting != null && greeting.length > 20 && greeting[0] == 10, "a protocol-10 greeting");
            byte[] junk = new byte[200];
            new Random(42).nextBytes(junk);
            ch.write(packet(junk.length, 1, junk));
            return "from " + ch.getLocalAddress() + ": " + answer(in);
        }
    }

    private String truncatedPacket() throws Exception {
        try (SocketChannel ch = rawConnection()) {
            InputStream in = ch.socket().getInputStream();
            assertTrue(readPacket(in) != null, "a greeting");
            ch.write(packet(1000, 1, "only ten b".getBytes(StandardCharsets.US_ASCII)));
            return "from " + ch.getLocalAddress() + ": sent 10 of 1000 bytes and closed";
        }
    }

    /**
     * Connector/J will not send more than the server's {@code max_allowed_packet} (it takes the smaller of
     * that and its own setting), so the 64 MiB text goes through the {@code mariadb} CLI, whose
     * {@code --max-allowed-packet} is the client's own limit.
     */
    private String hugeQuery() throws Exception {
        Path sql = results.resolve("huge-query.sql");
        Files.writeString(sql, "SELECT LENGTH('" + "x".repeat(64 << 20) + "') AS big;\n", StandardCharsets.US_ASCII);
        Path out = results.resolve("huge-query.out");
        Process p = new ProcessBuilder("ip", "netns", "exec", "artcp-client2", "mariadb", "--connect-timeout=10",
                "--max-allowed-packet=128M", "-h", PORTAL, "-u", "artcp", "-p" + PASSWORD, "artcp")
                .redirectInput(sql.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the 64 MiB query had no answer in " + PROCESS_TIMEOUT_S + " s");
        }
        Files.delete(sql);
        // mariadb echoes the failed statement: keep the start of each line
        String answer = Files.readString(out, StandardCharsets.UTF_8).strip().lines()
                .map(l -> l.length() > 80 ? l.substring(0, 80) + "…" : l).collect(Collectors.joining(" | "));
        assertTrue(p.exitValue() != 0, "the server took a query larger than its max_allowed_packet: " + answer);
        return "mariadb exit " + p.exitValue() + ": " + answer;
    }

    private String abortedLargeResult() throws Exception {
        Connection c = connect("client2", "&useCursorFetch=false");
        String from;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()")) {
            from = rs.next() ? rs.getString(1) : "?";
        }
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        s.setFetchSize(Integer.MIN_VALUE); // stream: rows are read as the client asks for them
        ResultSet rs = s.executeQuery("SELECT a.seq, b.seq, REPEAT('y', 100) FROM seq_1_to_500 a, seq_1_to_400 b");
        int read = 0;
        while (read < 5 && rs.next()) {
            read++;
        }
        var executor = Executors.newSingleThreadExecutor();
        c.abort(executor); // closes the socket with most of the result unread
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS), "the abort finished");
        return "from " + from + ": read " + read + " rows of 200000, then aborted";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
