package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code up} refuses clearly when it lacks root or cannot make namespaces. As root, the non-root case
 * runs the CLI in a fresh user namespace (there it is uid 65534 and has no capabilities, yet can still
 * read its own class path), and the namespace failure runs it in a private mount namespace where
 * {@code /run/netns} is a read-only tmpfs; neither touches the machine.
 */
class TestbedPrivilegeTest {
    @Test
    void upAndDownRefuseWithoutRoot() throws Exception {
        for (String command : List.of("up", "down")) {
            Cli r;
            if (!Sys.isRoot()) {
                r = Cli.run("testbed", command);
            } else {
                assumeTrue(Sys.which("unshare").isPresent(), "unshare (util-linux) is not installed");
                r = runJar(List.of("unshare", "--user", "--"), "testbed", command);
                assumeTrue(!r.err().contains("unshare:"), "user namespaces are not available: " + r.err());
            }
            assertEquals(1, r.exitCode(), r.toString());
            String line = r.errorLine();
            assertTrue(line.startsWith("artcp testbed " + command + ": must run as root"), line);
        }
    }

    @Test
    @RequiresTestbed
    void upReportsTheIpErrorWhenNamespacesCannotBeMade() throws Exception {
        assumeTrue(Sys.which("unshare").isPresent(), "unshare (util-linux) is not installed");
        Cli r = runJar(List.of("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                "mkdir -p /run/netns && mount -t tmpfs -o ro,size=64k artcp-readonly /run/netns && exec \"$@\"", "sh"),
                "testbed", "up", "--nodes", "1", "--clients", "1");
        assertNotEquals(0, r.exitCode(), r.toString());
        String line = r.err().lines().filter(l -> l.startsWith("artcp testbed up:")).findFirst().orElse(r.err());
        assertTrue(line.contains("cannot create network namespace artcp-lan") && line.contains("Read-only file system"), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        Probe.assertNothingLeft();
    }

    /** Runs the orchestrator's main class in a new JVM behind {@code prefix}, with the test class path. */
    private static Cli runJar(List<String> prefix, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.artcp.orchestrator.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        var err = p.getErrorStream();
        String out = new String(p.getInputStream().readAllBytes());
        String errText = new String(err.readAllBytes());
        return new Cli(p.waitFor(), out, errText);
    }
}
