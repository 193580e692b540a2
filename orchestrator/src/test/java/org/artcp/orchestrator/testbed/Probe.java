package org.artcp.orchestrator.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers for testbed tests: run a command in the root namespace or in a host, and check for leftovers. */
final class Probe {
    private Probe() {
    }

    /** Runs a command, returning stdout; fails the test when it exits non-zero. */
    static String ok(List<String> command) {
        try {
            Sys.Result r = Sys.run(command);
            if (!r.ok()) {
                fail(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.stderr() + r.stdout());
            }
            return r.stdout();
        } catch (TestbedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Runs {@code command} in {@code host} through {@link Testbed#exec}; returns (exit code, output). */
    static Sys.Result in(Testbed tb, String host, String... command) {
        try {
            Process p = tb.exec(host, List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return new Sys.Result(List.of(command), p.waitFor(), out, "");
        } catch (IOException | TestbedException e) {
            throw new AssertionError(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Nothing of a testbed is left on the machine: namespaces, cgroups, state, links in our namespace. */
    static void assertNothingLeft() {
        assertEquals(List.of(), new ArrayList<>(Testbed.listArtcpNamespaces()), "artcp-* namespaces left");
        assertEquals(List.of(), CpuCgroups.existingRoots(), "artcp cgroups left");
        assertFalse(Files.exists(Testbed.RUN_DIR), Testbed.RUN_DIR + " left");
        String links = ok(List.of("ip", "-o", "link", "show"));
        assertFalse(links.contains("veth-node") || links.contains("veth-client"), "a testbed veth in the root namespace:\n" + links);
    }

    /** A process is gone (or a zombie waiting for its parent). */
    static void assertGone(long pid) {
        assertTrue(Testbed.isGone(pid), "process " + pid + " is still running");
    }

    /** Waits (without asserting how long) until {@code file} contains {@code text}; fails after a generous limit. */
    static void awaitText(Path file, String text, Process alive) throws InterruptedException, IOException {
        for (int i = 0; i < 600; i++) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            if (!alive.isAlive()) {
                fail("process exited " + alive.exitValue() + " before printing '" + text + "': "
                        + (Files.exists(file) ? Files.readString(file) : "(no log)"));
            }
            Thread.sleep(50);
        }
        fail("'" + text + "' never appeared in " + file);
    }
}
