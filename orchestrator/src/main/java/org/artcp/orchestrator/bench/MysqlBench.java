package org.artcp.orchestrator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.artcp.bench.mysql.ReadWorkload;
import org.artcp.bench.mysql.Worker;
import org.artcp.orchestrator.cluster.ChecksumReport;
import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.cluster.ClusterException;
import org.artcp.orchestrator.cluster.ClusterSpec;
import org.artcp.orchestrator.testbed.CpuCap;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * The MySQL experiments of paper §6.2 on the local testbed: {@code updates} (Fig. 7, the five update
 * operations over one connection) and {@code reads} (Fig. 8, simultaneous SELECT threads). For every
 * configuration — the standalone server ({@code --nodes 1}: one MariaDB, no AR-TCP) and each AR-TCP
 * cluster size, delivery and (reads) read policy — a fresh cluster with {@code --app mysql} is started,
 * the {@link Worker} runs in the client namespaces against its address, and the cluster is stopped
 * again. The workers' files are kept per series; {@code summary.json} and a CSV are built from them
 * ({@link MysqlResults}), then the report renders from the directory.
 *
 * <p>Reads: the table is filled once per cluster, then each thread count runs on it in turn (a
 * SELECT changes nothing, so a fresh cluster per thread count would measure the same server). Up to
 * 10 threads run in client1; more are split over client1 and client2, whose measurements start
 * together: each worker prints {@link Worker#READY} after its warm-up and waits for {@link Worker#GO}.
 */
public final class MysqlBench {
    /** The two experiments. */
    public enum Experiment {
        /** Paper Fig. 7. */
        UPDATES("updates"),
        /** Paper Fig. 8. */
        READS("reads");

        public final String id;

        Experiment(String id) {
            this.id = id;
        }
    }

    /** One cluster to start: standalone ({@code nodes} 1, delivery and policy null) or AR-TCP. */
    public record Configuration(int nodes, String delivery, String readPolicy) {
        public boolean standalone() {
            return nodes == 1;
        }

        /** {@code standalone}, {@code artcp2-be}, {@code artcp3-safe-rrnp} (the policy for reads only). */
        public String id() {
            if (standalone()) {
                return "standalone";
            }
            return "artcp" + nodes + "-" + (delivery.equals("safe") ? "safe" : "be")
                    + (readPolicy == null ? "" : "-" + readPolicy.replace("-", ""));
        }

        public String label() {
            return standalone() ? "standalone MariaDB (1 node, no AR-TCP)"
                    : "AR-TCP, " + nodes + " nodes, " + delivery + (readPolicy == null ? "" : ", " + readPolicy);
        }
    }

    /**
     * What to run.
     *
     * @param nodes        1 (standalone) and/or 2..4
     * @param readPolicies for reads; ignored by updates
     * @param threads      for reads: total select threads per series
     * @param warmUp       updates: repetitions; reads: SELECTs per thread; neither recorded
     * @param nodeCpu      every node's CPU cap, or null for none
     */
    public record Plan(Experiment experiment, List<Integer> nodes, List<String> deliveries, List<String> readPolicies,
                       List<Integer> threads, int loops, int repetitions, int warmUp, int tableRows, CpuCap nodeCpu,
                       boolean serverPreparedStatements, Path resultsRoot, boolean keepTestbed) {
        public Plan {
            nodes = List.copyOf(nodes);
            deliveries = List.copyOf(deliveries);
            readPolicies = List.copyOf(readPolicies);
            threads = List.copyOf(threads);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("--nodes: give at least one of 1 (standalone), 2, 3, 4");
            }
            for (int n : nodes) {
                if (n < 1 || n > ClusterSpec.MAX_NODES) {
                    throw new IllegalArgumentException("--nodes " + n + ": 1 (standalone, no AR-TCP) or an AR-TCP cluster of "
                            + "2 to " + ClusterSpec.MAX_NODES + " nodes");
                }
            }
            for (String d : deliveries) {
                if (!ClusterSpec.DELIVERIES.contains(d)) {
                    throw new IllegalArgumentException("--delivery " + d + ": use best-effort or safe");
                }
            }
            for (String p : readPolicies) {
                if (!ClusterSpec.READ_POLICIES.contains(p)) {
                    throw new IllegalArgumentException("--read-policy " + p + ": use rr-np or rr-p");
                }
            }
            if (nodes.stream().anyMatch(n -> n > 1) && deliveries.isEmpty()) {
                throw new IllegalArgumentException("--delivery: AR-TCP clusters need best-effort and/or safe");
            }
            if (experiment == Experiment.READS && nodes.stream().anyMatch(n -> n > 1) && readPolicies.isEmpty()) {
                throw new IllegalArgumentException("--read-policy: AR-TCP clusters need rr-np and/or rr-p");
            }
            for (int t : threads) {
                if (t < 1 || t > 2 * MAX_THREADS_PER_CLIENT) {
                    throw new IllegalArgumentException("--threads " + t + ": 1 to " + 2 * MAX_THREADS_PER_CLIENT);
                }
            }
            if (experiment == Experiment.READS && threads.isEmpty()) {
                throw new IllegalArgumentException("--threads: give at least one count");
            }
            if (experiment == Experiment.READS && tableRows < ReadWorkload.ROWS_PER_SELECT) {
                throw new IllegalArgumentException("--table-rows " + tableRows + ": at least "
                        + ReadWorkload.ROWS_PER_SELECT + ", the rows one SELECT reads");
            }
            if (loops < 1 || repetitions < 1 || warmUp < 0) {
                throw new IllegalArgumentException("--loops and --repetitions must be at least 1, --warm-up at least 0");
            }
        }

        /** Standalone once, then per node count each delivery (and for reads each policy), in the order given. */
        public List<Configuration> configurations() {
            List<Configuration> out = new ArrayList<>();
            for (int n : nodes) {
                if (n == 1) {
                    if (out.stream().noneMatch(Configuration::standalone)) {
                        out.add(new Configuration(1, null, null));
                    }
                    continue;
                }
                for (String d : deliveries) {
                    if (experiment == Experiment.UPDATES) {
                        out.add(new Configuration(n, d, null));
                    } else {
                        for (String p : readPolicies) {
                            out.add(new Configuration(n, d, p));
                        }
                    }
                }
            }
            return out;
        }

        /** Clients the plan needs: two when any thread count is split. */
        int clients() {
            return experiment == Experiment.READS
                    && threads.stream().anyMatch(t -> t > MysqlResults.ONE_CLIENT_MAX_THREADS) ? 2 : 1;
        }

        TestbedConfig ownTestbed() {
            return new TestbedConfig(nodes.stream().mapToInt(Integer::intValue).max().orElse(1), clients(), null, nodeCpu);
        }
    }

    /** A client process's threads above this are refused: the paper's largest is 20. */
    static final int MAX_THREADS_PER_CLIENT = 50;
    private static final long WORKER_TIMEOUT_MS = 90 * 60_000L;
    private static final long READY_TIMEOUT_MS = 5 * 60_000L;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Plan plan;
    private final Path repo;
    private final PrintStream progress;

    public MysqlBench(Plan plan, Path repo, PrintStream progress) {
        this.plan = plan;
        this.repo = repo;
        this.progress = progress;
    }

    /** Runs every configuration and returns the results directory. */
    public Path run() throws IOException, TestbedException, InterruptedException {
        Instant started = Instant.now();
        return BenchTestbed.run(plan.ownTestbed(), plan.keepTestbed(), progress, testbed -> run(testbed, started));
    }

    private Path run(Testbed testbed, Instant started) throws IOException, TestbedException, InterruptedException {
        checkTestbed(testbed);
        if (Cluster.loadRunning().isPresent()) {
            throw new TestbedException("a cluster is up: run ./artcp cluster stop first (the bench starts its own)");
        }
        Path dir = ResultsDirectory.create(plan.resultsRoot(), plan.experiment().id, started);
        progress.println("bench: results go to " + dir);
        Map<String, Object> env = Environment.capture(repo);
        env.put("started", started.toString());
        env.put("testbed", testbed.config().describe());
        env.put("mariadbVersion", firstLine(List.of("mariadbd", "--version")));

        List<Map<String, Object>> series = new ArrayList<>();
        List<Configuration> configurations = plan.configurations();
        for (int i = 0; i < configurations.size(); i++) {
            Configuration c = configurations.get(i);
            progress.printf("bench: configuration %d/%d: %s%n", i + 1, configurations.size(), c.label());
            series.addAll(runConfiguration(testbed, dir, c));
        }
        Instant finished = Instant.now();
        env.put("finished", finished.toString());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", plan.experiment().id);
        summary.put("started", started.toString());
        summary.put("finished", finished.toString());
        if (plan.experiment() == Experiment.UPDATES) {
            summary.put("repetitions", plan.repetitions());
            summary.put("warmUp", plan.warmUp());
        } else {
            summary.put("loops", plan.loops());
            summary.put("warmUpLoops", plan.warmUp());
            summary.put("tableRows", plan.tableRows());
        }
        summary.put("nodeCpu", plan.nodeCpu() == null ? null : plan.nodeCpu().cpus());
        summary.put("serverPreparedStatements", plan.serverPreparedStatements());
        summary.put("series", series);

        JSON.writeValue(dir.resolve("env.json").toFile(), env);
        JSON.writeValue(dir.resolve("config.json").toFile(), config(testbed));
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        Files.writeString(dir.resolve(plan.experiment().id + ".csv"), plan.experiment() == Experiment.UPDATES
                ? MysqlResults.updatesCsv(series) : MysqlResults.readsCsv(series));
        ResultsDirectory.markLatest(dir);
        return dir;
    }

    private void checkTestbed(Testbed testbed) throws TestbedException {
        TestbedConfig up = testbed.config();
        TestbedConfig need = plan.ownTestbed();
        List<String> problems = new ArrayList<>();
        if (up.nodes() < need.nodes()) {
            problems.add(up.nodes() + " node(s), the plan needs " + need.nodes());
        }
        if (up.clients() < need.clients()) {
            problems.add(up.clients() + " client(s), the plan needs " + need.clients());
        }
        if (!java.util.Objects.equals(up.nodeCpu(), plan.nodeCpu())) {
            problems.add("node CPU cap " + (up.nodeCpu() == null ? "none" : up.nodeCpu()) + ", the plan asks for "
                    + (plan.nodeCpu() == null ? "none" : plan.nodeCpu()));
        }
        if (up.linkRate() != null) {
            progress.println("bench: note: the testbed's links are shaped to " + up.linkRate());
        }
        if (!problems.isEmpty()) {
            throw new TestbedException("the testbed that is up has " + String.join("; ", problems)
                    + ": run ./artcp testbed down first (the bench then brings up its own), or change the options");
        }
    }

    private Map<String, Object> config(Testbed testbed) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", plan.experiment().id);
        config.put("command", "./artcp bench " + plan.experiment().id + " " + describeOptions());
        config.put("nodes", plan.nodes());
        config.put("deliveries", plan.deliveries());
        if (plan.experiment() == Experiment.READS) {
            config.put("readPolicies", plan.readPolicies());
            config.put("threads", plan.threads());
            config.put("threadsPerClient", plan.threads().stream().collect(Collectors.toMap(String::valueOf,
                    t -> MysqlResults.threadsPerClient(t, testbed.clients().size()), (a, b) -> a, LinkedHashMap::new)));
            config.put("loops", plan.loops());
            config.put("tableRows", plan.tableRows());
        } else {
            config.put("repetitions", plan.repetitions());
        }
        config.put("warmUp", plan.warmUp());
        config.put("nodeCpu", plan.nodeCpu() == null ? null : plan.nodeCpu().toString());
        config.put("serverPreparedStatements", plan.serverPreparedStatements());
        ClusterSpec.MysqlOptions db = ClusterSpec.MysqlOptions.defaults();
        config.put("mysql", db.user() + "@" + Cluster.PORTAL_ADDRESS + ":" + Cluster.MYSQL_PORT + "/" + db.dbName()
                + " (" + db.describe() + ")");
        config.put("clusters", plan.configurations().stream().map(c -> spec(c).asOptions()).toList());
        config.put("testbed", testbed.config().describe());
        return config;
    }

    private String describeOptions() {
        StringBuilder sb = new StringBuilder("--nodes ").append(join(plan.nodes()));
        if (plan.nodes().stream().anyMatch(n -> n > 1)) {
            sb.append(" --delivery ").append(String.join(",", plan.deliveries()));
        }
        if (plan.experiment() == Experiment.READS) {
            if (plan.nodes().stream().anyMatch(n -> n > 1)) {
                sb.append(" --read-policy ").append(String.join(",", plan.readPolicies()));
            }
            sb.append(" --threads ").append(join(plan.threads())).append(" --loops ").append(plan.loops());
        } else {
            sb.append(" --repetitions ").append(plan.repetitions());
        }
        sb.append(" --warm-up ").append(plan.warmUp());
        sb.append(" --node-cpu ").append(plan.nodeCpu() == null ? "none" : plan.nodeCpu());
        if (plan.serverPreparedStatements()) {
            sb.append(" --server-prep-stmts");
        }
        return sb.toString();
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    // ---------------------------------------------------------------- one configuration

    private List<Map<String, Object>> runConfiguration(Testbed testbed, Path dir, Configuration c)
            throws IOException, TestbedException, InterruptedException {
        Path configDir = dir.resolve(c.id());
        Files.createDirectories(configDir);
        Cluster running;
        try {
            running = Cluster.start(testbed, spec(c), configDir.resolve("cluster"), line -> progress.println("  " + line));
        } catch (ClusterException e) {
            throw new IOException(c.id() + ": the cluster did not start: " + e.getMessage(), e);
        }
        List<Map<String, Object>> series = new ArrayList<>();
        try {
            // standalone too: the cluster puts the portal address on node1, so clients compare like with like
            String host = Cluster.PORTAL_ADDRESS;
            if (plan.experiment() == Experiment.UPDATES) {
                series.add(updates(testbed, dir, configDir, c, host));
            } else {
                runWorker(testbed, testbed.clients().getFirst().name(), c.id() + " prepare",
                        workerArgs("prepare-reads", host, List.of("--table-rows", Integer.toString(plan.tableRows()))),
                        configDir.resolve("prepare.log"));
                for (int threads : plan.threads()) {
                    series.add(reads(testbed, dir, c, host, threads));
                }
            }
            Map<String, Object> info = clusterRecord(running, c.id());
            for (Map<String, Object> s : series) {
                s.put("cluster", info);
            }
        } finally {
            running.stopLeavingTestbed(line -> progress.println("  " + line));
        }
        return series;
    }

    /** The cluster that runs configuration {@code c}. */
    static ClusterSpec spec(Configuration c) {
        return new ClusterSpec(c.nodes(), c.standalone() ? "best-effort" : c.delivery(),
                c.readPolicy() == null ? "rr-np" : c.readPolicy(), "mysql");
    }

    /**
     * What the nodes counted and the replicas' {@code CHECKSUM TABLE} of every table of the database, taken
     * after the workload (nothing writes then); a failed checksum is recorded as such, not fatal.
     */
    private Map<String, Object> clusterRecord(Cluster running, String id) {
        Map<String, Object> info = new LinkedHashMap<>(NetpipeBench.clusterInfo(running));
        Map<String, Object> sums = new LinkedHashMap<>();
        try {
            ChecksumReport report = running.checksums();
            sums.put("identical", report.identical());
            sums.put("differing", report.differing());
            sums.put("hosts", report.hosts());
            sums.put("tables", report.checksums());
            progress.println("bench: " + id + ": " + report.verdict());
        } catch (ClusterException | RuntimeException e) {
            sums.put("error", e.getMessage());
            progress.println("bench: " + id + ": no checksums: " + e.getMessage());
        }
        info.put("checksums", sums);
        return info;
    }

    private Map<String, Object> updates(Testbed testbed, Path dir, Path configDir, Configuration c, String host)
            throws IOException, TestbedException, InterruptedException {
        String client = testbed.clients().getFirst().name();
        List<String> args = workerArgs("updates", host, List.of("--repetitions", Integer.toString(plan.repetitions()),
                "--warm-up", Integer.toString(plan.warmUp()), "--out", configDir.toString()));
        runWorker(testbed, client, c.id(), args, configDir.resolve("worker.log"));
        Map<String, Object> s = header(c);
        s.put("id", c.id());
        s.put("command", display(args, dir) + " (in " + client + ")");
        s.put("operations", MysqlResults.updateOperations(dir, configDir));
        return s;
    }

    private Map<String, Object> reads(Testbed testbed, Path dir, Configuration c, String host, int threads)
            throws IOException, TestbedException, InterruptedException {
        String id = c.id() + "-t" + threads;
        Path seriesDir = dir.resolve(c.id()).resolve("t" + threads);
        List<Integer> split = MysqlResults.threadsPerClient(threads, testbed.clients().size());
        progress.printf("bench: %s: %d select threads (%s) x %d loops%n", id, threads,
                split.stream().map(String::valueOf).collect(Collectors.joining(" + ")), plan.loops());
        List<Process> workers = new ArrayList<>();
        List<CountDownLatch> ready = new ArrayList<>();
        List<Thread> relays = new ArrayList<>();
        List<Path> outDirs = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        try {
            for (int k = 0; k < split.size(); k++) {
                String client = testbed.clients().get(k).name();
                Path out = seriesDir.resolve(client);
                Files.createDirectories(out);
                outDirs.add(out);
                List<String> args = workerArgs("reads", host, List.of("--threads", Integer.toString(split.get(k)),
                        "--loops", Integer.toString(plan.loops()), "--warm-up", Integer.toString(plan.warmUp()),
                        "--table-rows", Integer.toString(plan.tableRows()), "--client-index", Integer.toString(k),
                        "--wait-for-go", "--out", out.toString()));
                commands.add(display(args, dir) + " (in " + client + ")");
                Process p = testbed.exec(client, javaCommand(args)).redirectErrorStream(true).start();
                workers.add(p);
                CountDownLatch r = new CountDownLatch(1);
                ready.add(r);
                relays.add(relay(p, out.resolve("worker.log"), id + " " + client, r));
            }
            long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
            for (int k = 0; k < workers.size(); k++) {
                while (!ready.get(k).await(200, TimeUnit.MILLISECONDS)) {
                    if (!workers.get(k).isAlive() || System.currentTimeMillis() > deadline) {
                        throw new IOException(id + ": the worker in " + testbed.clients().get(k).name()
                                + (workers.get(k).isAlive() ? " was not ready in time" : " exited before it was ready")
                                + ": " + lastLine(outDirs.get(k).resolve("worker.log")));
                    }
                }
            }
            for (Process p : workers) {
                OutputStream in = p.getOutputStream();
                in.write((Worker.GO + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            for (int k = 0; k < workers.size(); k++) {
                awaitWorker(workers.get(k), relays.get(k), id, outDirs.get(k).resolve("worker.log"));
            }
        } finally {
            for (Process p : workers) {
                stop(p);
            }
        }
        Map<String, Object> s = header(c);
        s.put("id", id);
        s.put("label", c.label() + ", " + threads + " threads");
        s.put("threads", threads);
        s.put("threadsPerClient", split);
        s.put("loops", plan.loops());
        s.putAll(MysqlResults.readNumbers(dir, outDirs));
        s.put("commands", commands);
        return s;
    }

    private Map<String, Object> header(Configuration c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", c.id());
        s.put("label", c.label());
        s.put("transport", c.standalone() ? "standalone" : "ar-tcp");
        s.put("nodes", c.nodes());
        s.put("delivery", c.delivery());
        if (plan.experiment() == Experiment.READS) {
            s.put("readPolicy", c.readPolicy());
        }
        return s;
    }

    // ---------------------------------------------------------------- worker processes

    private List<String> workerArgs(String mode, String host, List<String> more) {
        ClusterSpec.MysqlOptions db = ClusterSpec.MysqlOptions.defaults();
        List<String> args = new ArrayList<>(List.of(mode, "--host", host, "--port", Integer.toString(Cluster.MYSQL_PORT),
                "--database", db.dbName(), "--user", db.user()));
        if (db.hasPassword()) {
            args.addAll(List.of("--password", db.password()));
        }
        if (plan.serverPreparedStatements()) {
            args.add("--server-prep-stmts");
        }
        args.addAll(more);
        return args;
    }

    /** Runs a worker to its end in {@code client}, its output relayed as progress and kept in {@code log}. */
    private void runWorker(Testbed testbed, String client, String what, List<String> args, Path log)
            throws IOException, TestbedException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = testbed.exec(client, javaCommand(args)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try {
            awaitWorker(p, relay(p, log, what, null), what, log);
        } finally {
            stop(p);
        }
    }

    private static void awaitWorker(Process p, Thread relay, String what, Path log) throws IOException, InterruptedException {
        if (!p.waitFor(WORKER_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new IOException(what + ": the worker did not finish in " + WORKER_TIMEOUT_MS / 60_000 + " minutes; see "
                    + log);
        }
        relay.join(5_000);
        if (p.exitValue() != 0) {
            throw new IOException(what + ": the worker failed (exit " + p.exitValue() + "): " + lastLine(log) + " — see " + log);
        }
    }

    /** Copies a worker's output to its log and to the progress stream; counts {@code ready} down at READY. */
    private Thread relay(Process p, Path log, String what, CountDownLatch ready) throws IOException {
        Files.createDirectories(log.getParent());
        Writer w = Files.newBufferedWriter(log);
        return Thread.ofPlatform().daemon().name("relay " + what).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 w) {
                String line;
                while ((line = in.readLine()) != null) {
                    w.write(line);
                    w.write('\n');
                    w.flush();
                    if (ready != null && line.strip().equals(Worker.READY)) {
                        ready.countDown();
                    } else if (!line.isBlank()) {
                        progress.println("  [" + what + "] " + line.strip());
                    }
                }
            } catch (IOException e) {
                progress.println("  [" + what + "] lost the worker's output: " + e.getMessage());
            }
        });
    }

    /** {@code java … -cp <this code> org.artcp.bench.mysql.Worker ARGS} with this JVM's java. */
    static List<String> javaCommand(List<String> args) {
        return javaCommand(Worker.class.getName(), args);
    }

    /** {@code java … -cp <this code> MAIN ARGS} with this JVM's java. */
    static List<String> javaCommand(String mainClass, List<String> args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
                classPath(), mainClass)); // the ping-pong uses FFM sockets (netpipe-java)
        cmd.addAll(args);
        return cmd;
    }

    /** The shaded jar when this runs from one (./artcp), else the class path (tests, IDEs). */
    private static String classPath() {
        try {
            Path self = Path.of(MysqlBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self)) {
                return self.toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no usable code source: fall back to the class path
        }
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isEmpty()).map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The worker's command as a person would read it: the jar by name, the password hidden, paths relative. */
    static String display(List<String> args, Path dir) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            shown.add(args.get(i));
            if (args.get(i).equals("--password") && i + 1 < args.size()) {
                shown.add("***");
                i++;
            }
        }
        return ("java -cp artcp.jar " + Worker.class.getName() + " " + String.join(" ", shown))
                .replace(dir.toAbsolutePath() + "/", "");
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

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String firstLine(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out.strip().lines().findFirst().orElse(null)
                    : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
