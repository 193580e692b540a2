package org.artcp.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The MariaDB replicas' command lines, bootstrap SQL, passwords file lines and checksum comparison (no root). */
class MysqlReplicasTest {
    @Test
    void everyReplicaRunsWithoutDefaultsOnThePortalAndItsOwnFiles() {
        List<String> cmd = MysqlReplicas.serverCommand("/usr/sbin/mariadbd", "node3", "198.18.0.10", 3306,
                Path.of("/r/mariadb-node3.log"));
        assertEquals(List.of("/usr/sbin/mariadbd", "--no-defaults"), cmd.subList(0, 2), "--no-defaults must come first");
        for (String option : List.of("--datadir=/run/artcp/mysql/node3", "--socket=/run/artcp/mysql/node3.sock",
                "--pid-file=/run/artcp/mysql/node3.pid", "--log-error=/r/mariadb-node3.log", "--bind-address=198.18.0.10",
                "--port=3306", "--skip-name-resolve", "--skip-log-bin", "--skip-ssl", "--user=root",
                "--innodb-flush-log-at-trx-commit=2", "--query-cache-type=0", "--innodb-buffer-pool-load-at-startup=0")) {
            assertTrue(cmd.contains(option), option + " in " + cmd);
        }
        List<String> other = MysqlReplicas.serverCommand("/usr/sbin/mariadbd", "node1", "198.18.0.10", 3306,
                Path.of("/r/mariadb-node1.log"));
        assertEquals(cmd.stream().map(o -> o.replace("node3", "node1")).toList(), other,
                "replicas differ only in their own paths");
    }

    @Test
    void theTemplateIsInstalledAndBootstrappedWithTheReplicasStorageOptions() {
        List<String> install = MysqlReplicas.installCommand("/usr/bin/mariadb-install-db");
        List<String> bootstrap = MysqlReplicas.bootstrapCommand("/usr/sbin/mariadbd", Path.of("/r/b.log"));
        List<String> server = MysqlReplicas.serverCommand("/usr/sbin/mariadbd", "node1", "198.18.0.10", 3306, Path.of("/r/s.log"));
        for (String option : MysqlReplicas.storageOptions()) {
            assertTrue(install.contains(option) && bootstrap.contains(option) && server.contains(option), option);
        }
        assertEquals("--no-defaults", install.get(1));
        assertTrue(install.contains("--auth-root-authentication-method=socket"), install.toString());
        assertTrue(bootstrap.contains("--skip-networking"), "the bootstrap server has no TCP at all: " + bootstrap);
        assertFalse(bootstrap.stream().anyMatch(o -> o.startsWith("--port") || o.startsWith("--bind-address")), bootstrap.toString());
    }

    @Test
    void theAccountGetsAllOnTheDatabaseFromAnyHost() {
        assertEquals("""
                CREATE DATABASE `artcp`;
                CREATE USER 'artcp'@'%';
                GRANT ALL ON `artcp`.* TO 'artcp'@'%';
                """, MysqlReplicas.bootstrapSql(ClusterSpec.MysqlOptions.defaults()));
        assertEquals("""
                CREATE DATABASE `bench`;
                CREATE USER 'bob'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('it\\'s \\\\ me');
                GRANT ALL ON `bench`.* TO 'bob'@'%';
                """, MysqlReplicas.bootstrapSql(new ClusterSpec.MysqlOptions("bench", "bob", "it's \\ me", "refuse", null)));
    }

    @Test
    void passwordLinesAreUserColonStarHex() throws ClusterException {
        assertEquals(List.of("artcp:*14E65567ABDB5135D0CFD9A70B3032C179A49EE7"),
                MysqlReplicas.passwordLines("artcp:*14E65567ABDB5135D0CFD9A70B3032C179A49EE7\n"));
        assertEquals(List.of(), MysqlReplicas.passwordLines(""));
        assertThrows(ClusterException.class, () -> MysqlReplicas.passwordLines("root:invalid\n"));
    }

    @Test
    void checksumsCompareTableByTable() {
        Map<String, Map<String, Long>> perHost = new LinkedHashMap<>();
        perHost.put("node1", ChecksumReport.parse(List.of("artcp.a\t10", "artcp.b\t20", "artcp.c\t0")));
        perHost.put("node2", ChecksumReport.parse(List.of("artcp.a\t10", "artcp.b\t21", "artcp.c\t0")));
        perHost.put("node3", ChecksumReport.parse(List.of("artcp.a\t10", "artcp.c\t0")));
        ChecksumReport r = ChecksumReport.of(perHost);
        assertEquals(List.of("node1", "node2", "node3"), r.hosts());
        assertEquals(Arrays.asList(20L, 21L, null), r.checksums().get("artcp.b"));
        assertFalse(r.identical());
        assertEquals(List.of("artcp.b"), r.differing());
        assertEquals("replicas differ in artcp.b", r.verdict());
        assertTrue(r.table().contains("artcp.b  20     21     -"), r.table());

        Map<String, Map<String, Long>> missing = new LinkedHashMap<>();
        missing.put("node1", Map.of("artcp.t", 5L));
        missing.put("node2", Map.of());
        assertEquals(List.of("artcp.t"), ChecksumReport.of(missing).differing(), "a table one replica lacks differs");

        Map<String, Map<String, Long>> empty = new LinkedHashMap<>();
        empty.put("node1", Map.of());
        empty.put("node2", Map.of());
        assertTrue(ChecksumReport.of(empty).identical());
        assertEquals("identical: 0 tables on node1, node2", ChecksumReport.of(empty).verdict());
        assertEquals(Arrays.asList((Long) null), Arrays.asList(ChecksumReport.parse(List.of("artcp.gone\tNULL")).get("artcp.gone")));
    }

    @Test
    void aMysqlSpecSurvivesTheStateFile() throws Exception {
        ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ClusterSpec spec = new ClusterSpec(3, "safe", "rr-p", "mysql",
                new ClusterSpec.MysqlOptions("bench", "bob", "secret", "warn", "/tmp/p.txt"));
        assertEquals(spec, json.readValue(json.writeValueAsString(spec), ClusterSpec.class));
        ClusterSpec old = json.readValue("{\"nodes\":2,\"delivery\":\"safe\",\"readPolicy\":\"rr-np\",\"app\":\"netpipe\"}",
                ClusterSpec.class);
        assertEquals(new ClusterSpec(2, "safe", "rr-np", "netpipe"), old, "a state file from before app mysql still reads");
    }

    @Test
    void theClientsErrorLineIsTheOneThatCounts() {
        var r = new org.artcp.orchestrator.testbed.Sys.Result(List.of("mariadb"), 1, "",
                "--------------\nSELEC 1\n--------------\n\nERROR 1064 (42000) at line 1: You have an error\n");
        assertEquals("ERROR 1064 (42000) at line 1: You have an error", MysqlReplicas.clientError(r));
    }
}
