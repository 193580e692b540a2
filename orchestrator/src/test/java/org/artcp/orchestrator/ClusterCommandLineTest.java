package org.artcp.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./artcp cluster …} and {@code ./artcp node} on bad command lines and bad files: one line, no root needed. */
class ClusterCommandLineTest {
    private record Run(int exit, String out, String err) {
        String errorLine() {
            List<String> lines = err.lines().toList();
            assertEquals(1, lines.size(), "one line on stderr:\n" + err + "\nstdout:\n" + out);
            return lines.getFirst();
        }
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

    @Test
    void tooManyNodesIsOneLineAndExitTwo() {
        Run r = run("cluster", "start", "--nodes", "5", "--delivery", "best-effort", "--app", "netpipe");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("artcp cluster start: --nodes 5 is out of range: use 1 to 4 (see ./artcp cluster start --help)",
                r.errorLine());
    }

    @Test
    void anUnknownDeliveryModeIsOneLineAndExitTwo() {
        Run r = run("cluster", "start", "--nodes", "2", "--delivery", "x", "--app", "netpipe");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("artcp cluster start: --delivery 'x' is not known: use best-effort or safe"
                + " (see ./artcp cluster start --help)", r.errorLine());
    }

    @Test
    void otherBadOptionsAreOneLineAndExitTwo() {
        for (String[] args : List.of(
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "postgres"},
                new String[] {"cluster", "start", "--nodes", "0", "--delivery", "safe", "--app", "mysql"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "mysql", "--db-name", "a;b"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "mysql", "--nondeterministic", "x"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "netpipe", "--db-user", "bob"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "mysql", "--sql-policy",
                        "/nonexistent/policy.txt"},
                new String[] {"cluster", "sql", "node1"},
                new String[] {"cluster", "sql"},
                new String[] {"cluster", "checksum", "extra"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "netpipe", "--read-policy", "rr"},
                new String[] {"cluster", "start", "--nodes", "two", "--delivery", "safe", "--app", "netpipe"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe"},
                new String[] {"cluster", "status", "--bogus"},
                new String[] {"cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "none", "--heartbeat-ms", "10",
                        "--failure-timeout-ms", "5"},
                new String[] {"cluster", "kill"},
                new String[] {"cluster", "pause", "node1", "node2"},
                new String[] {"cluster", "loss", "node1"},
                new String[] {"cluster", "loss", "node1", "lots"},
                new String[] {"node"})) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r);
            assertTrue(r.errorLine().contains("--help"), r.err());
        }
    }

    @Test
    void aMissingConfigFileIsOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        Run r = run("node", "--config", missing.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("artcp node: " + missing + ": no such file", r.errorLine());
    }

    @Test
    void aBadConfigFileIsOneLineNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node1.properties");
        Files.writeString(file, "nodes=198.18.0.1,198.18.0.2\nportal=198.18.0.10\nclusterKey=00112233445566778899aabbccddeeff\n"
                + "statusFile=/tmp/s.json\n");
        Run r = run("node", "--config", file.toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("artcp node: " + file + ": missing key 'rank'", r.errorLine());

        Files.writeString(file, "rank=0\nnodes=198.18.0.1,198.18.0.2\nportal=198.18.0.10\nclusterKey=0011\nstatusFile=/tmp/s.json\n"
                + "tunnelPrt=5400\n");
        Run typo = run("node", "--config", file.toString());
        assertEquals(1, typo.exit(), typo.toString());
        assertTrue(typo.errorLine().startsWith("artcp node: " + file + ": unknown key 'tunnelPrt'"), typo.err());
    }

    @Test
    void everyClusterCommandHasHelpWithExamples() {
        for (String[] cmd : List.of(new String[] {"cluster", "--help"}, new String[] {"cluster", "start", "--help"},
                new String[] {"cluster", "stop", "--help"}, new String[] {"cluster", "status", "--help"},
                new String[] {"cluster", "sql", "--help"}, new String[] {"cluster", "checksum", "--help"},
                new String[] {"cluster", "kill", "--help"}, new String[] {"cluster", "pause", "--help"},
                new String[] {"cluster", "resume", "--help"}, new String[] {"cluster", "cut", "--help"},
                new String[] {"cluster", "heal", "--help"}, new String[] {"cluster", "loss", "--help"},
                new String[] {"node", "--help"})) {
            Run r = run(cmd);
            assertEquals(0, r.exit(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage:") && r.out().contains("Examples"), String.join(" ", cmd) + ": " + r.out());
        }
        assertTrue(run("node", "--help").out().contains("root"));
        assertTrue(run("node", "--help").out().contains("docs/testbed.md"));
    }

    @Test
    void mysqlOptionsWithAnotherAppNameTheOptions() {
        Run r = run("cluster", "start", "--nodes", "2", "--delivery", "safe", "--app", "netpipe", "--db-password", "x");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("artcp cluster start: --db-name, --db-user, --db-password, --nondeterministic and --sql-policy need "
                + "--app mysql (see ./artcp cluster start --help)", r.errorLine());
    }
}
