package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.artcp.node.process.NodeProcessConfig;
import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.testbed.RequiresTestbed;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.Testbed;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cluster start --app mysql} on a testbed it brings up itself: the standalone baseline reached at the
 * portal from a client, and two identical replicas reached through their sockets; stop leaves no server and
 * no data. Needs Debian's mariadb-server and mariadb-client ({@code ./artcp setup}).
 */
@RequiresTestbed
class MysqlClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void mariadbIsInstalled() {
        for (String tool : List.of("mariadb-install-db", "mariadb", "mariadb-admin")) {
            if (Sys.which(tool).isEmpty()) {
                String reason = "mysql cluster test skipped: " + tool + " is not installed; run ./artcp setup";
                System.err.println(reason);
                Assumptions.abort(reason);
            }
        }
        if (Sys.which("mariadbd").isEmpty()) {
            String reason = "mysql cluster test skipped: mariadbd is not installed; run ./artcp setup";
            System.err.println(reason);
            Assumptions.abort(reason);
        }
    }

    /** {@code mariadb} in the namespace of {@code host}, as a client would run it. */
    private static Sys.Result clientSql(String host, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "artcp-" + host, "mariadb", "--no-defaults",
                "--connect-timeout=10", "--batch"));
        cmd.addAll(List.of(args));
        return Sys.run(cmd);
    }

    @Test
    void standaloneMariadbIsReachedAtThePortalWithoutArTcp(@TempDir Path results) throws Exception {
        List<Long> pids = new ArrayList<>();
        try {
            Run start = run("cluster", "start", "--nodes", "1", "--delivery", "best-effort", "--app", "mysql",
                    "--results", results.toString());
            assertEquals(0, start.exit(), start.toString());
            Cluster c = Cluster.loadRunning().orElseThrow();
            c.state().nodes().forEach(m -> pids.add(m.appPid()));
            assertEquals(1, c.state().nodes().size());
            assertEquals(0, c.state().nodes().getFirst().pid(), "no AR-TCP node process when standalone");
            assertEquals(NodeView.Health.STANDALONE, c.statuses().getFirst().health());
            assertTrue(c.replicas().getFirst().up(), c.replicas().toString());

            Sys.Result addr = Sys.run(List.of("ip", "netns", "exec", "artcp-node1", "ip", "-o", "-4", "addr", "show", "dev", "eth0"));
            assertTrue(addr.stdout().contains("198.18.0.10/32"), "the portal is a second address of node1's eth0: " + addr);

            Sys.Result sql = clientSql("client1", "-h", Cluster.PORTAL_ADDRESS, "-P", Integer.toString(Cluster.MYSQL_PORT),
                    "-u", "artcp", "artcp", "-e",
                    "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO t VALUES (1, 'one'), (2, 'two'); "
                            + "SELECT id, v FROM t ORDER BY id");
            assertEquals(0, sql.exitCode(), sql.toString());
            assertEquals(List.of("id\tv", "1\tone", "2\ttwo"), sql.stdout().lines().toList());
            assertEquals(List.of("2"), c.replicaQuery(1, "SELECT COUNT(*) FROM t"), "the replica's socket sees the same rows");

            Run status = run("cluster", "status");
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().contains("standalone") && status.out().matches("(?s).*node1 .* up .*"), status.out());
        } finally {
            Run stop = run("cluster", "stop");
            assertEquals(0, stop.exit(), stop.toString());
        }
        assertNothingLeft(pids);
    }

    @Test
    void twoReplicasStartIdenticalAndAnswerOnTheirSockets(@TempDir Path results) throws Exception {
        List<Long> pids = new ArrayList<>();
        try {
            Run start = run("cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "mysql",
                    "--db-password", "secret", "--results", results.toString());
            assertEquals(0, start.exit(), start.toString());
            assertFalse(start.out().contains("secret"), "the password is never printed: " + start.out());
            Cluster c = Cluster.loadRunning().orElseThrow();
            c.state().nodes().forEach(m -> {
                pids.add(m.pid());
                pids.add(m.appPid());
            });

            for (NodeView v : c.statuses()) {
                assertEquals(NodeView.Health.READY, v.health(), v.toString());
            }
            List<ReplicaView> replicas = c.replicas();
            assertEquals(List.of("node1", "node2"), replicas.stream().map(ReplicaView::host).toList());
            for (ReplicaView r : replicas) {
                assertTrue(r.up() && r.pidAlive(), r.toString());
                assertEquals(Long.toString(r.pid()), Files.readString(MysqlReplicas.BASE_DIR.resolve(r.host() + ".pid")).strip(),
                        "the recorded pid is mariadbd itself");
            }
            Run status = run("cluster", "status", "--json");
            assertEquals(0, status.exit(), status.toString());
            JsonNode doc = JSON.readTree(status.out());
            for (JsonNode n : doc.path("nodes")) {
                assertTrue(n.path("mysql").path("up").asBoolean(), status.out());
            }
            assertEquals("***", doc.path("settings").path("mysql").path("password").asText());

            Run one = run("cluster", "sql", "node2", "SELECT 1 AS one");
            assertEquals(0, one.exit(), one.toString());
            assertEquals(List.of("one", "1"), one.out().lines().toList());
            Run bad = run("cluster", "sql", "node2", "SELEC 1");
            assertEquals(1, bad.exit(), bad.toString());
            assertTrue(bad.err().strip().startsWith("artcp cluster sql: node2: ERROR 1064"), bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());

            Run empty = run("cluster", "checksum");
            assertEquals(0, empty.exit(), empty.toString());
            assertTrue(c.checksums().identical());

            for (String node : List.of("node1", "node2")) {
                Run create = run("cluster", "sql", node, "CREATE TABLE t (id INT PRIMARY KEY, v INT); "
                        + "INSERT INTO t VALUES (1, 10), (2, 20)");
                assertEquals(0, create.exit(), create.toString());
            }
            ChecksumReport same = c.checksums();
            assertTrue(same.identical(), same.table());
            assertEquals(List.of("artcp.t"), List.copyOf(same.checksums().keySet()));
            Run identical = run("cluster", "checksum");
            assertEquals(0, identical.exit(), identical.toString());
            assertTrue(identical.out().contains("identical: 1 table on node1, node2"), identical.out());

            assertEquals(List.of(), c.replicaQuery(2, "UPDATE t SET v = 21 WHERE id = 2"));
            Run differ = run("cluster", "checksum");
            assertEquals(1, differ.exit(), differ.toString());
            assertEquals("artcp cluster checksum: replicas differ in artcp.t", differ.err().strip());
            assertEquals(List.of("artcp.t"), c.checksums().differing());

            List<String> lines = Files.readAllLines(MysqlReplicas.PASSWORDS_FILE);
            assertEquals(List.of("artcp:*" + doubleSha1Hex("secret")), lines);
            for (String node : List.of("node1", "node2")) {
                NodeProcessConfig config = NodeProcessConfig.load(c.runDir().resolve(node + ".properties"));
                assertEquals("mysql", config.classifier());
                assertEquals(MysqlReplicas.PASSWORDS_FILE, config.mysqlPasswords());
                assertEquals("refuse", config.nondeterministic());
            }
            // what the replicas store is what the passwords file says
            assertEquals(List.of("*" + doubleSha1Hex("secret")),
                    c.replicaQuery(1, "SELECT authentication_string FROM mysql.user WHERE user = 'artcp'"));
        } finally {
            Run stop = run("cluster", "stop");
            assertEquals(0, stop.exit(), stop.toString());
        }
        assertNothingLeft(pids);
    }

    private static String doubleSha1Hex(String password) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(once));
    }

    private static void assertNothingLeft(List<Long> pids) {
        for (Long pid : pids) {
            assertTrue(pid == null || Testbed.isGone(pid), "process " + pid + " is still running");
        }
        Optional<ProcessHandle> server = ProcessHandle.allProcesses()
                .filter(p -> !Testbed.isGone(p.pid()))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("--datadir=" + MysqlReplicas.BASE_DIR))
                        .orElse(false))
                .findFirst();
        assertTrue(server.isEmpty(), "a MariaDB server of the cluster still runs: " + server);
        assertFalse(Files.exists(MysqlReplicas.BASE_DIR), MysqlReplicas.BASE_DIR + " removed");
        assertFalse(Files.exists(Cluster.STATE_FILE));
        assertFalse(Testbed.isUp());
        assertEquals("no cluster is up", run("cluster", "stop").out().strip());
    }
}
