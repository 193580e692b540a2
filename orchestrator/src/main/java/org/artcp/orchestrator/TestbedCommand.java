package org.artcp.orchestrator;

import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.testbed.CpuCap;
import org.artcp.orchestrator.testbed.LinkRate;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;
import org.artcp.orchestrator.testbed.TestbedStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code ./artcp testbed …}: the local namespace testbed of DESIGN §5 (see docs/testbed.md). */
@Command(name = "testbed", mixinStandardHelpOptions = true,
        subcommands = {TestbedCommand.Up.class, TestbedCommand.Down.class, TestbedCommand.Status.class,
                TestbedCommand.Exec.class},
        description = {"The local testbed: network namespaces on one machine, as the paper's LAN.",
                "Namespaces artcp-node1..4 and artcp-client1..2 each have a veth on a bridge in artcp-lan; "
                + "addresses 198.18.0.0/24 (nodeK = .K, clientJ = .100+J, portal .10 reserved); optional tbf "
                + "link rate and per-node CPU caps. Nothing is attached to the host's own network namespace."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp testbed up                   4 nodes, 2 clients, unshaped",
                "  ./artcp testbed up --nodes 2 --clients 1 --link-rate 100mbit --node-cpu 0.5",
                "  ./artcp testbed status",
                "  ./artcp testbed exec client1 -- ping -c1 198.18.0.1",
                "  ./artcp testbed down",
                "", "Details: docs/testbed.md"})
public final class TestbedCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints {@code artcp testbed SUB: message} on stderr and returns the exit code for an expected failure. */
    static int fail(CommandSpec spec, String message) {
        spec.commandLine().getErr().println("artcp testbed " + spec.name() + ": " + message);
        spec.commandLine().getErr().flush();
        return 1;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Bring the testbed up.",
                    "Idempotent: with the settings it already has, it says so and exits 0; with other settings it "
                    + "refuses (run down first). A half-made testbed (crash during up) is torn down and rebuilt. "
                    + "Needs root, ip and ethtool (./artcp setup installs them)."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp testbed up                        full topology: 4 nodes, 2 clients",
                    "  ./artcp testbed up --nodes 2 --clients 1  a smaller one",
                    "  ./artcp testbed up --link-rate 100mbit    the paper's Fast Ethernet",
                    "  ./artcp testbed up --node-cpu 0.5         half a CPU per node",
                    "", "@|bold RATE|@ as tc reads it: 100mbit, 1gbit, 512kbit (tc's mbps = megaBYTES/s)."})
    static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        // options are read as text and checked in call(), so every bad value is one line, not a usage dump
        @Option(names = "--nodes", paramLabel = "N", description = "Node hosts, 1..4 (default: ${DEFAULT-VALUE}).")
        String nodes = Integer.toString(TestbedConfig.DEFAULT_NODES);

        @Option(names = "--clients", paramLabel = "N", description = "Client hosts, 1..2 (default: ${DEFAULT-VALUE}).")
        String clients = Integer.toString(TestbedConfig.DEFAULT_CLIENTS);

        @Option(names = "--link-rate", paramLabel = "RATE",
                description = "Shape every veth, both directions, with tbf at RATE (e.g. 100mbit). Default: unshaped.")
        String linkRate;

        @Option(names = "--node-cpu", paramLabel = "FRACTION",
                description = "Cap every process started in a node host at FRACTION of one CPU (e.g. 0.5), with cgroups.")
        String nodeCpu;

        private static int count(String option, String text) {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " '" + text + "' is not a number");
            }
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TestbedConfig config;
            try {
                config = new TestbedConfig(count("--nodes", nodes), count("--clients", clients), linkRate == null ? null : LinkRate.parse(linkRate),
                        nodeCpu == null ? null : CpuCap.parse(nodeCpu, Runtime.getRuntime().availableProcessors()));
            } catch (IllegalArgumentException e) {
                return fail(spec, e.getMessage());
            }
            try {
                Testbed.UpResult r = Testbed.up(config, line -> {
                    out.println(line);
                    out.flush();
                });
                if (r.outcome() == Testbed.UpOutcome.ALREADY_UP) {
                    out.println("testbed is already up with these settings (" + config.describe() + "); nothing to do");
                }
                out.flush();
                return 0;
            } catch (TestbedException e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = {"Tear the testbed down, leaving nothing behind.",
                    "Stops every process in its namespaces and cgroups (SIGTERM, then SIGKILL), deletes the "
                    + "namespaces, the cgroups and /run/artcp. Works after a crash too, and without the state file "
                    + "(it then finds artcp-* namespaces and artcp cgroups itself). Exits non-zero when there is "
                    + "nothing to tear down."},
            footer = {"", "@|bold Examples|@", "  ./artcp testbed down"})
    static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Consumer<String> log = line -> {
                    out.println(line);
                    out.flush();
                };
                // stop a cluster's nodes cleanly (they remove what they set up) before the namespaces go
                Optional<Cluster> cluster = Sys.isRoot() ? Cluster.loadRunning() : Optional.empty();
                if (cluster.isPresent()) {
                    cluster.get().stopLeavingTestbed(log);
                }
                Testbed.down(log);
                out.println("testbed down");
                out.flush();
                return 0;
            } catch (TestbedException e) {
                return fail(spec, e.getMessage());
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show the testbed's hosts, addresses, shaping, caps and processes.",
                    "One row per host: namespace, address, link rate, CPU cap and the processes running in it. "
                    + "Exit code 0 when up, 3 when no testbed is up, 1 when a half-made one is left (run down)."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp testbed status",
                    "  ./artcp testbed status --json | jq '.hosts[].address'"})
    static final class Status implements Callable<Integer> {
        static final int EXIT_NOT_UP = 3;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TestbedStatus status = TestbedStatus.inspect();
            out.print(json ? Testbed.toJson(status) + "\n" : status.table());
            out.flush();
            return status.up() ? 0 : status.leftovers() == null ? EXIT_NOT_UP : 1;
        }
    }

    @Command(name = "exec", mixinStandardHelpOptions = true,
            description = {"Run a command in a host of the testbed.",
                    "CMD runs in HOST's network namespace with this terminal's stdin, stdout and stderr; the exit "
                    + "code is CMD's. In a CPU-capped node CMD runs inside the node's cgroup. HOST is node1..4, "
                    + "client1..2, or lan (the bridge's namespace); namespace names such as artcp-node1 work too. "
                    + "Everything after HOST is CMD, options included; a -- before CMD is allowed and dropped."},
            footer = {"", "@|bold Examples|@",
                    "  ./artcp testbed exec node1 -- ip -br addr",
                    "  ./artcp testbed exec client1 -- ping -c1 198.18.0.2",
                    "  ./artcp testbed exec artcp-node2 -- sh -c 'cat /proc/self/cgroup'",
                    "  ./artcp testbed exec lan -- tcpdump -ni br0 -c 10"},
            modelTransformer = TestbedCommand.Exec.StopAtHost.class)
    static final class Exec implements Callable<Integer> {
        /** Everything after HOST belongs to CMD, so {@code exec node1 ping -c1 …} works even without {@code --}. */
        static final class StopAtHost implements CommandLine.IModelTransformer {
            @Override
            public CommandSpec transform(CommandSpec spec) {
                spec.parser().stopAtPositional(true);
                return spec;
            }
        }

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "HOST", description = "node1..4, client1..2, lan, or artcp-<host>.")
        String host;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
        List<String> command;

        @Override
        public Integer call() {
            // stopAtPositional hands a "--" after HOST to CMD: it only separates, so drop it
            List<String> cmd = !command.isEmpty() && command.getFirst().equals("--") ? command.subList(1, command.size()) : command;
            if (cmd.isEmpty()) {
                return fail(spec, "no command given; usage: ./artcp testbed exec HOST -- CMD…");
            }
            try {
                Testbed tb = Testbed.require();
                Process p = tb.exec(host, cmd).inheritIO().start();
                return p.waitFor();
            } catch (TestbedException e) {
                return fail(spec, e.getMessage());
            } catch (java.io.IOException e) {
                return fail(spec, "cannot run " + cmd.getFirst() + " in " + host + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
    }
}
