package org.artcp.orchestrator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.artcp.orchestrator.bench.NetpipeBench;
import org.artcp.orchestrator.testbed.LinkRate;
import org.artcp.orchestrator.testbed.Setup;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.reports.ReportRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./artcp bench …}: experiments that measure and record, one per figure of the paper. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run an experiment on the local testbed and write a results directory and its report.",
        subcommands = {BenchCommand.Netpipe.class})
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
}
