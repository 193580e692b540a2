package org.artcp.orchestrator.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The testbed's CPU cgroups: one group per capped node under {@code artcp/} in the CPU controller's
 * hierarchy — cgroup v1 {@code <cpu mount>/artcp/nodeK} with {@code cpu.cfs_period_us} and
 * {@code cpu.cfs_quota_us}, or cgroup v2 {@code <cgroup2 mount>/artcp/nodeK} with {@code cpu.max}
 * (enabling {@code +cpu} in the parents' {@code cgroup.subtree_control}). A v1 CPU controller wins
 * when both exist, because then the controller cannot be used from v2.
 *
 * @param version which cgroup version holds the CPU controller
 * @param mount   where that hierarchy is mounted, e.g. {@code /sys/fs/cgroup/cpu} (v1) or {@code /sys/fs/cgroup} (v2)
 */
public record CpuCgroups(Version version, Path mount) {
    /** The directory under the hierarchy that holds every testbed group. */
    public static final String ROOT_NAME = "artcp";

    /** Cgroup version. */
    public enum Version {
        /** Legacy hierarchy, one per controller; CFS bandwidth in {@code cpu.cfs_quota_us}. */
        V1,
        /** Unified hierarchy; CFS bandwidth in {@code cpu.max}. */
        V2
    }

    /** Finds the CPU controller from {@code /proc/self/mounts}; empty when the machine has none usable. */
    public static Optional<CpuCgroups> detect() {
        try {
            return detect(Files.readAllLines(Path.of("/proc/self/mounts")),
                    p -> controllers(p).contains("cpu"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Pure part of {@link #detect()}: {@code mounts} are lines of {@code /proc/self/mounts};
     * {@code v2HasCpu} says whether a cgroup2 mount offers the cpu controller.
     */
    static Optional<CpuCgroups> detect(List<String> mounts, Predicate<Path> v2HasCpu) {
        Path v2 = null;
        for (String line : mounts) {
            String[] f = line.split("\\s+");
            if (f.length < 4) {
                continue;
            }
            if (f[2].equals("cgroup") && List.of(f[3].split(",")).contains("cpu")) {
                return Optional.of(new CpuCgroups(Version.V1, Path.of(f[1])));
            }
            if (f[2].equals("cgroup2") && v2 == null && v2HasCpu.test(Path.of(f[1]))) {
                v2 = Path.of(f[1]);
            }
        }
        return Optional.ofNullable(v2).map(p -> new CpuCgroups(Version.V2, p));
    }

    /**
     * Every {@code artcp} group directory that exists on this machine in any cpu-capable hierarchy,
     * for {@code down} when the state file is gone.
     */
    public static List<Path> existingRoots() {
        Set<Path> roots = new LinkedHashSet<>();
        detect().ifPresent(c -> roots.add(c.root()));
        for (String candidate : List.of("/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup", "/sys/fs/cgroup/unified")) {
            roots.add(Path.of(candidate, ROOT_NAME));
        }
        return roots.stream().filter(Files::isDirectory).toList();
    }

    public Path root() {
        return mount.resolve(ROOT_NAME);
    }

    /** The group of one host, e.g. {@code /sys/fs/cgroup/cpu/artcp/node1}. */
    public Path group(String hostName) {
        return root().resolve(hostName);
    }

    /** Writing a pid here moves that process (v1 and v2 alike). */
    public Path procsFile(String hostName) {
        return group(hostName).resolve("cgroup.procs");
    }

    /** Makes (or re-uses) the group of one host and sets its quota. */
    public void create(String hostName, CpuCap cap) throws TestbedException {
        Path group = group(hostName);
        try {
            if (version == Version.V2) {
                enableCpu(mount);
                Files.createDirectories(root());
                enableCpu(root());
                Files.createDirectories(group);
                write(group.resolve("cpu.max"), cap.cpuMax());
            } else {
                Files.createDirectories(group);
                write(group.resolve("cpu.cfs_period_us"), Long.toString(CpuCap.PERIOD_US));
                write(group.resolve("cpu.cfs_quota_us"), Long.toString(cap.quotaUs()));
            }
        } catch (IOException e) {
            throw new TestbedException("cannot make CPU cgroup " + group + " (" + version + "): " + e.getMessage());
        }
    }

    /** The quota in effect for a group, as (quotaUs, periodUs). */
    public long[] readQuota(String hostName) throws IOException {
        Path group = group(hostName);
        if (version == Version.V2) {
            String[] f = Files.readString(group.resolve("cpu.max")).strip().split("\\s+");
            return new long[] {f[0].equals("max") ? -1 : Long.parseLong(f[0]), Long.parseLong(f[1])};
        }
        return new long[] {Long.parseLong(Files.readString(group.resolve("cpu.cfs_quota_us")).strip()),
            Long.parseLong(Files.readString(group.resolve("cpu.cfs_period_us")).strip())};
    }

    /** Pids in {@code root} and every group below it. */
    public static List<Long> pidsUnder(Path root) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Path procs = dir.resolve("cgroup.procs");
                if (Files.isReadable(procs)) {
                    Files.readAllLines(procs).stream().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).forEach(pids::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a group vanished while we looked: nothing in it to report
        }
        return pids;
    }

    /** Removes {@code root} and its child groups (deepest first); they must be empty of processes. */
    public static void remove(Path root) throws TestbedException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(root)) {
            List<Path> all = new ArrayList<>(dirs.filter(Files::isDirectory).toList());
            all.sort((a, b) -> b.getNameCount() - a.getNameCount());
            for (Path dir : all) {
                rmdirPatiently(dir);
            }
        } catch (IOException e) {
            throw new TestbedException("cannot remove cgroup " + root + ": " + e.getMessage());
        }
    }

    private static void rmdirPatiently(Path dir) throws IOException {
        // a killed task leaves its group a moment after it is gone from /proc: retry EBUSY briefly
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (attempt >= 50) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void enableCpu(Path group) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        if (!Files.readString(control).contains("cpu")) {
            write(control, "+cpu");
        }
    }

    private static List<String> controllers(Path v2Mount) {
        try {
            return List.of(Files.readString(v2Mount.resolve("cgroup.controllers")).strip().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("writing '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }
}
