package org.artcp.orchestrator.testbed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CFS quota arithmetic and the choice between cgroup v1 and v2. */
class TestbedCpuCapTest {
    @Test
    void quotaIsTheFractionOfThePeriod() {
        assertEquals(50_000, new CpuCap(0.5).quotaUs());
        assertEquals(100_000, new CpuCap(1).quotaUs());
        assertEquals(150_000, new CpuCap(1.5).quotaUs());
        assertEquals(25_000, new CpuCap(0.25).quotaUs());
        assertEquals(1_000, new CpuCap(0.01).quotaUs(), "never below the kernel's 1 ms minimum");
        assertEquals(33_333, new CpuCap(1.0 / 3).quotaUs());
        assertEquals("50000 100000", new CpuCap(0.5).cpuMax());
        assertEquals(100_000, CpuCap.PERIOD_US);
    }

    @Test
    void parseChecksTheRangeAgainstTheMachine() {
        assertEquals(0.5, CpuCap.parse("0.5", 2).cpus());
        assertEquals(2.0, CpuCap.parse("2", 2).cpus());
        for (String bad : List.of("0", "-1", "abc", "3", "NaN", "0.001", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuCap.parse(bad, 2), bad);
            assertTrue(e.getMessage().contains("CPU cap"), e.getMessage());
        }
        assertEquals("0.5", new CpuCap(0.5).toString());
        assertEquals("2", new CpuCap(2).toString());
    }

    @Test
    void aV1CpuControllerIsPreferred() {
        List<String> hybrid = List.of(
                "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0",
                "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0",
                "cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0",
                "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0");
        CpuCgroups c = CpuCgroups.detect(hybrid, p -> true).orElseThrow();
        assertEquals(CpuCgroups.Version.V1, c.version());
        assertEquals(Path.of("/sys/fs/cgroup/cpu/artcp/node2/cgroup.procs"), c.procsFile("node2"));
    }

    @Test
    void aCombinedCpuCpuacctMountIsV1() {
        List<String> systemd = List.of("cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0");
        CpuCgroups c = CpuCgroups.detect(systemd, p -> true).orElseThrow();
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/artcp"), c.root());
    }

    @Test
    void unifiedOnlyMachinesUseV2WhenItOffersCpu() {
        List<String> unified = List.of("cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0");
        CpuCgroups c = CpuCgroups.detect(unified, p -> true).orElseThrow();
        assertEquals(CpuCgroups.Version.V2, c.version());
        assertEquals(Path.of("/sys/fs/cgroup/artcp/node1"), c.group("node1"));
        assertTrue(CpuCgroups.detect(unified, p -> false).isEmpty());
        assertTrue(CpuCgroups.detect(List.of("cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0"), p -> true).isEmpty());
    }

    @Test
    void v2GroupsEnableCpuInTheParentsAndWriteCpuMax(@TempDir Path fake) throws Exception {
        // a cgroup2 tree as the kernel would show it; the kernel makes cpu.max when the group is made
        Files.writeString(fake.resolve("cgroup.subtree_control"), "");
        Files.createDirectories(fake.resolve("artcp/node1"));
        Files.writeString(fake.resolve("artcp/cgroup.subtree_control"), "");
        Files.writeString(fake.resolve("artcp/node1/cpu.max"), "max 100000\n");
        CpuCgroups v2 = new CpuCgroups(CpuCgroups.Version.V2, fake);
        v2.create("node1", new CpuCap(0.5));
        assertEquals("+cpu", Files.readString(fake.resolve("cgroup.subtree_control")));
        assertEquals("+cpu", Files.readString(fake.resolve("artcp/cgroup.subtree_control")));
        assertEquals("50000 100000", Files.readString(fake.resolve("artcp/node1/cpu.max")));
        assertArrayEquals(new long[] {50_000, 100_000}, v2.readQuota("node1"));
    }

    @Test
    void v1GroupsWritePeriodAndQuota(@TempDir Path fake) throws Exception {
        Files.createDirectories(fake.resolve("artcp/node3"));
        Files.writeString(fake.resolve("artcp/node3/cpu.cfs_period_us"), "100000\n");
        Files.writeString(fake.resolve("artcp/node3/cpu.cfs_quota_us"), "-1\n");
        CpuCgroups v1 = new CpuCgroups(CpuCgroups.Version.V1, fake);
        v1.create("node3", new CpuCap(1.5));
        assertEquals("150000", Files.readString(fake.resolve("artcp/node3/cpu.cfs_quota_us")).strip());
        assertArrayEquals(new long[] {150_000, 100_000}, v1.readQuota("node3"));
    }
}
