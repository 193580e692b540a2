package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code down} leaves nothing behind — after a clean run, a crash, a lost state file — and half-made testbeds. */
@RequiresTestbed
class TestbedTeardownTest {
    @AfterEach
    void cleanUp() {
        if (!Testbed.findLeftovers(Testbed.readState()).isEmpty()) {
            Cli.run("testbed", "down");
        }
        Probe.assertNothingLeft();
    }

    @Test
    void downWithNothingUpIsAOneLineError() {
        Cli r = Cli.run("testbed", "down");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertEquals("artcp testbed down: no testbed is up; nothing to tear down", r.errorLine());
    }

    @Test
    void downStopsEveryProcessAndRemovesEverything() throws Exception {
        assertEquals(0, Cli.run("testbed", "up", "--nodes", "2", "--clients", "1", "--node-cpu", "0.5").exitCode());
        Testbed tb = Testbed.require();
        Process stubborn = tb.spawn("node1", List.of("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done"), null);
        Process plain = tb.spawn("client1", List.of("sleep", "600"), null);
        Probe.awaitText(Testbed.LOG_DIR.resolve("node1-sh.log"), "ready", stubborn);
        Cli r = Cli.run("testbed", "down");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("stopped"), r.out());
        stubborn.waitFor();
        plain.waitFor();
        Probe.assertGone(stubborn.pid());
        Probe.assertGone(plain.pid());
        Probe.assertNothingLeft();
    }

    @Test
    void downWithoutTheStateFileFindsTheTestbedItself() throws Exception {
        assertEquals(0, Cli.run("testbed", "up", "--nodes", "1", "--clients", "1", "--node-cpu", "0.25").exitCode());
        Files.delete(Testbed.STATE_FILE);
        Cli r = Cli.run("testbed", "down");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("no state file") && r.out().contains("artcp-node1") && r.out().contains("/artcp"), r.out());
        Probe.assertNothingLeft();
    }

    @Test
    void aHalfMadeTestbedIsTornDownAndRebuilt() {
        // what a crash in the middle of up leaves: some namespaces, no finished state
        Probe.ok(List.of("ip", "netns", "add", "artcp-lan"));
        Probe.ok(List.of("ip", "netns", "add", "artcp-node1"));
        Cli r = Cli.run("testbed", "up", "--nodes", "1", "--clients", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("found a half-made testbed"), r.out());
        Testbed tb = Testbed.load().orElseThrow();
        assertEquals(0, Probe.in(tb, "client1", "ping", "-c1", "-W2", "198.18.0.1").exitCode());
    }

    @Test
    void aTestbedMissingANamespaceIsRebuiltByUp() {
        assertEquals(0, Cli.run("testbed", "up", "--nodes", "1", "--clients", "1").exitCode());
        Probe.ok(List.of("ip", "netns", "del", "artcp-client1"));
        assertTrue(Testbed.load().isEmpty(), "not up when a namespace is gone");
        Cli status = Cli.run("testbed", "status");
        assertEquals(1, status.exitCode(), status.toString());
        assertTrue(status.out().contains("half-made"), status.out());
        Cli r = Cli.run("testbed", "up", "--nodes", "1", "--clients", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("found a half-made testbed"), r.out());
        assertEquals(0, Probe.in(Testbed.load().orElseThrow(), "node1", "ping", "-c1", "-W2", "198.18.0.101").exitCode());
    }

    @Test
    void execWithNoTestbedUpSaysSo() {
        Cli r = Cli.run("testbed", "exec", "node1", "--", "true");
        assertNotEquals(0, r.exitCode(), r.toString());
        assertTrue(r.errorLine().contains("no testbed is up; run ./artcp testbed up first"), r.toString());
        Cli s = Cli.run("testbed", "status");
        assertEquals(3, s.exitCode(), s.toString());
    }
}
