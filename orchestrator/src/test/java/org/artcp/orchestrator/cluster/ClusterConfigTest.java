package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import org.artcp.node.order.DeliveryMode;
import org.artcp.node.packet.Ipv4Packet;
import org.artcp.node.process.NodeProcessConfig;
import org.artcp.orchestrator.Main;
import org.artcp.orchestrator.testbed.AddressPlan;
import org.artcp.orchestrator.testbed.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node configurations a cluster writes, read back the way the node reads them. */
class ClusterConfigTest {
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    private static List<Host> nodes(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(AddressPlan::node).toList();
    }

    @Test
    void everyNodeGetsItsRankTheSameAddressesAndTheSharedKey(@TempDir Path dir) throws IOException {
        for (int n = 2; n <= ClusterSpec.MAX_NODES; n++) {
            ClusterSpec spec = new ClusterSpec(n, "safe", "rr-p", "netpipe");
            List<NodeProcessConfig> configs = Cluster.nodeConfigs(spec, nodes(n), KEY);
            assertEquals(n, configs.size());
            List<Integer> addresses = IntStream.rangeClosed(1, n)
                    .mapToObj(k -> Ipv4Packet.parseAddress("198.18.0." + k)).toList();
            for (int rank = 0; rank < n; rank++) {
                Path file = dir.resolve("n" + n + "-node" + (rank + 1) + ".properties");
                Files.writeString(file, configs.get(rank).toProperties());
                NodeProcessConfig c = NodeProcessConfig.load(file);
                assertEquals(rank, c.rank());
                assertEquals(addresses, c.nodes());
                assertEquals(Ipv4Packet.parseAddress(AddressPlan.PORTAL_ADDRESS), c.portal());
                assertEquals("eth0", c.lanInterface());
                assertEquals(DeliveryMode.SAFE, c.delivery());
                assertTrue(c.readOnlyIncludesPrimary());
                assertArrayEquals(KEY, c.clusterKey());
                assertEquals(Ipv4Packet.parseAddress("239.18.0.1"), c.tunnelGroup());
                assertEquals(5400, c.tunnelPort());
                assertEquals("artcp0", c.tunDevice());
                assertEquals(Path.of("/run/artcp/cluster/node" + (rank + 1) + ".json"), c.statusFile());
                assertEquals("generic", c.classifier());
                assertEquals(null, c.mysqlPasswords());
            }
        }
    }

    @Test
    void bestEffortAndRrNpAreWrittenToo() {
        NodeProcessConfig c = Cluster.nodeConfigs(new ClusterSpec(2, "best-effort", "rr-np", "netpipe"), nodes(2), KEY).get(1);
        assertEquals(DeliveryMode.BEST_EFFORT, c.delivery());
        assertFalse(c.readOnlyIncludesPrimary());
        assertEquals(1, c.rank());
    }

    @Test
    void theFailureDetectorKnobsReachTheNodesAndDefaultToTheNodes() {
        NodeProcessConfig d = Cluster.nodeConfigs(new ClusterSpec(2, "best-effort", "rr-np", "none"), nodes(2), KEY).get(0);
        assertEquals(ClusterSpec.DEFAULT_HEARTBEAT_MS, d.heartbeatMs());
        assertEquals(ClusterSpec.DEFAULT_FAILURE_TIMEOUT_MS, d.failureTimeoutMs());
        ClusterSpec spec = new ClusterSpec(3, "safe", "rr-np", "none", null, 5, 100);
        for (NodeProcessConfig c : Cluster.nodeConfigs(spec, nodes(3), KEY)) {
            assertEquals(5, c.heartbeatMs());
            assertEquals(100, c.failureTimeoutMs());
        }
        assertTrue(spec.describe().endsWith(", heartbeat 5 ms, failure timeout 100 ms"), spec.describe());
        assertTrue(spec.asOptions().endsWith("--heartbeat-ms 5 --failure-timeout-ms 100"), spec.asOptions());
        assertFalse(new ClusterSpec(2, "safe", "rr-np", "none").describe().contains("heartbeat"));
        assertEquals(new ClusterSpec(2, "safe", "rr-np", "none"), new ClusterSpec(2, "safe", "rr-np", "none", null, 0, 0),
                "0 (a state file from before the knobs) reads as the defaults");
        assertFalse(spec.equals(spec.withFailureDetector(5, 150)), "another timeout is another cluster");
        assertEquals("--failure-timeout-ms 10 must exceed --heartbeat-ms 10", assertThrows(IllegalArgumentException.class,
                () -> new ClusterSpec(2, "safe", "rr-np", "none", null, 10, 10)).getMessage());
        assertEquals("--heartbeat-ms -1 is out of range: use 1 or more", assertThrows(IllegalArgumentException.class,
                () -> new ClusterSpec(2, "safe", "rr-np", "none", null, -1, 250)).getMessage());
    }

    @Test
    void theNodeRunsThisJvmsCodeWithNativeAccess() {
        List<String> cmd = Cluster.nodeCommand(Path.of("/x/node1.properties"));
        assertTrue(Files.isExecutable(Path.of(cmd.getFirst())), cmd.toString());
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "-cp"), cmd.subList(1, 3));
        assertEquals(List.of(Main.class.getName(), "node", "--config", "/x/node1.properties"), cmd.subList(4, cmd.size()));
    }

    @Test
    void specRefusesWhatTheNodeCannotRun() {
        assertEquals("--nodes 5 is out of range: use 1 to 4",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(5, "safe", "rr-np", "netpipe")).getMessage());
        assertEquals("--nodes 0 is out of range: use 1 to 4",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(0, "safe", "rr-np", "netpipe")).getMessage());
        assertEquals("--delivery 'x' is not known: use best-effort or safe",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, "x", "rr-np", "netpipe")).getMessage());
        assertEquals("--read-policy 'rr' is not known: use rr-np or rr-p",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, "safe", "rr", "netpipe")).getMessage());
        assertEquals("--app 'postgres' is not known: use netpipe, mysql or none",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, "safe", "rr-np", "postgres")).getMessage());
        assertEquals("--db-name, --db-user, --db-password, --nondeterministic and --sql-policy need --app mysql",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, "safe", "rr-np", "netpipe",
                        ClusterSpec.MysqlOptions.defaults())).getMessage());
        assertEquals("--db-name 'a-b' is not a plain name: use 1 to 64 letters, digits or _",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec.MysqlOptions("a-b", "u", "", "refuse", null))
                        .getMessage());
        assertEquals("--db-user 'x y' is not a plain name: use 1 to 64 letters, digits or _",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec.MysqlOptions("d", "x y", "", "refuse", null))
                        .getMessage());
        assertEquals("--nondeterministic 'allow' is not known: use refuse or warn",
                assertThrows(IllegalArgumentException.class, () -> new ClusterSpec.MysqlOptions("d", "u", "", "allow", null))
                        .getMessage());
    }

    @Test
    void hostsMustMatchTheNodeCount() {
        assertThrows(IllegalArgumentException.class,
                () -> Cluster.nodeConfigs(new ClusterSpec(3, "safe", "rr-np", "netpipe"), nodes(2), KEY));
    }

    @Test
    void mysqlNodesGetTheClassifierThePasswordsFileAndThePolicy() {
        ClusterSpec spec = new ClusterSpec(3, "safe", "rr-np", "mysql",
                new ClusterSpec.MysqlOptions("bench", "bob", "secret", "warn", "/etc/artcp/policy.txt"));
        List<NodeProcessConfig> configs = Cluster.nodeConfigs(spec, nodes(3), KEY);
        assertEquals(3, configs.size());
        for (NodeProcessConfig c : configs) {
            assertEquals("mysql", c.classifier());
            assertEquals(MysqlReplicas.PASSWORDS_FILE, c.mysqlPasswords());
            assertEquals(Path.of("/etc/artcp/policy.txt"), c.mysqlPolicy());
            assertEquals("warn", c.nondeterministic());
            assertEquals(c.toProperties(), NodeProcessConfig.parse(properties(c.toProperties())).toProperties(),
                    "written and read back alike");
        }
        NodeProcessConfig plain = Cluster.nodeConfigs(new ClusterSpec(2, "safe", "rr-np", "mysql"), nodes(2), KEY).getFirst();
        assertEquals("mysql", plain.classifier());
        assertEquals("refuse", plain.nondeterministic());
        assertEquals(null, plain.mysqlPolicy());
        assertEquals(Path.of("/run/artcp/mysql/passwords"), plain.mysqlPasswords());
    }

    @Test
    void aStandaloneClusterHasNoNodeConfigs() {
        ClusterSpec spec = new ClusterSpec(1, "best-effort", "rr-np", "mysql");
        assertTrue(spec.standalone());
        assertEquals(List.of(), Cluster.nodeConfigs(spec, nodes(1), KEY));
        assertEquals("1 node (standalone, no AR-TCP), app mysql (database artcp, user artcp (no password), "
                + "nondeterministic refuse)", spec.describe());
    }

    @Test
    void theDefaultsAreArtcpArtcpNoPasswordRefuse() {
        ClusterSpec spec = new ClusterSpec(2, "safe", "rr-np", "mysql");
        assertEquals(ClusterSpec.MysqlOptions.defaults(), spec.mysql());
        assertEquals(new ClusterSpec.MysqlOptions("artcp", "artcp", "", "refuse", null), spec.mysql());
        assertEquals(spec, new ClusterSpec(2, "safe", "rr-np", "mysql", null));
        assertEquals(null, new ClusterSpec(2, "safe", "rr-np", "netpipe").mysql());
    }

    @Test
    void thePasswordIsNeverShown() {
        ClusterSpec spec = new ClusterSpec(2, "safe", "rr-np", "mysql",
                new ClusterSpec.MysqlOptions("artcp", "artcp", "hunter2", "refuse", null));
        assertFalse(spec.describe().contains("hunter2"), spec.describe());
        assertTrue(spec.describe().contains("password set"), spec.describe());
        assertFalse(spec.asOptions().contains("hunter2"), spec.asOptions());
    }

    private static java.util.Properties properties(String text) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }
}
