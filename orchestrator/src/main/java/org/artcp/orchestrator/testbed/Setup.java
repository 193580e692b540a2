package org.artcp.orchestrator.testbed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The OS packages the project needs (Debian/Ubuntu, apt) and how to get them: {@code ./artcp setup}
 * installs what is missing, idempotently; other code calls {@link #missingPackages()} or
 * {@link #missingTools()} to say "run ./artcp setup" instead of failing obscurely.
 */
public final class Setup {
    /** One OS package and why the project needs it. */
    public record Need(String pkg, String why) {
    }

    /** Every package the project needs, in the order they are reported. */
    public static final List<Need> NEEDS = List.of(
            new Need("iproute2", "ip and tc: namespaces, veths, bridge, tbf"),
            new Need("ethtool", "checksum offload off on every veth"),
            new Need("nftables", "the node's netfilter drop of client frames"),
            new Need("netpipe-tcp", "NPtcp, the C NetPIPE to compare with"),
            new Need("mariadb-server", "one database per node (only /usr/sbin/mariadbd and mariadb-install-db are used; "
                    + "a system MariaDB the package starts is left alone)"),
            new Need("mariadb-client", "mariadb and mariadb-admin: the replicas' sockets, the database experiments"),
            new Need("sysbench", "sysbench oltp_* load through the portal"),
            new Need("tcpdump", "debugging the testbed LAN"),
            new Need("iputils-ping", "ping, reachability checks"),
            new Need("chromium", "headless check of the HTML report"),
            new Need("unzip", "unpacking downloaded tools"));

    /** The package names of {@link #NEEDS}. */
    public static List<String> packages() {
        return NEEDS.stream().map(Need::pkg).toList();
    }

    /** Executables the testbed and experiments call, and the package that provides each. */
    public static final Map<String, String> TOOLS = Map.ofEntries(
            Map.entry("ip", "iproute2"), Map.entry("tc", "iproute2"), Map.entry("ethtool", "ethtool"),
            Map.entry("nft", "nftables"), Map.entry("NPtcp", "netpipe-tcp"), Map.entry("mariadbd", "mariadb-server"),
            Map.entry("mariadb-install-db", "mariadb-server"), Map.entry("mariadb", "mariadb-client"),
            Map.entry("mariadb-admin", "mariadb-client"), Map.entry("sysbench", "sysbench"),
            Map.entry("tcpdump", "tcpdump"), Map.entry("ping", "iputils-ping"), Map.entry("chromium", "chromium"));

    private Setup() {
    }

    /** Packages of {@link #NEEDS} that dpkg does not report as installed, in declaration order. */
    public static List<String> missingPackages() throws TestbedException {
        List<String> names = packages();
        if (Sys.which("dpkg-query").isEmpty()) {
            throw new TestbedException("dpkg-query not found: ./artcp setup supports Debian and Ubuntu (apt); install "
                    + String.join(", ", names) + " with your package manager");
        }
        List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package}\\t${Status}\\n"));
        cmd.addAll(names);
        // exit code 1 just means some package is unknown to dpkg: those are missing
        Sys.Result r = Sys.run(cmd);
        return missingFrom(names, r.stdout());
    }

    /** Pure part of {@link #missingPackages()}: {@code dpkgOutput} has lines {@code name<TAB>status}. */
    static List<String> missingFrom(List<String> wanted, String dpkgOutput) {
        Set<String> installed = new LinkedHashSet<>();
        for (String line : dpkgOutput.lines().toList()) {
            String[] f = line.split("\t", 2);
            if (f.length == 2 && f[1].strip().endsWith(" installed") && f[1].startsWith("install ")) {
                installed.add(f[0].split(":")[0]);
            }
        }
        return wanted.stream().filter(p -> !installed.contains(p)).toList();
    }

    /** Packages whose tool is not on PATH (works on any distribution); empty when all are there. */
    public static List<String> missingTools() {
        Set<String> missing = new LinkedHashSet<>();
        TOOLS.forEach((tool, pkg) -> {
            if (Sys.which(tool).isEmpty() && !(tool.equals("mariadbd") && Sys.which("mysqld").isPresent())) {
                missing.add(pkg);
            }
        });
        return List.copyOf(missing);
    }

    /** What {@link #install} found and did. */
    public record Report(List<String> alreadyInstalled, List<String> installed, boolean dryRun) {
    }

    /**
     * Installs the missing packages with apt-get (after an {@code apt-get update}, only when something is
     * missing), non-interactively; with {@code dryRun} only reports. apt's own output goes to {@code aptOutput}.
     *
     * @throws TestbedException not root (unless dry run), apt failed, or a package is still missing afterwards
     */
    public static Report install(boolean dryRun, Consumer<String> aptOutput) throws TestbedException {
        List<String> missing = missingPackages();
        List<String> present = packages().stream().filter(p -> !missing.contains(p)).toList();
        if (missing.isEmpty() || dryRun) {
            return new Report(present, missing, dryRun);
        }
        if (!Sys.isRoot()) {
            throw new TestbedException("setup installs OS packages (" + String.join(", ", missing)
                    + ") and must run as root; try: sudo ./artcp setup (or ./artcp setup --dry-run to only look)");
        }
        String aptGet = Sys.require("apt-get", "apt");
        apt(List.of(aptGet, "-q", "-o", "DPkg::Lock::Timeout=600", "update"), aptOutput);
        List<String> install = new ArrayList<>(List.of(aptGet, "-q", "-y", "-o", "DPkg::Lock::Timeout=600", "install"));
        install.addAll(missing);
        apt(install, aptOutput);
        List<String> still = missingPackages();
        if (!still.isEmpty()) {
            throw new TestbedException("apt-get finished but these are still not installed: " + String.join(", ", still));
        }
        return new Report(present, missing, false);
    }

    private static void apt(List<String> command, Consumer<String> output) throws TestbedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().put("LC_ALL", "C");
        String last = "";
        try {
            Process p = pb.start();
            try (var reader = p.inputReader()) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.accept(line);
                    if (!line.isBlank()) {
                        last = line.strip();
                    }
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw new TestbedException("apt-get " + (command.contains("update") ? "update" : "install") + " failed (exit "
                        + rc + "): " + last + "; fix that and run ./artcp setup again");
            }
        } catch (java.io.IOException e) {
            throw new TestbedException("cannot run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while running apt-get");
        }
    }
}
