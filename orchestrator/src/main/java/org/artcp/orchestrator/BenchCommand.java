package org.artcp.orchestrator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.artcp.orchestrator.bench.DetectorBench;
import org.artcp.orchestrator.bench.FailoverBench;
import org.artcp.orchestrator.bench.MysqlBench;
import org.artcp.orchestrator.bench.NetpipeBench;
import org.artcp.orchestrator.testbed.CpuCap;
import org.artcp.orchestrator.testbed.LinkRate;
import org.artcp.orchestrator.testbed.Setup;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.reports.ReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./artcp bench …}: experiments that measure and record, one per figure of the paper. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run an experiment on the local testbed and write a results directory and its report.",
        subcommands = {BenchCommand.Netpipe.class, BenchCommand.Updates.class, BenchCommand.Reads.class,
            BenchCommand.Failover.class, BenchCommand.Detector.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The NetPIPE experiment (paper Fig. 6): plain TCP and AR-TCP clusters of 2–4 nodes. */
    @Command(name = "netpipe", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "NetPIPE sweeps on unshaped links and on 100 Mbit/s links (tbf): client1 -> node1 over plain TCP, "
                    + "with Debian's NPtcp and with netpipe-java; then NPtcp from client1 through the portal of AR-TCP "
                    + "clusters of 2, 3 and 4 nodes, best-effort and safe (each cluster warmed up first); then the "
                    + "Fig. 6 report.",
                "Installs missing packages and brings the testbed up when needed (root)."},
            footer = {"", "Examples:",
                "  ./artcp bench netpipe                                  # every series to NetPIPE's own end (8 MiB)",
                "  ./artcp bench netpipe --upto 1048576 --tools nptcp     # the run in docs/results.md (17 min here)",
                "  ./artcp bench netpipe --quick --nodes 2 --delivery best-effort --link-rates unshaped",
                "  ./artcp bench netpipe --nodes none --link-rates unshaped --tools nptcp,java --upto 1024",
                "  ./artcp bench netpipe --nodes none --pin-cpu 1         # tool vs tool on CPU 1, without placement noise",
                "", "Results: results/netpipe/<timestamp>/ and the link results/netpipe/latest;",
                "re-render with ./artcp report results/netpipe/<timestamp>."})
    static final class Netpipe implements Callable<Integer> {
        @Option(names = "--link-rates", split = ",", paramLabel = "RATE",
                defaultValue = "unshaped,100mbit", description = "Link settings to sweep: unshaped or a tc rate (default ${DEFAULT-VALUE}).")
        List<String> linkRates;

        @Option(names = "--tools", split = ",", paramLabel = "TOOL", defaultValue = "nptcp,java",
                description = "nptcp (Debian's C NPtcp) and/or java (netpipe-java) (default ${DEFAULT-VALUE}).")
        List<String> tools;

        @Option(names = "--nodes", split = ",", paramLabel = "N", defaultValue = "2,3,4",
                description = "AR-TCP cluster sizes (2 to 4), or none for plain TCP only (default ${DEFAULT-VALUE}).")
        List<String> nodes;

        @Option(names = "--delivery", split = ",", paramLabel = "MODE", defaultValue = "best-effort,safe",
                description = "AR-TCP delivery modes: best-effort (the paper's Fig. 6) and/or safe (default ${DEFAULT-VALUE}).")
        List<String> deliveries;

        @Option(names = "--upto", paramLabel = "BYTES", description = "Last message size (NetPIPE's -u); default NetPIPE's own end.")
        Long upTo;

        @Option(names = "--quick", description = "Shorthand for --upto 65536.")
        boolean quick;

        @Option(names = "--port", defaultValue = "5002", description = "TCP port of the receiver (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--results", paramLabel = "DIR", description = "Results root (default results/ in the repository).")
        Path results;

        @Option(names = "--pin-cpu", paramLabel = "CPU",
                description = "Run both ends on this one CPU (taskset): steadier tool-to-tool comparisons on a small machine.")
        Integer pinCpu;

        @Option(names = "--keep-testbed", description = "Leave the testbed up when the bench brought it up itself.")
        boolean keepTestbed;

        @Option(names = "--no-report", description = "Skip rendering the report.")
        boolean noReport;

        @Override
        public Integer call() throws Exception {
            Path home = Cli.home();
            List<LinkRate> rates = new ArrayList<>();
            for (String r : linkRates) {
                rates.add(r.equalsIgnoreCase("unshaped") || r.equalsIgnoreCase("none") ? null : LinkRate.parse(r));
            }
            List<NetpipeBench.Tool> toolList = tools.stream().map(NetpipeBench.Tool::parse).toList();
            Long end = quick ? Long.valueOf(65536) : upTo;
            if (end != null && end < 1) {
                throw new IllegalArgumentException("--upto must be at least 1 byte");
            }
            if (pinCpu != null && (pinCpu < 0 || pinCpu >= Runtime.getRuntime().availableProcessors())) {
                throw new IllegalArgumentException("--pin-cpu " + pinCpu + ": this machine has CPUs 0.."
                        + (Runtime.getRuntime().availableProcessors() - 1));
            }
            if (!Sys.isRoot()) {
                throw new IllegalStateException("the testbed needs root: run sudo ./artcp bench netpipe");
            }
            List<String> missing = Setup.missingPackages();
            if (!missing.isEmpty()) {
                System.err.println("bench: installing missing packages: " + String.join(" ", missing));
                Setup.install(false, line -> System.err.println("  " + line));
            }
            List<Integer> sizes = new ArrayList<>();
            if (!(nodes.size() == 1 && nodes.getFirst().equalsIgnoreCase("none"))) {
                for (String n : nodes) {
                    try {
                        sizes.add(Integer.parseInt(n.trim()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--nodes " + n + ": a cluster size (2 to 4) or none");
                    }
                }
            }
            Path dir = new NetpipeBench(new NetpipeBench.Plan(rates, toolList, sizes, deliveries, end, port,
                    results != null ? results : home.resolve("results"), keepTestbed, pinCpu), home, System.err).run();
            System.out.println("results: " + dir);
            if (!noReport) {
                ReportRenderer.RenderedReport report = ReportRenderer.render(dir);
                System.out.println("report:  " + report.reportHtml());
            }
            return 0;
        }
    }
    /** What {@code bench updates} and {@code bench reads} share. */
    static final class MysqlOptions {
        @Option(names = "--nodes", split = ",", paramLabel = "N", defaultValue = "1,2,3,4",
                description = "1 = the standalone baseline (one MariaDB in node1, no AR-TCP) and/or AR-TCP cluster "
                        + "sizes 2 to 4 (default ${DEFAULT-VALUE}).")
        List<Integer> nodes;

        @Option(names = "--warm-up", paramLabel = "N",
                description = "Not recorded before the measurement: updates, repetitions (default 1000, --quick 3: the node "
                        + "processes of a fresh cluster need about that many to compile their hot paths); "
                        + "reads, SELECTs per thread (default 50, --quick 5).")
        Integer warmUp;

        @Option(names = "--server-prep-stmts",
                description = "Server-side prepared statements (COM_STMT_PREPARE/EXECUTE) instead of Connector/J's "
                        + "default client-side ones, which send text queries as the paper's ODBC driver did.")
        boolean serverPrepStmts;

        @Option(names = "--quick", description = "A short run: few repetitions or loops (see each option).")
        boolean quick;

        @Option(names = "--results", paramLabel = "DIR", description = "Results root (default results/ in the repository).")
        Path results;

        @Option(names = "--keep-testbed", description = "Leave the testbed up when the bench brought it up itself.")
        boolean keepTestbed;

        @Option(names = "--no-report", description = "Skip rendering the report.")
        boolean noReport;

        CpuCap cap(String text) {
            if (text == null || text.equalsIgnoreCase("none")) {
                return null;
            }
            return CpuCap.parse(text, Runtime.getRuntime().availableProcessors());
        }

        Integer runAndReport(MysqlBench.Plan plan) throws Exception {
            if (!Sys.isRoot()) {
                throw new IllegalStateException("the testbed needs root: run sudo ./artcp bench " + plan.experiment().id);
            }
            List<String> missing = Setup.missingPackages();
            if (!missing.isEmpty()) {
                System.err.println("bench: installing missing packages: " + String.join(" ", missing));
                Setup.install(false, line -> System.err.println("  " + line));
            }
            Path dir = new MysqlBench(plan, Cli.home(), System.err).run();
            System.out.println("results: " + dir);
            if (!noReport) {
                System.out.println("report:  " + ReportRenderer.render(dir).reportHtml());
            }
            return 0;
        }

        Path resultsRoot() {
            return results != null ? results : Cli.home().resolve("results");
        }
    }

    /** Paper Fig. 7: update operations, standalone against AR-TCP clusters. */
    @Command(name = "updates", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "The five update operations of paper Fig. 7 (create table, insert, update, delete, drop table on a "
                    + "table of ten integer fields), each timed per operation over one connection from client1, R "
                    + "repetitions after a warm-up: against the standalone server (--nodes 1) and through the portal "
                    + "of AR-TCP clusters of 2, 3 and 4 nodes, best-effort and safe. Each configuration runs on a "
                    + "fresh cluster with MariaDB in every node. Then the Fig. 7 report: each operation's mean, p50 "
                    + "and p99, and the ratio to standalone against the targets best-effort <= 1.3x, safe <= 1.5x.",
                "Installs missing packages and brings the testbed up when needed (root)."},
            footer = {"", "Examples:",
                "  ./artcp bench updates                                  # every configuration, 200 repetitions",
                "  ./artcp bench updates --quick --nodes 1                # the standalone baseline, 20 repetitions",
                "  ./artcp bench updates --nodes 1,2 --delivery best-effort --repetitions 500",
                "", "Results: results/updates/<timestamp>/ and the link results/updates/latest;",
                "re-render with ./artcp report results/updates/<timestamp>."})
    static final class Updates implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MysqlOptions common;

        @Option(names = "--delivery", split = ",", paramLabel = "MODE", defaultValue = "best-effort,safe",
                description = "AR-TCP delivery modes (default ${DEFAULT-VALUE}).")
        List<String> deliveries;

        @Option(names = "--repetitions", paramLabel = "R",
                description = "Times each operation is timed (default 200, --quick 20).")
        Integer repetitions;

        @Option(names = "--node-cpu", paramLabel = "FRACTION", defaultValue = "none",
                description = "Cap every node's CPU at this fraction of one CPU, equally (default ${DEFAULT-VALUE}: "
                        + "one connection at a time leaves the CPUs mostly idle, and a CFS cap adds its throttling "
                        + "pauses to single requests).")
        String nodeCpu;

        @Override
        public Integer call() throws Exception {
            int r = repetitions != null ? repetitions : common.quick ? 20 : 200;
            int w = common.warmUp != null ? common.warmUp : common.quick ? 3 : 1000;
            MysqlBench.Plan plan;
            try {
                plan = new MysqlBench.Plan(MysqlBench.Experiment.UPDATES, common.nodes, deliveries, List.of(), List.of(),
                        1, r, w, 0, common.cap(nodeCpu), common.serverPrepStmts, common.resultsRoot(), common.keepTestbed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return common.runAndReport(plan);
        }
    }

    /** Paper Fig. 8: simultaneous SELECT threads against the cluster size. */
    @Command(name = "reads", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Simultaneous SELECT threads of paper Fig. 8: T threads, each with its own connection, each looping "
                    + "L times over one SELECT retrieving 100 rows of a pre-filled table; up to 10 threads in client1, "
                    + "more split over client1 and client2 (the paper's 10 = 1 x 10, 20 = 2 x 10, 40 = 2 x 20), "
                    + "measuring together. Against the standalone server (--nodes 1) and AR-TCP clusters of 2, 3 and 4 "
                    + "nodes with each read policy, every node's CPU capped equally so nodes behave like separate "
                    + "machines. Then the Fig. 8 report: mean response time against threads, and the speed-up over "
                    + "1 node at 40 threads against the target 0.8 x N.",
                "Installs missing packages and brings the testbed up when needed (root)."},
            footer = {"", "Examples:",
                "  ./artcp bench reads                                    # safe, rr-np and rr-p, 10/20/40 threads",
                "  ./artcp bench reads --quick --nodes 1 --threads 2      # a smoke test of the standalone baseline",
                "  ./artcp bench reads --nodes 1,2,4 --read-policy rr-np --threads 40 --node-cpu 0.25",
                "", "Results: results/reads/<timestamp>/ and the link results/reads/latest;",
                "re-render with ./artcp report results/reads/<timestamp>."})
    static final class Reads implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        MysqlOptions common;

        @Option(names = "--delivery", split = ",", paramLabel = "MODE", defaultValue = "safe",
                description = "AR-TCP delivery modes of the causal requests (default ${DEFAULT-VALUE}, the paper's Fig. 8).")
        List<String> deliveries;

        @Option(names = "--read-policy", split = ",", paramLabel = "POLICY", defaultValue = "rr-np,rr-p",
                description = "Where read-only requests go: rr-np (round-robin over the backups) and/or rr-p (the "
                        + "primary too) (default ${DEFAULT-VALUE}).")
        List<String> readPolicies;

        @Option(names = "--threads", split = ",", paramLabel = "T", defaultValue = "10,20,40",
                description = "Select thread counts (default ${DEFAULT-VALUE}).")
        List<Integer> threads;

        @Option(names = "--loops", paramLabel = "L", description = "SELECTs per thread (default 1000, --quick 50).")
        Integer loops;

        @Option(names = "--table-rows", paramLabel = "N", defaultValue = "10000",
                description = "Rows of the table the SELECTs read (default ${DEFAULT-VALUE}).")
        int tableRows;

        @Option(names = "--node-cpu", paramLabel = "FRACTION", defaultValue = "0.3",
                description = "Cap every node's CPU at this fraction of one CPU, or none (default ${DEFAULT-VALUE}: four "
                        + "nodes take 1.2 of this machine's 2 CPUs, leaving the client processes room, so the nodes, "
                        + "not the clients, limit the throughput).")
        String nodeCpu;

        @Override
        public Integer call() throws Exception {
            int l = loops != null ? loops : common.quick ? 50 : 1000;
            int w = common.warmUp != null ? common.warmUp : common.quick ? 5 : 50;
            MysqlBench.Plan plan;
            try {
                plan = new MysqlBench.Plan(MysqlBench.Experiment.READS, common.nodes, deliveries, readPolicies, threads,
                        l, 1, w, tableRows, common.cap(nodeCpu), common.serverPrepStmts, common.resultsRoot(),
                        common.keepTestbed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            return common.runAndReport(plan);
        }
    }

    /** Issue 6: crashes of each kind of node under a client load, and the client's stall. */
    @Command(name = "failover", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Kills one node per crash (the whole host, as a power cut: ./artcp cluster kill) of a fresh AR-TCP "
                    + "cluster while a client in client1 runs a load through the portal: the MySQL failover workload "
                    + "(appends to per-key lists, transactions, reads) and/or NetPIPE ping-pong. Per crash it records "
                    + "the client's stall (the longest gap between responses around the crash), its errors and "
                    + "reconnects, the history check of the appended lists, the survivors' CHECKSUM TABLEs, and the "
                    + "detection and take-over times from the survivors' logs. Then the failover report: the stall's "
                    + "p50, p99 and max per crash kind and delivery against the target p99 <= 500 ms, zero errors.",
                "Every wait has a deadline: a client that does not finish is killed and the crash recorded with its "
                    + "problem. Installs missing packages and brings the testbed up when needed (root)."},
            footer = {"", "Examples:",
                "  ./artcp bench failover                                  # 3 nodes, every kind and delivery, 20 crashes each",
                "  ./artcp bench failover --crashes 1 --kinds backup --delivery best-effort --app mysql",
                "  ./artcp bench failover --nodes 2 --kinds primary,aggregator --app netpipe",
                "", "Results: results/failover/<timestamp>/ and the link results/failover/latest (docs/failover.md);",
                "re-render with ./artcp report results/failover/<timestamp>."})
    static final class Failover implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
                description = "Cluster size, 2 to 4 (default ${DEFAULT-VALUE}; backup kills need 3 or more).")
        int nodes;

        @Option(names = "--delivery", split = ",", paramLabel = "MODE", defaultValue = "best-effort,safe",
                description = "Delivery modes (default ${DEFAULT-VALUE}).")
        List<String> deliveries;

        @Option(names = "--kinds", split = ",", paramLabel = "KIND", defaultValue = "primary,aggregator,backup",
                description = "Which node dies: primary, aggregator (the backup aggregating the most connections), "
                        + "backup (another backup) (default ${DEFAULT-VALUE}).")
        List<String> kinds;

        @Option(names = "--crashes", paramLabel = "N", defaultValue = "20",
                description = "Crashes per app, kind and delivery, each on a fresh cluster (default ${DEFAULT-VALUE}).")
        int crashes;

        @Option(names = "--app", split = ",", paramLabel = "APP", defaultValue = "mysql,netpipe",
                description = "The client load: mysql (the failover workload against MariaDB in every node), netpipe "
                        + "(1-byte ping-pong with NPtcp in every node), or both (= mysql,netpipe) as separate series, "
                        + "each on its own clusters (default ${DEFAULT-VALUE}).")
        List<String> apps;

        @Option(names = "--warm-up-ms", paramLabel = "MS", defaultValue = "3000",
                description = "Load after the client is ready, before the kill (default ${DEFAULT-VALUE}).")
        int warmUpMs;

        @Option(names = "--after-kill-ms", paramLabel = "MS", defaultValue = "5000",
                description = "Load after the kill, before the client stops; also the stall's window on each side of "
                        + "the kill (default ${DEFAULT-VALUE}).")
        int afterKillMs;

        @Option(names = "--append-threads", paramLabel = "N", defaultValue = "2",
                description = "MySQL: append threads (default ${DEFAULT-VALUE}).")
        int appendThreads;

        @Option(names = "--read-threads", paramLabel = "N", defaultValue = "2",
                description = "MySQL: read threads (default ${DEFAULT-VALUE}).")
        int readThreads;

        @Option(names = "--op-timeout-ms", paramLabel = "MS", defaultValue = "10000",
                description = "MySQL: a client operation that waits longer fails, as an error (default ${DEFAULT-VALUE}).")
        int opTimeoutMs;

        @Option(names = "--heartbeat-ms", paramLabel = "MS", description = "The nodes' heartbeat (default: the cluster's).")
        Integer heartbeatMs;

        @Option(names = "--failure-timeout-ms", paramLabel = "MS",
                description = "The nodes' failure timeout (default: the cluster's).")
        Integer failureTimeoutMs;

        @Option(names = "--results", paramLabel = "DIR", description = "Results root (default results/ in the repository).")
        Path results;

        @Option(names = "--keep-testbed", description = "Leave the testbed up when the bench brought it up itself.")
        boolean keepTestbed;

        @Option(names = "--no-report", description = "Skip rendering the report.")
        boolean noReport;

        @Override
        public Integer call() throws Exception {
            FailoverBench.Plan plan;
            try {
                plan = new FailoverBench.Plan(nodes, deliveries, kinds, crashes, apps, warmUpMs, afterKillMs, appendThreads,
                        readThreads, opTimeoutMs, heartbeatMs, failureTimeoutMs,
                        results != null ? results : Cli.home().resolve("results"), keepTestbed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!Sys.isRoot()) {
                throw new IllegalStateException("the testbed needs root: run sudo ./artcp bench failover");
            }
            List<String> missing = Setup.missingPackages();
            if (!missing.isEmpty()) {
                System.err.println("bench: installing missing packages: " + String.join(" ", missing));
                Setup.install(false, line -> System.err.println("  " + line));
            }
            Path dir = new FailoverBench(plan, Cli.home(), System.err).run();
            System.out.println("results: " + dir);
            if (!noReport) {
                System.out.println("report:  " + ReportRenderer.render(dir).reportHtml());
            }
            return 0;
        }
    }

    /** The failure detector's trade-off: false suspicions under load against detection time, per timeout. */
    @Command(name = "detector", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "For each failure timeout: rounds of a fresh 3-node cluster (--app none, best-effort) on a loaded "
                    + "machine (a busy-loop CPU hog pinned to each core in the client namespaces, and back-to-back NPtcp "
                    + "runs from client2 through the portal to an NPtcp receiver in every node host). Each round waits "
                    + "out the nodes' 10 s start-up grace, counts the membership changes the nodes log during the soak "
                    + "(false suspicions: nothing was injected), then kills a backup (./artcp cluster kill: node3, node2 "
                    + "in turn) and takes the detection time: the first survivor's membership line minus the kill "
                    + "instant. Prints a table per timeout.",
                "About 20 s + SOAK per round; the defaults take about 13 min. Needs root."},
            footer = {"", "Examples:",
                "  ./artcp bench detector                                 # 50,100,150,250,500 ms; 3 rounds of 30 s each",
                "  ./artcp bench detector --timeouts 100,250 --kills 5 --soak 60",
                "  ./artcp bench detector --timeouts 250 --kills 1 --soak 0 --no-load   # a smoke test",
                "", "Results: results/detector/<timestamp>/ (config.json, env.json, rounds.csv, suspicions.csv,",
                "summary.json, table.txt, the clusters' node logs, report.html) and the link results/detector/latest."})
    static final class Detector implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--timeouts", split = ",", paramLabel = "MS", defaultValue = "50,100,150,250,500",
                description = "Failure timeouts to measure, ms (default ${DEFAULT-VALUE}).")
        List<Integer> timeouts;

        @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "10",
                description = "Heartbeat interval of every round (default ${DEFAULT-VALUE}).")
        int heartbeatMs;

        @Option(names = "--soak", paramLabel = "SECONDS", defaultValue = "30",
                description = "Per round: seconds the loaded cluster runs without a fault (default ${DEFAULT-VALUE}).")
        int soak;

        @Option(names = "--kills", paramLabel = "N", defaultValue = "3",
                description = "Rounds per timeout, one backup killed in each (default ${DEFAULT-VALUE}).")
        int kills;

        @Option(names = "--no-load", description = "No CPU hogs and no NetPIPE traffic: the idle machine.")
        boolean noLoad;

        @Option(names = "--results", paramLabel = "DIR", description = "Results root (default results/ in the repository).")
        Path results;

        @Option(names = "--keep-testbed", description = "Leave the testbed up when the bench brought it up itself.")
        boolean keepTestbed;

        @Option(names = "--no-report", description = "Skip rendering the report (the failure detector page).")
        boolean noReport;

        @Override
        public Integer call() throws Exception {
            DetectorBench.Plan plan;
            try {
                plan = new DetectorBench.Plan(timeouts, heartbeatMs, soak, kills, !noLoad,
                        results != null ? results : Cli.home().resolve("results"), keepTestbed);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!Sys.isRoot()) {
                throw new IllegalStateException("the testbed needs root: run sudo ./artcp bench detector");
            }
            Path dir = new DetectorBench(plan, Cli.home(), System.err).run();
            System.out.println("results: " + dir);
            if (!noReport) {
                System.out.println("report:  " + ReportRenderer.render(dir).reportHtml());
            }
            return 0;
        }
    }
}
