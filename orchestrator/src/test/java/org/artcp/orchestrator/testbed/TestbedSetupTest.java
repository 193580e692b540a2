package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ./artcp setup}: the package list, dpkg's answer, and a dry run. */
class TestbedSetupTest {
    @Test
    void thePackageListIsWhatTheProjectNeeds() {
        assertEquals(List.of("iproute2", "ethtool", "nftables", "netpipe-tcp", "mariadb-server", "mariadb-client", "sysbench", "tcpdump",
                "iputils-ping", "chromium", "unzip"), Setup.packages());
    }

    @Test
    void onlyFullyInstalledPackagesCount() {
        String dpkg = """
                iproute2\tinstall ok installed
                ethtool\tdeinstall ok config-files
                nftables\tinstall ok unpacked
                tcpdump\tinstall ok installed
                chromium:amd64\tinstall ok installed
                """;
        assertEquals(List.of("ethtool", "nftables", "mariadb-server"),
                Setup.missingFrom(List.of("iproute2", "ethtool", "nftables", "tcpdump", "chromium", "mariadb-server"), dpkg));
    }

    @Test
    void dryRunReportsWithoutInstalling() {
        assumeTrue(Sys.which("dpkg-query").isPresent(), "not a Debian/Ubuntu machine");
        Cli r = Cli.run("setup", "--dry-run");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("already installed: "), r.toString());
        assertTrue(lines.get(1).startsWith("would install: "), r.toString());
    }

    @Test
    void setupHelpHasExamples() {
        Cli r = Cli.run("setup", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Examples") && r.out().contains("--dry-run"), r.out());
    }

    @Test
    void aMissingToolIsAOneLineErrorThatSaysToRunSetup() throws TestbedException {
        TestbedException e = org.junit.jupiter.api.Assertions.assertThrows(TestbedException.class,
                () -> Sys.require("artcp-no-such-tool", "ethtool"));
        assertEquals("artcp-no-such-tool is not installed (Debian package ethtool); run ./artcp setup as root first", e.getMessage());
        assertTrue(Sys.require("sh", "dash").endsWith("/sh"));
    }
}
