package org.artcp.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.artcp.netpipe.NpOut;
import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.cluster.ClusterException;
import org.artcp.orchestrator.cluster.ClusterSpec;
import org.artcp.orchestrator.cluster.NodeView;
import org.artcp.orchestrator.testbed.LinkRate;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * The NetPIPE experiment of paper Fig. 6 on the local testbed: for every link setting and every
 * tool, a receiver in node1 and a transmitter in client1, the raw {@code np.out} kept, and one
 * {@code summary.json} built from the files (docs/results-format.md). Then, per link setting, the
 * AR-TCP series: for each delivery mode and cluster size N, a cluster of N nodes on node1..N
 * ({@link Cluster}), an {@code NPtcp} receiver in each node host, and the C {@code NPtcp} transmitter
 * in client1 against the portal IP.
 */
public final class NetpipeBench {
    /** The NetPIPE implementation on both ends of a series. */
    public enum Tool {
        /** Debian's {@code NPtcp} 3.7.2, the C reference. */
        NPTCP("nptcp", "NPtcp"),
        /** Our port, {@code ./artcp netpipe}. */
        JAVA("java", "netpipe-java");

        final String id;
        final String label;

        Tool(String id, String label) {
            this.id = id;
            this.label = label;
        }

        /** Parses {@code nptcp} or {@code java}. */
        public static Tool parse(String text) {
            for (Tool t : values()) {
                if (t.id.equalsIgnoreCase(text) || t.label.equalsIgnoreCase(text)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown tool '" + text + "': use nptcp or java");
        }
    }

    /**
     * What to run. {@code linkRates} holds null for an unshaped link; {@code upTo} null for NetPIPE's default end;
     * {@code keepTestbed} leaves a testbed that the bench brought up running; {@code pinCpu}, when not null,
     * runs both ends on that one CPU (taskset), which takes the scheduler's cross-CPU wake-ups out of the
     * comparison of two tools.
     */
    public record Plan(List<LinkRate> linkRates, List<Tool> tools, List<Integer> clusterSizes, List<String> deliveries,
            Long upTo, int port, Path resultsRoot, boolean keepTestbed, Integer pinCpu) {
        public Plan {
            linkRates = java.util.Collections.unmodifiableList(new ArrayList<>(linkRates));
            tools = List.copyOf(tools);
            clusterSizes = List.copyOf(clusterSizes);
            deliveries = List.copyOf(deliveries);
            for (int n : clusterSizes) {
                if (n < ClusterSpec.MIN_NODES || n > ClusterSpec.MAX_NODES) {
                    throw new IllegalArgumentException("--nodes " + n + ": an AR-TCP cluster has " + ClusterSpec.MIN_NODES
                            + " to " + ClusterSpec.MAX_NODES + " nodes");
                }
            }
            for (String d : deliveries) {
                if (!ClusterSpec.DELIVERIES.contains(d)) {
                    throw new IllegalArgumentException("--delivery " + d + ": use best-effort or safe");
                }
            }
        }

        /** The testbed the plan needs when none is up: the largest cluster's nodes (node1 for plain TCP) and client1. */
        TestbedConfig ownTestbed() {
            int nodes = clusterSizes.isEmpty() || deliveries.isEmpty() ? 1
                    : clusterSizes.stream().mapToInt(Integer::intValue).max().orElse(1);
            return new TestbedConfig(nodes, 1, null, null);
        }

        int seriesCount() {
            return linkRates.size() * (tools.size() + (deliveries.isEmpty() ? 0 : clusterSizes.size() * deliveries.size()));
        }
    }

    /** The portal IP the clients connect to (DESIGN §5). */
    static final String PORTAL = "198.18.0.10";
    static final String RECEIVER_HOST = "node1";
    static final String TRANSMITTER_HOST = "client1";
    private static final long RECEIVER_READY_TIMEOUT_MS = 60_000;
    private static final long SERIES_TIMEOUT_MS = 40 * 60_000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Plan plan;
    private final Path repo;
    private final PrintStream progress;

    public NetpipeBench(Plan plan, Path repo, PrintStream progress) {
        this.plan = plan;
        this.repo = repo;
        this.progress = progress;
    }

    /** Runs every series and returns the results directory. */
    public Path run() throws IOException, TestbedException, InterruptedException {
        Instant started = Instant.now();
        return BenchTestbed.run(plan.ownTestbed(), plan.keepTestbed(), progress, testbed -> run(testbed, started));
    }

    private Path run(Testbed testbed, Instant started) throws IOException, TestbedException, InterruptedException {
        LinkRate originalRate = testbed.config().linkRate();
        Path dir = ResultsDirectory.create(plan.resultsRoot(), "netpipe", started);
        progress.println("bench: results go to " + dir);

        Map<String, Object> env = Environment.capture(repo);
        env.put("started", started.toString());
        env.put("testbed", testbed.config().describe());
        List<Map<String, Object>> series = new ArrayList<>();
        List<Map<String, Object>> configSeries = new ArrayList<>();
        int total = plan.seriesCount();
        int index = 0;
        if (!plan.deliveries().isEmpty() && !plan.clusterSizes().isEmpty()) {
            int largest = plan.clusterSizes().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (testbed.nodes().size() < largest) {
                throw new TestbedException("the testbed that is up has " + testbed.nodes().size() + " node(s); a "
                        + largest + "-node cluster needs " + largest + ": run ./artcp testbed down first, or pass --nodes");
            }
            if (Cluster.loadRunning().isPresent()) {
                throw new TestbedException("a cluster is up: run ./artcp cluster stop first (the bench starts its own)");
            }
        }
        try {
            for (LinkRate rate : plan.linkRates()) {
                testbed = testbed.withLinkRate(rate);
                String link = rate == null ? "unshaped" : rate.toString();
                for (Tool tool : plan.tools()) {
                    index++;
                    String id = "plain-" + tool.id + "-" + link;
                    progress.printf("bench: series %d/%d: %s (%s over plain TCP, %s link)%n", index, total, id,
                            tool.label, link);
                    Map<String, Object> s = runSeries(testbed, dir, id, tool, link, null);
                    series.add(s);
                    configSeries.add(Map.of("id", id, "receiver", s.get("receiverCommand"),
                            "transmitter", s.get("command")));
                }
                for (String delivery : plan.deliveries()) {
                    for (int n : plan.clusterSizes()) {
                        index++;
                        String id = "artcp" + n + "-" + (delivery.equals("safe") ? "safe" : "be") + "-nptcp-" + link;
                        progress.printf("bench: series %d/%d: %s (NPtcp through a %d-node AR-TCP cluster, %s, %s link)%n",
                                index, total, id, n, delivery, link);
                        Map<String, Object> s = runSeries(testbed, dir, id, Tool.NPTCP, link,
                                new ClusterSpec(n, delivery, "rr-np", "none"));
                        series.add(s);
                        configSeries.add(Map.of("id", id, "receiver", s.get("receiverCommand"),
                                "transmitter", s.get("command"), "cluster", s.get("cluster")));
                    }
                }
            }
        } finally {
            testbed.withLinkRate(originalRate);
        }
        Instant finished = Instant.now();
        env.put("finished", finished.toString());
        env.put("linkRates", plan.linkRates().stream().map(r -> r == null ? "unshaped" : r.toString()).toList());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "netpipe");
        config.put("command", "./artcp bench netpipe " + describeOptions());
        config.put("tools", plan.tools().stream().map(t -> t.label).toList());
        config.put("upToBytes", plan.upTo());
        config.put("port", plan.port());
        config.put("pinCpu", plan.pinCpu());
        config.put("clusterSizes", plan.clusterSizes());
        config.put("deliveries", plan.deliveries());
        config.put("receiverHost", RECEIVER_HOST + " (" + testbed.host(RECEIVER_HOST).address() + "), "
                + "or node1..N behind the portal " + PORTAL + " for AR-TCP series");
        config.put("transmitterHost", TRANSMITTER_HOST + " (" + testbed.host(TRANSMITTER_HOST).address() + ")");
        config.put("series", configSeries);

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", "netpipe");
        summary.put("started", started.toString());
        summary.put("finished", finished.toString());
        summary.put("series", series);

        JSON.writeValue(dir.resolve("env.json").toFile(), env);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        ResultsDirectory.markLatest(dir);
        return dir;
    }

    private String describeOptions() {
        StringBuilder sb = new StringBuilder();
        sb.append("--link-rates ").append(String.join(",",
                plan.linkRates().stream().map(r -> r == null ? "unshaped" : r.toString()).toList()));
        sb.append(" --tools ").append(String.join(",", plan.tools().stream().map(t -> t.id).toList()));
        sb.append(" --nodes ").append(plan.deliveries().isEmpty() || plan.clusterSizes().isEmpty() ? "none"
                : String.join(",", plan.clusterSizes().stream().map(String::valueOf).toList()));
        if (!plan.deliveries().isEmpty() && !plan.clusterSizes().isEmpty()) {
            sb.append(" --delivery ").append(String.join(",", plan.deliveries()));
        }
        if (plan.upTo() != null) {
            sb.append(" --upto ").append(plan.upTo());
        }
        if (plan.pinCpu() != null) {
            sb.append(" --pin-cpu ").append(plan.pinCpu());
        }
        return sb.toString();
    }

    /**
     * One series: over plain TCP ({@code cluster} null: a receiver in node1) or through an AR-TCP cluster
     * of {@code cluster} (a receiver in each of its node hosts, the transmitter against the portal IP).
     */
    private Map<String, Object> runSeries(Testbed testbed, Path dir, String id, Tool tool, String link, ClusterSpec cluster)
            throws IOException, TestbedException, InterruptedException {
        Path seriesDir = dir.resolve(id);
        Files.createDirectories(seriesDir);
        Path npOut = seriesDir.resolve("np.out");
        List<String> receiverHosts = cluster == null ? List.of(RECEIVER_HOST)
                : testbed.nodes().subList(0, cluster.nodes()).stream().map(h -> h.name()).toList();
        String target = cluster == null ? testbed.host(RECEIVER_HOST).address() : PORTAL;
        List<String> receiverArgs = receiverArgs();
        List<String> transmitterArgs = transmitterArgs(target, npOut);
        List<String> receiverCmd = pinned(command(tool, "recv", receiverArgs));
        List<String> transmitterCmd = pinned(command(tool, "send", transmitterArgs));

        Cluster running = null;
        List<Process> receivers = new ArrayList<>();
        Map<String, Object> clusterInfo = null;
        try {
            if (cluster != null) {
                try {
                    running = Cluster.start(testbed, cluster, seriesDir.resolve("cluster"),
                            line -> progress.println("  " + line));
                } catch (ClusterException e) {
                    throw new IOException(id + ": " + e.getMessage(), e);
                }
            }
            if (cluster != null) {
                warmUp(testbed, seriesDir, id, receiverHosts);
            }
            for (String host : receiverHosts) {
                Path log = seriesDir.resolve(receiverHosts.size() == 1 ? "receiver.log" : "receiver-" + host + ".log");
                Process receiver = testbed.spawn(host, receiverCmd, log);
                receivers.add(receiver);
                awaitListening(testbed, host, receiver, log);
            }
            Process transmitter = testbed.exec(TRANSMITTER_HOST, transmitterCmd).redirectErrorStream(true).start();
            transmitter.getOutputStream().close();
            relayProgress(transmitter, seriesDir.resolve("transmitter.log"), id);
            if (!transmitter.waitFor(SERIES_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                transmitter.destroyForcibly();
                throw new IOException(id + ": the transmitter did not finish in " + SERIES_TIMEOUT_MS / 60_000
                        + " minutes; see " + seriesDir.resolve("transmitter.log"));
            }
            if (transmitter.exitValue() != 0) {
                throw new IOException(id + ": the transmitter failed (exit " + transmitter.exitValue() + "): "
                        + lastLine(seriesDir.resolve("transmitter.log")) + " — see " + seriesDir);
            }
            for (Process receiver : receivers) {
                if (!receiver.waitFor(30, TimeUnit.SECONDS)) {
                    progress.println("bench: " + id + ": a receiver did not exit after the sweep; stopping it");
                }
            }
            if (running != null) {
                clusterInfo = clusterInfo(running);
            }
        } finally {
            for (Process receiver : receivers) {
                stop(receiver);
            }
            if (running != null) {
                running.stopLeavingTestbed(line -> progress.println("  " + line));
            }
        }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        if (cluster == null) {
            s.put("label", "plain TCP, " + tool.label + ", " + link);
            s.put("transport", "plain-tcp");
            s.put("nodes", 0);
            s.put("delivery", null);
        } else {
            s.put("label", "AR-TCP, " + cluster.nodes() + " nodes, " + cluster.delivery() + ", " + tool.label + ", " + link);
            s.put("transport", "ar-tcp");
            s.put("nodes", cluster.nodes());
            s.put("delivery", cluster.delivery());
        }
        s.put("tool", tool.label);
        s.put("linkRate", link);
        s.put("command", pinnedDisplay(display(tool, "send", transmitterArgs, dir)));
        s.put("receiverCommand", pinnedDisplay(display(tool, "recv", receiverArgs, dir))
                + (cluster == null ? "" : " (in " + String.join(", ", receiverHosts) + ")"));
        if (clusterInfo != null) {
            s.put("cluster", clusterInfo);
        }
        s.put("points", points(seriesDir, id, npOut));
        return s;
    }

    /**
     * A short NetPIPE sweep through the fresh cluster before the measured one ({@link #WARM_UP_ARGS}), so
     * that the nodes' JIT has compiled the data path: without it the first sizes of the sweep measure the
     * interpreter (300 µs instead of 30 for one byte through two nodes, measured). Not recorded.
     */
    private void warmUp(Testbed testbed, Path seriesDir, String id, List<String> hosts)
            throws IOException, TestbedException, InterruptedException {
        List<Process> receivers = new ArrayList<>();
        Path log = seriesDir.resolve("warm-up.log");
        try {
            for (String host : hosts) {
                Process r = testbed.spawn(host, List.of("NPtcp", "-P", Integer.toString(plan.port()), "-u", WARM_UP_UPTO),
                        seriesDir.resolve("warm-up-receiver-" + host + ".log"));
                receivers.add(r);
                awaitListening(testbed, host, r, seriesDir.resolve("warm-up-receiver-" + host + ".log"));
            }
            progress.println("  [" + id + "] warming the nodes up: NPtcp -u " + WARM_UP_UPTO + " (not recorded)");
            Process t = testbed.exec(TRANSMITTER_HOST, List.of("NPtcp", "-h", PORTAL, "-P", Integer.toString(plan.port()),
                    "-u", WARM_UP_UPTO, "-o", seriesDir.resolve("warm-up.out").toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!t.waitFor(10, TimeUnit.MINUTES) || t.exitValue() != 0) {
                t.destroyForcibly();
                throw new IOException(id + ": the warm-up sweep failed: " + lastLine(log));
            }
            for (Process r : receivers) {
                r.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            for (Process r : receivers) {
                stop(r);
            }
        }
    }

    /** The warm-up sweep's last size (NPtcp's {@code -u}). */
    private static final String WARM_UP_UPTO = "8192";

    /** What the series' nodes counted (their status at the end of the sweep), for the record. */
    static Map<String, Object> clusterInfo(Cluster c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", c.spec().toString());
        m.put("runDir", c.runDir().toString());
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (NodeView v : c.statuses()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("host", v.member().host());
            n.put("rank", v.member().rank());
            if (v.status() != null) {
                n.put("role", v.status().role());
                n.put("liveRanks", v.status().liveRanks());
                n.put("counters", v.status().nonZeroCounters());
            }
            nodes.add(n);
        }
        m.put("nodes", nodes);
        return m;
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** np.out is the source of NetPIPE's numbers; netpipe-java's summary adds the round-trip percentiles. */
    private static List<Map<String, Object>> points(Path seriesDir, String id, Path npOut) throws IOException {
        Map<Long, JsonNode> extra = new HashMap<>();
        Path javaSummary = seriesDir.resolve("summary.json");
        if (Files.exists(javaSummary)) {
            for (JsonNode p : JSON.readTree(javaSummary.toFile()).path("points")) {
                extra.put(p.path("bytes").asLong(), p);
            }
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (NpOut.Point p : NpOut.parse(npOut)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bytes", p.bytes());
            m.put("mbps", p.mbps());
            m.put("oneWaySeconds", p.oneWaySeconds());
            JsonNode x = extra.get(p.bytes());
            m.put("rttP50Us", x == null ? null : x.path("rttP50Us").asDouble());
            m.put("rttP99Us", x == null ? null : x.path("rttP99Us").asDouble());
            m.put("rttMaxUs", x == null ? null : x.path("rttMaxUs").asDouble());
            m.put("histogram", x == null || !x.hasNonNull("histogram") ? null : id + "/" + x.path("histogram").asText());
            points.add(m);
        }
        if (points.isEmpty()) {
            throw new IOException(id + ": " + npOut + " holds no points");
        }
        return points;
    }

    /** The receiver's arguments, the same for NPtcp and {@code ./artcp netpipe recv}. */
    private List<String> receiverArgs() {
        List<String> args = new ArrayList<>(List.of("-P", Integer.toString(plan.port())));
        if (plan.upTo() != null) {
            args.addAll(List.of("-u", Long.toString(plan.upTo())));
        }
        return args;
    }

    /** The transmitter's arguments, the same for NPtcp and {@code ./artcp netpipe send}. */
    private List<String> transmitterArgs(String host, Path npOut) {
        List<String> args = new ArrayList<>(List.of("-h", host, "-P", Integer.toString(plan.port()), "-o",
                npOut.toString()));
        if (plan.upTo() != null) {
            args.addAll(List.of("-u", Long.toString(plan.upTo())));
        }
        return args;
    }

    private static List<String> command(Tool tool, String javaSubcommand, List<String> args) {
        List<String> cmd = new ArrayList<>(switch (tool) {
            case NPTCP -> List.of("NPtcp");
            case JAVA -> javaCommand(javaSubcommand);
        });
        cmd.addAll(args);
        return cmd;
    }

    private String pinnedDisplay(String command) {
        return plan.pinCpu() == null ? command : "taskset -c " + plan.pinCpu() + " " + command;
    }

    private List<String> pinned(List<String> cmd) {
        if (plan.pinCpu() == null) {
            return cmd;
        }
        List<String> line = new ArrayList<>(List.of("taskset", "-c", Integer.toString(plan.pinCpu())));
        line.addAll(cmd);
        return line;
    }

    /** How a person would type the same command. */
    private static String display(Tool tool, String javaSubcommand, List<String> args, Path dir) {
        String prefix = tool == Tool.NPTCP ? "NPtcp " : "./artcp netpipe " + javaSubcommand + " ";
        return (prefix + String.join(" ", args)).replace(dir.toString() + "/", "");
    }

    /** {@code ./artcp netpipe …} as the launcher would run it, with this very JDK and class path. */
    private static List<String> javaCommand(String... netpipeArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(org.artcp.orchestrator.Main.class.getName());
        cmd.add("netpipe");
        cmd.addAll(List.of(netpipeArgs));
        return cmd;
    }

    /** Waits until the receiver listens (probing its socket table, never connecting: NPtcp takes the first connection). */
    private void awaitListening(Testbed testbed, String host, Process receiver, Path log)
            throws TestbedException, IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + RECEIVER_READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!receiver.isAlive()) {
                throw new IOException("the receiver in " + host + " exited at once: " + lastLine(log));
            }
            Process ss = testbed.exec(host, List.of("ss", "-Hltn", "sport = :" + plan.port()))
                    .redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor();
            if (!out.isBlank()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("the receiver in " + host + " did not listen on port " + plan.port()
                + " within " + RECEIVER_READY_TIMEOUT_MS / 1000 + " s; see " + log);
    }

    /** Copies the transmitter's output to its log and shows each point as it completes. */
    private void relayProgress(Process transmitter, Path log, String id) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(transmitter.getInputStream(),
                StandardCharsets.UTF_8)); Writer w = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                w.write(line);
                w.write('\n');
                w.flush();
                if (!line.isBlank()) {
                    progress.println("  [" + id + "] " + line.strip());
                }
            }
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
