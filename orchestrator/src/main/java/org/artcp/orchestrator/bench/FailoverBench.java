package org.artcp.orchestrator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.artcp.bench.mysql.Op;
import org.artcp.bench.mysql.Stall;
import org.artcp.orchestrator.cluster.ChecksumReport;
import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.cluster.ClusterException;
import org.artcp.orchestrator.cluster.ClusterSpec;
import org.artcp.orchestrator.cluster.Faults;
import org.artcp.orchestrator.cluster.NodeView;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * {@code ./artcp bench failover} (issue 6, docs/failover.md "Benchmark"): per crash a fresh cluster under a client
 * load, one node killed as by a power cut ({@link Faults#kill}), and what the client and the nodes saw: the
 * client's stall ({@link Stall#around}), its errors and reconnects, the history check of the lists it appended
 * to, the survivors' {@code CHECKSUM TABLE}s, the detection and take-over times from the survivors' logs.
 *
 * <p>Nothing may hang: the node's failover may be incomplete, and a killed node may stall the clients for good.
 * Every wait has a deadline; a worker that does not answer is killed and the crash recorded with its
 * {@code problem}, and the bench goes on with the next crash.
 */
public final class FailoverBench {
    /** The client loads. */
    public static final List<String> APPS = List.of("mysql", "netpipe");
    /** The worker's protocol (mysql-bench's Worker {@code failover} and PingPongWorker). */
    static final String READY = "READY";
    static final String STOP = "STOP";
    static final String DONE = "DONE";
    static final String WORKER = "org.artcp.bench.mysql.Worker";
    static final String PING_PONG_WORKER = "org.artcp.bench.mysql.PingPongWorker";
    static final String OPS_FILE = "ops.csv";
    /** The ping-pong makes tens of thousands of round trips a second: its ops file is gzipped. */
    static final String PING_OPS_FILE = "ops.csv.gz";
    static final String CHECK_FILE = "check.json";
    static final String PING_SUMMARY_FILE = "ping.json";
    private static final long READY_TIMEOUT_MS = 90_000;
    /** After STOP: the worker's ops in flight may wait their op timeout, then it reads every list back. */
    private static final long DONE_AFTER_OP_TIMEOUT_MS = 45_000;
    /** The worker's own end, after STOP should have come: the bench's deadline plus this. */
    private static final long WORKER_SLACK_MS = 60_000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to run.
     *
     * @param warmUpMs         load after the worker's READY, before the kill (the nodes' start-up grace is over by
     *                         then: a peer's first frame ends it)
     * @param afterKillMs      load after the kill, before STOP; also the stall's window on each side of the kill
     * @param opTimeoutMs      a client operation that waits longer fails (Connector/J's socket timeout): an error
     * @param heartbeatMs      the nodes' heartbeat, or null for the cluster's default
     * @param failureTimeoutMs the nodes' failure timeout, or null for the cluster's default
     */
    public record Plan(int nodes, List<String> deliveries, List<String> kinds, int crashes, List<String> apps,
                       int warmUpMs, int afterKillMs, int appendThreads, int readThreads, int opTimeoutMs,
                       Integer heartbeatMs, Integer failureTimeoutMs, Path resultsRoot, boolean keepTestbed) {
        public Plan {
            deliveries = List.copyOf(deliveries);
            kinds = List.copyOf(kinds);
            apps = apps.equals(List.of("both")) ? APPS : List.copyOf(apps);
            if (nodes < 2 || nodes > ClusterSpec.MAX_NODES) {
                throw new IllegalArgumentException("--nodes " + nodes + ": an AR-TCP cluster of 2 to " + ClusterSpec.MAX_NODES
                        + " nodes");
            }
            if (deliveries.isEmpty() || !ClusterSpec.DELIVERIES.containsAll(deliveries)) {
                throw new IllegalArgumentException("--delivery " + deliveries + ": best-effort and/or safe");
            }
            if (kinds.isEmpty() || !Victims.KINDS.containsAll(kinds)) {
                throw new IllegalArgumentException("--kinds " + kinds + ": primary, aggregator and/or backup");
            }
            if (kinds.contains("backup") && nodes < 3) {
                throw new IllegalArgumentException("--kinds backup: a backup other than the aggregator needs 3 nodes or "
                        + "more (with 2 nodes the only backup is the aggregator)");
            }
            if (apps.isEmpty() || !APPS.containsAll(apps)) {
                throw new IllegalArgumentException("--app " + apps + ": mysql, netpipe, both, or mysql,netpipe");
            }
            if (crashes < 1 || warmUpMs < 0 || afterKillMs < 100 || appendThreads < 1 || readThreads < 0
                    || opTimeoutMs < 100) {
                throw new IllegalArgumentException("--crashes and --append-threads at least 1, --read-threads and "
                        + "--warm-up-ms at least 0, --after-kill-ms and --op-timeout-ms at least 100");
            }
            // the cluster spec checks the detector's values
            spec(nodes, deliveries.getFirst(), apps.getFirst(), heartbeatMs, failureTimeoutMs);
        }

        TestbedConfig ownTestbed() {
            return new TestbedConfig(nodes, 1, null, null);
        }

        String describeOptions() {
            return "--nodes " + nodes + " --delivery " + String.join(",", deliveries) + " --kinds " + String.join(",", kinds)
                    + " --crashes " + crashes + " --app " + String.join(",", apps) + " --warm-up-ms " + warmUpMs
                    + " --after-kill-ms " + afterKillMs + " --append-threads " + appendThreads + " --read-threads "
                    + readThreads + " --op-timeout-ms " + opTimeoutMs
                    + (heartbeatMs == null ? "" : " --heartbeat-ms " + heartbeatMs)
                    + (failureTimeoutMs == null ? "" : " --failure-timeout-ms " + failureTimeoutMs);
        }
    }

    /** One series: an app, a crash kind, a delivery. */
    record Series(String app, String kind, String delivery) {
        String id() {
            return app + "-" + kind + "-" + (delivery.equals("safe") ? "safe" : "be");
        }
    }

    private final Plan plan;
    private final Path repo;
    private final PrintStream progress;

    public FailoverBench(Plan plan, Path repo, PrintStream progress) {
        this.plan = plan;
        this.repo = repo;
        this.progress = progress;
    }

    static ClusterSpec spec(int nodes, String delivery, String app, Integer heartbeatMs, Integer failureTimeoutMs) {
        ClusterSpec spec = new ClusterSpec(nodes, delivery, "rr-np", app);
        if (heartbeatMs != null || failureTimeoutMs != null) {
            spec = spec.withFailureDetector(heartbeatMs == null ? ClusterSpec.DEFAULT_HEARTBEAT_MS : heartbeatMs,
                    failureTimeoutMs == null ? ClusterSpec.DEFAULT_FAILURE_TIMEOUT_MS : failureTimeoutMs);
        }
        return spec;
    }

    private ClusterSpec spec(Series s) {
        return spec(plan.nodes(), s.delivery(), s.app(), plan.heartbeatMs(), plan.failureTimeoutMs());
    }

    /** Every series in the order run: per app, per kind, per delivery. */
    List<Series> series() {
        List<Series> out = new ArrayList<>();
        for (String app : plan.apps()) {
            for (String kind : plan.kinds()) {
                for (String delivery : plan.deliveries()) {
                    out.add(new Series(app, kind, delivery));
                }
            }
        }
        return out;
    }

    /** Runs every crash and returns the results directory. */
    public Path run() throws IOException, TestbedException, InterruptedException {
        Instant started = Instant.now();
        return BenchTestbed.run(plan.ownTestbed(), plan.keepTestbed(), progress, testbed -> run(testbed, started));
    }

    private Path run(Testbed testbed, Instant started) throws IOException, TestbedException, InterruptedException {
        if (testbed.nodes().size() < plan.nodes() || testbed.clients().isEmpty()) {
            throw new TestbedException("the testbed that is up has " + testbed.nodes().size() + " node(s) and "
                    + testbed.clients().size() + " client(s); the bench needs " + plan.nodes() + " and 1: run "
                    + "./artcp testbed down first (the bench then brings up its own)");
        }
        if (Cluster.loadRunning().isPresent()) {
            throw new TestbedException("a cluster is up: run ./artcp cluster stop first (the bench starts its own)");
        }
        Path dir = ResultsDirectory.create(plan.resultsRoot(), "failover", started);
        progress.println("bench: results go to " + dir);
        Map<String, Object> env = Environment.capture(repo);
        env.put("started", started.toString());
        env.put("testbed", testbed.config().describe());
        JSON.writeValue(dir.resolve("config.json").toFile(), config(testbed));

        List<Series> all = series();
        List<Map<String, Object>> seriesJson = new ArrayList<>();
        List<FailoverResults.Crash> crashes = new ArrayList<>();
        int total = all.size() * plan.crashes();
        int n = 0;
        for (Series s : all) {
            List<FailoverResults.Crash> mine = new ArrayList<>();
            for (int i = 1; i <= plan.crashes(); i++) {
                n++;
                progress.printf("bench: crash %d/%d: %s #%d%n", n, total, s.id(), i);
                FailoverResults.Crash c = crash(testbed, dir, s, i);
                progress.println("bench: " + s.id() + " #" + i + ": " + c.describe());
                mine.add(c);
                crashes.add(c);
                // written as it goes: an interrupted run keeps what it measured
                Files.writeString(dir.resolve("crashes.csv"), FailoverResults.csv(crashes));
            }
            seriesJson.add(FailoverResults.series(s.id(), s.app(), s.kind(), s.delivery(), plan.nodes(), mine));
        }
        Instant finished = Instant.now();
        env.put("finished", finished.toString());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", "failover");
        summary.put("started", started.toString());
        summary.put("finished", finished.toString());
        summary.put("nodes", plan.nodes());
        summary.put("crashesPerSeries", plan.crashes());
        summary.put("warmUpMs", plan.warmUpMs());
        summary.put("afterKillMs", plan.afterKillMs());
        summary.put("windowMs", plan.afterKillMs());
        summary.put("stallTargetMs", org.artcp.reports.FailoverSummary.STALL_TARGET_MS);
        summary.put("series", seriesJson);
        summary.put("crashes", crashes.stream().map(FailoverResults.Crash::toJson).toList());
        JSON.writeValue(dir.resolve("env.json").toFile(), env);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        Files.writeString(dir.resolve("crashes.csv"), FailoverResults.csv(crashes));
        ResultsDirectory.markLatest(dir);
        return dir;
    }

    private Map<String, Object> config(Testbed testbed) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "failover");
        config.put("command", "./artcp bench failover " + plan.describeOptions());
        config.put("nodes", plan.nodes());
        config.put("deliveries", plan.deliveries());
        config.put("kinds", plan.kinds());
        config.put("crashesPerSeries", plan.crashes());
        config.put("apps", plan.apps());
        config.put("warmUpMs", plan.warmUpMs());
        config.put("afterKillMs", plan.afterKillMs());
        config.put("appendThreads", plan.appendThreads());
        config.put("readThreads", plan.readThreads());
        config.put("readyTimeoutMs", READY_TIMEOUT_MS);
        config.put("doneTimeoutMs", doneTimeoutMs());
        config.put("workload", Map.of(
                "mysql", "client1: " + plan.appendThreads() + " append thread(s) (unique values appended to per-key "
                        + "lists, every few a transaction) and " + plan.readThreads() + " read thread(s), each on its "
                        + "own connection to " + Cluster.PORTAL_ADDRESS + ":" + Cluster.MYSQL_PORT,
                "netpipe", "client1: NetPIPE ping-pong at the receivers' first block size (1 byte: the cluster starts "
                        + "NPtcp without options) with the NPtcp receivers at " + Cluster.PORTAL_ADDRESS + ":"
                        + Cluster.NETPIPE_PORT + "; a broken connection ends it (NPtcp serves one transmitter)"));
        config.put("clusters", series().stream().map(s -> spec(s).asOptions()).distinct().toList());
        config.put("testbed", testbed.config().describe());
        return config;
    }

    // ---------------------------------------------------------------- one crash

    private FailoverResults.Crash crash(Testbed testbed, Path dir, Series s, int index)
            throws IOException, TestbedException, InterruptedException {
        String rel = s.id() + "/crash" + String.format("%02d", index);
        Path crashDir = dir.resolve(rel);
        Files.createDirectories(crashDir);
        FailoverResults.Crash c = new FailoverResults.Crash(s.id(), s.app(), s.kind(), s.delivery(), index, rel);
        Cluster running;
        try {
            running = Cluster.start(testbed, spec(s), crashDir.resolve("cluster"), line -> progress.println("  " + line));
        } catch (ClusterException e) {
            c.problem("the cluster did not start: " + e.getMessage());
            return c;
        }
        List<Cluster.Member> survivors = running.state().nodes();
        Instant stopAt = null;
        WorkerProcess worker = null;
        try {
            String client = testbed.clients().getFirst().name();
            List<String> args = s.app().equals("mysql") ? mysqlArgs(crashDir) : pingPongArgs(crashDir);
            String main = s.app().equals("mysql") ? WORKER : PING_PONG_WORKER;
            Files.writeString(crashDir.resolve("worker.command"), MysqlBench.display(args, dir).replace(
                    org.artcp.bench.mysql.Worker.class.getName(), main) + " (in " + client + ")\n");
            worker = WorkerProcess.start(testbed, client, MysqlBench.javaCommand(main, args),
                    crashDir.resolve("worker.log"), s.id() + " #" + index, progress);
            if (!worker.awaitReady(READY_TIMEOUT_MS)) {
                c.problem(worker.alive() ? "the worker was not READY in " + READY_TIMEOUT_MS / 1000 + " s"
                        : "the worker exited before READY: " + worker.lastLine());
                c.workerEnd = worker.stop(doneTimeoutMs());
                return c;
            }
            Thread.sleep(plan.warmUpMs());
            Victims.Choice choice = Victims.choose(s.kind(), nodes(running));
            if (choice.victim() == null) {
                c.problem("no victim: " + choice.problem());
            } else {
                c.victim = choice.victim().host();
                c.victimRank = choice.victim().rank();
                try {
                    c.killedAt = Faults.kill(c.victim);
                } catch (ClusterException e) {
                    c.problem("kill: " + e.getMessage());
                }
                String victim = c.victim;
                survivors = survivors.stream().filter(m -> !m.host().equals(victim)).toList();
                Thread.sleep(plan.afterKillMs());
            }
            stopAt = Instant.now();
            c.workerEnd = worker.stop(doneTimeoutMs());
            if (!c.workerEnd.equals("done")) {
                c.problem("worker: " + c.workerEnd);
            }
            counters(running, survivors, c);
            if (s.app().equals("mysql")) {
                checksums(running, c);
            }
        } finally {
            if (worker != null) {
                worker.destroy();
            }
            running.stopLeavingTestbed(line -> progress.println("  " + line));
        }
        clientSide(crashDir, s, c, stopAt);
        nodeSide(survivors, s, c);
        return c;
    }

    private List<String> mysqlArgs(Path crashDir) {
        ClusterSpec.MysqlOptions db = ClusterSpec.MysqlOptions.defaults();
        List<String> args = new ArrayList<>(List.of("failover", "--host", Cluster.PORTAL_ADDRESS, "--port",
                Integer.toString(Cluster.MYSQL_PORT), "--database", db.dbName(), "--user", db.user()));
        if (db.hasPassword()) {
            args.addAll(List.of("--password", db.password()));
        }
        args.addAll(List.of("--append-threads", Integer.toString(plan.appendThreads()), "--read-threads",
                Integer.toString(plan.readThreads()), "--transactions", "--op-timeout-ms", Integer.toString(plan.opTimeoutMs()), "--duration", Long.toString(workerSeconds()),
                "--ops-file", crashDir.resolve(OPS_FILE).toString(), "--check-file",
                crashDir.resolve(CHECK_FILE).toString()));
        return args;
    }

    private List<String> pingPongArgs(Path crashDir) {
        return List.of("--host", Cluster.PORTAL_ADDRESS, "--port", Integer.toString(Cluster.NETPIPE_PORT), "--duration",
                Long.toString(workerSeconds()), "--ops-file", crashDir.resolve(PING_OPS_FILE).toString(), "--summary-file",
                crashDir.resolve(PING_SUMMARY_FILE).toString());
    }

    private long doneTimeoutMs() {
        return plan.opTimeoutMs() + DONE_AFTER_OP_TIMEOUT_MS;
    }

    /** The worker's own limit: past the bench's STOP, so it only ends a worker the bench lost. */
    private long workerSeconds() {
        return (plan.warmUpMs() + plan.afterKillMs() + READY_TIMEOUT_MS + WORKER_SLACK_MS) / 1000;
    }

    /** What each live node's status says, for the choice of the victim. */
    private static List<Victims.Node> nodes(Cluster running) {
        List<Victims.Node> out = new ArrayList<>();
        for (NodeView v : running.statuses()) {
            if (v.status() != null && v.pidAlive()) {
                out.add(new Victims.Node(v.member().host(), v.member().rank(), v.status().role(),
                        v.status().counters().getOrDefault("aggregatedConnections", 0L)));
            }
        }
        return out;
    }

    private static void counters(Cluster running, List<Cluster.Member> survivors, FailoverResults.Crash c) {
        List<String> hosts = survivors.stream().map(Cluster.Member::host).toList();
        for (NodeView v : running.statuses()) {
            if (hosts.contains(v.member().host()) && v.status() != null) {
                c.counters.put(v.member().host(), v.status().nonZeroCounters());
            }
        }
    }

    /** {@code CHECKSUM TABLE} of every table of the database on each survivor ({@link Cluster#checksums} skips killed). */
    private static void checksums(Cluster running, FailoverResults.Crash c) {
        try {
            ChecksumReport report = running.checksums();
            c.checksumsEqual = report.identical();
            if (!report.identical()) {
                c.checksumError = "differ: " + report.differing();
            }
        } catch (ClusterException | RuntimeException e) {
            c.checksumError = e.getMessage();
            c.problem("checksums: " + e.getMessage());
        }
    }

    /** The stall, errors and reconnects from the worker's ops file; the history check from its check file. */
    private void clientSide(Path crashDir, Series s, FailoverResults.Crash c, Instant stopAt) {
        Path opsFile = crashDir.resolve(s.app().equals("mysql") ? OPS_FILE : PING_OPS_FILE);
        if (!Files.isRegularFile(opsFile)) {
            c.problem("no " + opsFile.getFileName() + " from the worker");
        } else {
            try {
                List<Op> ops = Op.readCsv(opsFile);
                c.operations = ops.size();
                c.errors = ops.stream().filter(o -> !o.ok()).count();
                c.firstError = ops.stream().filter(o -> !o.ok()).map(Op::error).findFirst().orElse(null);
                if (c.killedAt != null) {
                    long kill = micros(c.killedAt);
                    Long stop = stopAt == null ? null : micros(stopAt);
                    Gap merged = stall(ops, kill, plan.afterKillMs() * 1000L, stop);
                    c.stallMs = merged.ms();
                    c.stallOpen = merged.open();
                    c.stallFrom = instant(merged.fromMicros());
                    c.stallTo = instant(merged.toMicros());
                    for (Map.Entry<Integer, List<Op>> e : ops.stream().collect(Collectors.groupingBy(Op::thread))
                            .entrySet()) {
                        Gap g = stall(e.getValue(), kill, plan.afterKillMs() * 1000L, stop);
                        if (c.worstThreadStallMs == null || g.ms() > c.worstThreadStallMs) {
                            c.worstThreadStallMs = g.ms();
                            c.worstThread = e.getKey();
                            c.worstThreadStallOpen = g.open();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                c.problem(opsFile.getFileName() + ": " + e.getMessage());
            }
        }
        if (!s.app().equals("mysql")) {
            return;
        }
        Path checkFile = crashDir.resolve(CHECK_FILE);
        if (!Files.isRegularFile(checkFile)) {
            c.problem("no " + CHECK_FILE + " from the worker");
            return;
        }
        try {
            JsonNode check = JSON.readTree(checkFile.toFile());
            c.history = history(check);
            c.reconnects = firstLong(check, "reconnects").orElse(0L);
        } catch (IOException | RuntimeException e) {
            c.problem(CHECK_FILE + ": " + e.getMessage());
        }
    }

    /** A stall: from one response to the next; {@code open} when no next one came before STOP (a lower bound). */
    record Gap(long fromMicros, long toMicros, boolean open) {
        double ms() {
            return (toMicros - fromMicros) / 1000.0;
        }
    }

    /**
     * The client-observed stall around {@code kill}: {@link Stall#around}, and where the responses stop for good
     * before STOP, the gap from the last response to STOP, when longer ({@code Stall.around} counts a gap only
     * up to a next response, so clients that answered once after the kill and then hung would show a stall of
     * milliseconds). A stall whose end is STOP, not a response, is open: a lower bound.
     *
     * @param stopMicros when the bench sent STOP, or null when it never did
     */
    static Gap stall(List<Op> ops, long kill, long windowMicros, Long stopMicros) {
        Stall around = Stall.around(ops, kill, windowMicros);
        boolean noneAfter = ops.stream().noneMatch(o -> o.ok() && o.endMicros() > kill);
        if (stopMicros == null) {
            return new Gap(around.fromMicros(), around.toMicros(), noneAfter);
        }
        if (noneAfter) {
            // Stall.around ran it to the window's end: the load ran until STOP
            return new Gap(around.fromMicros(), Math.max(around.fromMicros(), stopMicros), true);
        }
        long last = ops.stream().filter(o -> o.ok() && o.endMicros() <= stopMicros).mapToLong(Op::endMicros).max()
                .orElse(kill);
        boolean nothingAfterLast = ops.stream().noneMatch(o -> o.ok() && o.endMicros() > last);
        if (nothingAfterLast && last >= kill && stopMicros - last > around.gapMicros()) {
            return new Gap(last, stopMicros, true);
        }
        return new Gap(around.fromMicros(), around.toMicros(), false);
    }

    /**
     * The worker's check file (mysql-bench Worker {@code failover}): the Check's fields at the top level or under
     * {@code check}; anomalies as {@code <kind>Count} or as lists.
     */
    static FailoverResults.History history(JsonNode file) {
        JsonNode check = file.has("check") && file.get("check").isObject() ? file.get("check") : file;
        long lost = count(check, "lost");
        long duplicated = count(check, "duplicated");
        long outOfOrder = count(check, "outOfOrder");
        long unexpected = count(check, "unexpected");
        boolean ok = check.has("ok") ? check.get("ok").asBoolean()
                : lost + duplicated + outOfOrder + unexpected == 0;
        return new FailoverResults.History(ok, check.path("acknowledged").asLong(), check.path("indeterminate").asLong(),
                lost, duplicated, outOfOrder, unexpected);
    }

    private static long count(JsonNode n, String field) {
        if (n.path(field + "Count").isNumber()) {
            // the worker lists at most so many anomalies; their count is whole
            return n.get(field + "Count").asLong();
        }
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        return v.isArray() ? v.size() : v.asLong();
    }

    private static Optional<Long> firstLong(JsonNode n, String field) {
        if (n.has(field)) {
            return Optional.of(n.get(field).asLong());
        }
        return n.has("check") ? firstLong(n.get("check"), field) : Optional.empty();
    }

    /** Detection and take-over from the survivors' logs (complete once the cluster has stopped). */
    private static void nodeSide(List<Cluster.Member> survivors, Series s, FailoverResults.Crash c) {
        if (c.killedAt == null) {
            return;
        }
        List<List<NodeLogs.Line>> logs = survivors.stream().filter(m -> m.log() != null)
                .map(m -> NodeLogs.read(Path.of(m.log()))).toList();
        Optional<Instant> detected = NodeLogs.first(logs, c.killedAt, NodeLogs.MEMBERSHIP);
        c.detectionMs = detected.map(t -> NodeLogs.millisBetween(c.killedAt, t)).orElse(null);
        if (s.kind().equals("primary")) {
            c.takeOverMs = NodeLogs.first(logs, c.killedAt, NodeLogs.BECAME_PRIMARY)
                    .map(t -> NodeLogs.millisBetween(c.killedAt, t)).orElse(null);
        } else {
            c.takeOverMs = c.detectionMs;
        }
    }

    private static long micros(Instant i) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- the worker process

    /** A worker in a client namespace: its output kept in a log and relayed; READY and DONE noticed. */
    static final class WorkerProcess {
        private final Process process;
        private final Path log;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final CountDownLatch done = new CountDownLatch(1);
        private final Thread relay;

        private WorkerProcess(Process process, Path log, String what, PrintStream progress) throws IOException {
            this.process = process;
            this.log = log;
            Writer w = Files.newBufferedWriter(log);
            this.relay = Thread.ofPlatform().daemon().name("relay " + what).start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); w) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        w.write(line);
                        w.write('\n');
                        w.flush();
                        String l = line.strip();
                        if (l.equals(READY)) {
                            ready.countDown();
                        } else if (l.equals(DONE)) {
                            done.countDown();
                        } else if (!l.isEmpty()) {
                            progress.println("  [" + what + "] " + l);
                        }
                    }
                } catch (IOException e) {
                    progress.println("  [" + what + "] lost the worker's output: " + e.getMessage());
                }
            });
        }

        static WorkerProcess start(Testbed testbed, String client, List<String> command, Path log, String what,
                                   PrintStream progress) throws IOException, TestbedException {
            Process p = testbed.exec(client, command).redirectErrorStream(true).start();
            return new WorkerProcess(p, log, what, progress);
        }

        /** A worker already started (its stderr merged into its stdout). */
        static WorkerProcess of(Process p, Path log, String what, PrintStream progress) throws IOException {
            return new WorkerProcess(p, log, what, progress);
        }

        /** True once the worker said READY; false when it exited first or {@code timeoutMs} passed. */
        boolean awaitReady(long timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!ready.await(200, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    return ready.getCount() == 0;
                }
            }
            return true;
        }

        boolean alive() {
            return process.isAlive();
        }

        /**
         * Sends STOP and waits up to {@code timeoutMs} for DONE and the exit; kills the worker otherwise.
         *
         * @return {@code done}, or how it ended otherwise
         */
        String stop(long timeoutMs) throws InterruptedException {
            try {
                OutputStream in = process.getOutputStream();
                in.write((STOP + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                in.close();
            } catch (IOException e) {
                // it has exited already: its exit status says how
            }
            long deadline = System.currentTimeMillis() + timeoutMs;
            // a worker that exits without DONE is not waited for
            boolean waiting = true;
            while (waiting) {
                waiting = !done.await(100, TimeUnit.MILLISECONDS) && process.isAlive()
                        && System.currentTimeMillis() < deadline;
            }
            boolean said = done.getCount() == 0;
            boolean exited = process.waitFor(said ? 10_000 : 1_000, TimeUnit.MILLISECONDS);
            if (said && exited && process.exitValue() == 0) {
                relay.join(5_000);
                return "done";
            }
            if (exited) {
                relay.join(5_000);
                return (said ? "DONE, then " : "no DONE; ") + "exited " + process.exitValue() + ": " + lastLine();
            }
            destroy();
            return "killed at the deadline (" + (said ? "DONE but no exit" : "no DONE") + " " + timeoutMs / 1000
                    + " s after STOP)";
        }

        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }

        String lastLine() {
            try {
                List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
                return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }
}
