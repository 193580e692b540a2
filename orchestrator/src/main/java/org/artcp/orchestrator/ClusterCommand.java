package org.artcp.orchestrator;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.artcp.orchestrator.cluster.ChecksumReport;
import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.cluster.ClusterException;
import org.artcp.orchestrator.cluster.ClusterSpec;
import org.artcp.orchestrator.cluster.ClusterStatusReport;
import org.artcp.orchestrator.cluster.FaultState;
import org.artcp.orchestrator.cluster.Faults;
import org.artcp.orchestrator.cluster.NodeView;
import org.artcp.orchestrator.cluster.ReplicaView;
import org.artcp.orchestrator.testbed.Sys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./artcp cluster …}: an AR-TCP cluster on the local testbed (see docs/cluster.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class,
                ClusterCommand.Sql.class, ClusterCommand.Checksum.class, ClusterCommand.Kill.class,
                ClusterCommand.Pause.class, ClusterCommand.Resume.class, ClusterCommand.Cut.class, ClusterCommand.Heal.class,
                ClusterCommand.Loss.class},
        description = {"Run an AR-TCP cluster on the local testbed: a node process and a server in each of node1..N.",
                "State in /run/artcp/cluster.json, node status files in /run/artcp/cluster/, MariaDB data in "
                + "/run/artcp/mysql/, configs and logs in results/cluster/<timestamp>/."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp cluster start --nodes 2 --delivery best-effort --app netpipe",
                "  ./artcp cluster status",
                "  ./artcp testbed exec client1 -- NPtcp -h 198.18.0.10      NetPIPE through the portal",
                "  ./artcp cluster stop",
                "  ./artcp cluster start --nodes 3 --delivery safe --app mysql",
                "  ./artcp testbed exec client1 -- mariadb -h 198.18.0.10 -u artcp artcp -e 'SELECT 1'",
                "  ./artcp cluster sql node2 'SHOW TABLES'                   one replica, through its socket",
                "  ./artcp cluster checksum                                  are the replicas identical?",
                "  ./artcp cluster kill node2                                power cut: node, servers and link",
                "  ./artcp cluster loss node3 5                              5 percent of node3's frames dropped each way",
                "", "Details: docs/cluster.md"})
public final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static Consumer<String> printer(CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        return line -> {
            out.println(line);
            out.flush();
        };
    }

    @Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Start a cluster of N nodes on the testbed.",
                    "Brings up the default testbed (4 nodes, 2 clients) when none is up, and then takes it down again "
                    + "on cluster stop. Writes nodeK.properties, nodeK.log and nptcp-nodeK.log to a new run directory, "
                    + "starts NPtcp and the node in each node host, and waits until every node's status says ready "
                    + "(20 s). With --app mysql: one MariaDB per node host, identical data directories in "
                    + "/run/artcp/mysql/, listening on 198.18.0.10:3306 once the nodes are ready. --nodes 1 is the "
                    + "standalone baseline: the application on node1 alone, no AR-TCP, 198.18.0.10 on node1's eth0. "
                    + "Idempotent with the settings it already runs; refused with others (cluster stop first). "
                    + "Needs root."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp cluster start --nodes 2 --delivery best-effort --app netpipe",
                    "  ./artcp cluster start --nodes 4 --delivery safe --app netpipe --read-policy rr-p",
                    "  ./artcp cluster start --nodes 3 --delivery safe --app netpipe --results /tmp/runs",
                    "  ./artcp cluster start --nodes 4 --delivery safe --app mysql --db-password secret",
                    "  ./artcp cluster start --nodes 1 --delivery safe --app mysql        standalone MariaDB baseline"})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", required = true, paramLabel = "N",
                description = "Number of nodes, 1..4 (node1..nodeN); 1: the application alone, without AR-TCP.")
        int nodes;

        @Option(names = "--delivery", required = true, paramLabel = "MODE", description = "best-effort or safe (paper §4.1).")
        String delivery;

        @Option(names = "--app", required = true, paramLabel = "APP",
                description = "The server in each node host: netpipe (Debian's NPtcp receiver, port 5002), mysql "
                        + "(MariaDB, port 3306), or none (start your own, e.g. with ./artcp testbed exec node1 -- …).")
        String app;

        @Option(names = "--db-name", paramLabel = "NAME", description = "mysql: the benchmark database (default artcp).")
        String dbName;

        @Option(names = "--db-user", paramLabel = "USER",
                description = "mysql: the account with ALL on the database, from any host (default artcp).")
        String dbUser;

        @Option(names = "--db-password", paramLabel = "PASSWORD",
                description = "mysql: its password, mysql_native_password (default: none).")
        String dbPassword;

        @Option(names = "--nondeterministic", paramLabel = "POLICY",
                description = "mysql: refuse (default) or warn, for updates whose result may differ between replicas.")
        String nondeterministic;

        @Option(names = "--sql-policy", paramLabel = "FILE",
                description = "mysql: the nodes' SQL policy additions (copied to the run directory).")
        Path sqlPolicy;

        @Option(names = "--read-policy", paramLabel = "POLICY", defaultValue = "rr-np",
                description = "rr-np (read-only requests to the non-primaries) or rr-p (primary included); default ${DEFAULT-VALUE}.")
        String readPolicy;

        @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "" + ClusterSpec.DEFAULT_HEARTBEAT_MS,
                description = "How often each node sends a heartbeat to its peers (default ${DEFAULT-VALUE}).")
        int heartbeatMs;

        @Option(names = "--failure-timeout-ms", paramLabel = "MS", defaultValue = "" + ClusterSpec.DEFAULT_FAILURE_TIMEOUT_MS,
                description = "Silence after which a node excludes a peer; more than --heartbeat-ms (default "
                        + "${DEFAULT-VALUE}).")
        int failureTimeoutMs;

        @Option(names = "--results", paramLabel = "DIR", description = "Results root (default results/ in the repository).")
        Path results;

        @Override
        public Integer call() throws Exception {
            ClusterSpec clusterSpec;
            try {
                boolean anyMysqlOption = dbName != null || dbUser != null || dbPassword != null || nondeterministic != null
                        || sqlPolicy != null;
                ClusterSpec.MysqlOptions mysql = null;
                if ("mysql".equals(app) || anyMysqlOption) {
                    ClusterSpec.MysqlOptions d = ClusterSpec.MysqlOptions.defaults();
                    if (sqlPolicy != null && !Files.isRegularFile(sqlPolicy)) {
                        throw new IllegalArgumentException("--sql-policy " + sqlPolicy + ": no such file");
                    }
                    mysql = new ClusterSpec.MysqlOptions(dbName != null ? dbName : d.dbName(),
                            dbUser != null ? dbUser : d.user(), dbPassword != null ? dbPassword : d.password(),
                            nondeterministic != null ? nondeterministic : d.nondeterministic(),
                            sqlPolicy == null ? null : sqlPolicy.toAbsolutePath().toString());
                }
                clusterSpec = new ClusterSpec(nodes, delivery, readPolicy, app, mysql, heartbeatMs, failureTimeoutMs);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Consumer<String> out = printer(spec);
            Cluster.UpResult r = Cluster.up(clusterSpec, results != null ? results : Cli.home().resolve("results"), out);
            if (r.outcome() == Cluster.UpOutcome.ALREADY_UP) {
                out.accept("cluster is already up with these settings (" + clusterSpec.describe() + "); nothing to do");
            } else {
                out.accept("cluster up: " + clusterSpec.describe() + "; run dir " + r.cluster().runDir()
                        + "; ./artcp cluster status shows it");
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop the cluster.",
                    "SIGTERM to every node, up to 5 s to exit (each writes a final status saying stopped), SIGKILL to "
                    + "survivors, then the servers. Removes /run/artcp/cluster.json and /run/artcp/cluster/ (final "
                    + "statuses are kept as nodeK.status.json in the run directory) and takes the testbed down if "
                    + "cluster start brought it up. Without a cluster it says so and exits 0."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster stop"})
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Consumer<String> out = printer(spec);
            var running = Cluster.loadRunning();
            if (running.isEmpty()) {
                out.accept("no cluster is up");
                return 0;
            }
            running.get().stop(out);
            out.accept("cluster stopped; logs in " + running.get().runDir());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show each node: rank, role, term, primary, live ranks, ordering numbers, connections, counters.",
                    "Read from the nodes' status files. STATE is ready, starting, stale (status older than 2 s), "
                    + "no status, stopped, dead (the process is gone), or standalone (--nodes 1: no node process). With "
                    + "--app mysql, DB says whether each replica answers on its socket (up, down, dead) and DBPID is "
                    + "its server. Exit code 0 when a cluster is up, 3 when none is."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp cluster status",
                    "  ./artcp cluster status --json | jq '.nodes[] | {host, role, term}'"})
    static final class Status implements Callable<Integer> {
        static final int EXIT_NOT_UP = 3;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON document instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            var running = Cluster.loadRunning();
            if (running.isEmpty()) {
                out.println(json ? "{\"settings\": null, \"nodes\": []}" : "no cluster is up");
                out.flush();
                return EXIT_NOT_UP;
            }
            List<NodeView> views = running.get().statuses();
            List<ReplicaView> replicas = running.get().replicas();
            out.print(json ? ClusterStatusReport.json(running.get().state(), views, replicas) + "\n"
                    : ClusterStatusReport.table(running.get().state(), views, replicas));
            out.flush();
            return 0;
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = {"Run SQL on one replica, through its unix socket (outside AR-TCP).",
                    "As root, in the benchmark database, on NODE's MariaDB; prints the result tab-separated with a header "
                    + "line, as mariadb -B does. A server error is one line and exit 1. Needs --app mysql and root."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp cluster sql node2 'SELECT 1'",
                    "  ./artcp cluster sql node1 'CREATE TABLE t (id INT PRIMARY KEY, v INT)'",
                    "  ./artcp cluster sql --skip-column-names node3 'SELECT COUNT(*) FROM t'"})
    static final class Sql implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NODE", description = "node1..node4")
        String node;

        @Parameters(index = "1", paramLabel = "SQL", description = "One or more statements (separated by ;)")
        String sql;

        @Option(names = {"-N", "--skip-column-names"}, description = "No header line.")
        boolean skipColumnNames;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Cluster running = requireRunning();
            running.replicaSql(node, sql, !skipColumnNames).forEach(out::println);
            out.flush();
            return 0;
        }
    }

    @Command(name = "checksum", mixinStandardHelpOptions = true,
            description = {"CHECKSUM TABLE of every base table of the benchmark database, on every replica.",
                    "Prints one row per table and one column per replica, then a verdict. Exit code 0 when every replica "
                    + "has the same tables with the same checksums, 1 (with a line naming the tables that differ) when "
                    + "not. Take it when no client writes, or the replicas may be at different points. Needs --app mysql "
                    + "and root."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster checksum"})
    static final class Checksum implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            ChecksumReport report = requireRunning().checksums();
            out.print(report.table());
            out.flush();
            if (!report.identical()) {
                spec.commandLine().getErr().println("artcp cluster checksum: " + report.verdict());
                spec.commandLine().getErr().flush();
                return 1;
            }
            out.println(report.verdict());
            out.flush();
            return 0;
        }
    }

    /** What the fault commands share: the node they act on, and how they say what they did. */
    abstract static class FaultCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NODE", description = "node1..node4")
        String node;

        /** Acts and returns the line to print. */
        abstract String act() throws ClusterException;

        @Override
        public Integer call() throws Exception {
            printer(spec).accept(act());
            return 0;
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = {"Kill a node host at once, as a power cut.",
                    "Its link goes down at the bridge port, then SIGKILL to its AR-TCP node and every other process in "
                    + "its namespace (MariaDB, NPtcp). The node stays down: cluster status shows it killed, and cluster "
                    + "stop (or testbed down) cleans up. Prints the instant (UTC) right before the link went down."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster kill node2"})
    static final class Kill extends FaultCommand {
        @Override
        String act() throws ClusterException {
            return "killed " + node + " (link down, node and every process in its namespace SIGKILLed) at "
                    + Faults.kill(node);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = {"SIGSTOP a node's AR-TCP process (its server keeps running); resume sends SIGCONT.",
                    "Prints the instant (UTC) right before the signal."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster pause node3; sleep 0.05; ./artcp cluster resume node3"})
    static final class Pause extends FaultCommand {
        @Override
        String act() throws ClusterException {
            return "paused " + node + " (SIGSTOP to its node process) at " + Faults.pause(node);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"SIGCONT a node's AR-TCP process (after cluster pause).",
                    "Prints the instant (UTC) right before the signal."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster resume node3"})
    static final class Resume extends FaultCommand {
        @Override
        String act() throws ClusterException {
            return "resumed " + node + " (SIGCONT to its node process) at " + Faults.resume(node);
        }
    }

    @Command(name = "cut", mixinStandardHelpOptions = true,
            description = {"Take a node host's link down at its bridge port; its processes keep running.",
                    "heal brings it up again. Prints the instant (UTC) right before the change."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster cut node2"})
    static final class Cut extends FaultCommand {
        @Override
        String act() throws ClusterException {
            return "cut " + node + " (its bridge port down) at " + Faults.cut(node);
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = {"Bring a node host's link up again (after cluster cut).",
                    "Prints the instant (UTC) right before the change."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster heal node2"})
    static final class Heal extends FaultCommand {
        @Override
        String act() throws ClusterException {
            return "healed " + node + " (its bridge port up) at " + Faults.heal(node);
        }
    }

    @Command(name = "loss", mixinStandardHelpOptions = true,
            description = {"Drop a percentage of the frames to and from a node host, at random, each direction.",
                    "nftables' numgen random on the bridge's forward hook (unicast, broadcast and multicast alike), in "
                    + "table bridge " + Faults.LOSS_TABLE + " of the bridge's namespace; resolution 0.01 percent. 0 removes "
                    + "the rules. Prints the instant (UTC) right before the rules changed."},
            footer = {"", "@|bold Examples|@", "  ./artcp cluster loss node3 5", "  ./artcp cluster loss node3 0"})
    static final class Loss extends FaultCommand {
        @Parameters(index = "1", paramLabel = "PERCENT", description = "0 (none) to 100")
        double percent;

        @Override
        String act() throws ClusterException {
            Instant at = Faults.loss(node, percent);
            return (percent == 0 ? "loss on " + node + " removed" : "loss on " + node + ": "
                    + Cluster.loadRunning().map(c -> {
                        try {
                            return c.member(node).faultState().lossPercent();
                        } catch (ClusterException e) {
                            return percent;
                        }
                    }).map(p -> FaultState.percentLabel(p)).orElse("?") + "% of the frames each way") + " at " + at;
        }
    }

    private static Cluster requireRunning() throws ClusterException {
        if (!Sys.isRoot()) {
            throw new ClusterException("must run as root (the replicas' sockets authenticate root by its uid); "
                    + "try: sudo ./artcp cluster …");
        }
        return Cluster.loadRunning().orElseThrow(() -> new ClusterException(
                "no cluster is up; start one with ./artcp cluster start --app mysql …"));
    }
}
