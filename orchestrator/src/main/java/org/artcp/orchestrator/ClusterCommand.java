package org.artcp.orchestrator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.cluster.ClusterSpec;
import org.artcp.orchestrator.cluster.ClusterStatusReport;
import org.artcp.orchestrator.cluster.NodeView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./artcp cluster …}: an AR-TCP cluster on the local testbed (see docs/cluster.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class},
        description = {"Run an AR-TCP cluster on the local testbed: a node process and a server in each of node1..N.",
                "State in /run/artcp/cluster.json, node status files in /run/artcp/cluster/, configs and logs in "
                + "results/cluster/<timestamp>/."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp cluster start --nodes 2 --delivery best-effort --app netpipe",
                "  ./artcp cluster status",
                "  ./artcp testbed exec client1 -- NPtcp -h 198.18.0.10      NetPIPE through the portal",
                "  ./artcp cluster stop",
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
                    + "(20 s). Idempotent with the settings it already runs; refused with others (cluster stop first). "
                    + "Needs root."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp cluster start --nodes 2 --delivery best-effort --app netpipe",
                    "  ./artcp cluster start --nodes 4 --delivery safe --app netpipe --read-policy rr-p",
                    "  ./artcp cluster start --nodes 3 --delivery safe --app netpipe --results /tmp/runs"})
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", required = true, paramLabel = "N", description = "Number of nodes, 2..4 (node1..nodeN).")
        int nodes;

        @Option(names = "--delivery", required = true, paramLabel = "MODE", description = "best-effort or safe (paper §4.1).")
        String delivery;

        @Option(names = "--app", required = true, paramLabel = "APP",
                description = "The server in each node host: netpipe (Debian's NPtcp receiver, port 5002), or none "
                        + "(start your own, e.g. with ./artcp testbed exec node1 -- …).")
        String app;

        @Option(names = "--read-policy", paramLabel = "POLICY", defaultValue = "rr-np",
                description = "rr-np (read-only requests to the non-primaries) or rr-p (primary included); default ${DEFAULT-VALUE}.")
        String readPolicy;

        @Option(names = "--results", paramLabel = "DIR", description = "Results root (default results/ in the repository).")
        Path results;

        @Override
        public Integer call() throws Exception {
            ClusterSpec clusterSpec;
            try {
                clusterSpec = new ClusterSpec(nodes, delivery, readPolicy, app);
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
                    + "no status, stopped, or dead (the process is gone). Exit code 0 when a cluster is up, 3 when none is."},
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
            out.print(json ? ClusterStatusReport.json(running.get().state(), views) + "\n"
                    : ClusterStatusReport.table(running.get().state(), views));
            out.flush();
            return 0;
        }
    }
}
