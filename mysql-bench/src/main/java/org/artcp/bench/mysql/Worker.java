package org.artcp.bench.mysql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of the MySQL experiments, one process per client host, which the orchestrator
 * runs inside a client namespace ({@code ip netns exec artcp-client1 java -cp artcp.jar
 * org.artcp.bench.mysql.Worker …}). It writes its results into {@code --out}:
 * {@code worker.json} (what ran and the numbers) and {@code histograms/<name>.hlog} (HdrHistogram
 * logs of response times in ns), and prints progress lines on stdout.
 *
 * <pre>
 *   Worker updates       --host H --port P [--database D --user U --password X] --repetitions 200 --warm-up 20 --out DIR
 *   Worker prepare-reads --host H --port P … --table-rows 10000
 *   Worker reads         --host H --port P … --threads 10 --loops 1000 --warm-up 50 --client-index 0 --out DIR [--wait-for-go]
 *   Worker failover      --host H --port P … --append-threads 2 --read-threads 2 --keys-per-thread 20 [--transactions]
 *                        [--warm-up-seconds 2] [--duration S] [--op-timeout-ms 30000] --ops-file F --check-file F
 * </pre>
 *
 * <p>With {@code --wait-for-go} the reads worker prints {@value #READY} once its threads are
 * connected and warmed up, then waits for a line {@value #GO} on stdin: the orchestrator starts all
 * client processes' measurements together. Exit status 0 on success, 1 when the workload failed,
 * 2 for bad arguments.
 *
 * <p>{@code failover} ({@link FailoverWorkload}) creates its tables, starts its threads, prints {@value #READY}
 * after the warm-up and runs until a line {@value #STOP} on stdin (or {@code --duration} seconds after READY; without
 * a duration, stdin's end stops it too). Then it writes {@code --ops-file} (every op, {@link Op#CSV_HEADER}), reads
 * the lists back and writes {@code --check-file} (JSON: the {@link AppendHistory.Check}, errors, reconnects, ops per
 * kind) and prints {@value #DONE}. Its status is 0 whatever the check found (the bench judges); 1 when the lists
 * could not be read back (the check file then says {@code verifyError}).
 */
public final class Worker {
    public static final String READY = "READY";
    public static final String GO = "GO";
    public static final String STOP = "STOP";
    public static final String DONE = "DONE";
    /** How many anomalies of each kind the check file lists (their counts are whole). */
    static final int MAX_LISTED_ANOMALIES = 1_000;
    /** How many failed ops the failover worker prints as they happen. */
    static final int MAX_PRINTED_ERRORS = 20;
    public static final String SUMMARY_FILE = "worker.json";
    public static final String HISTOGRAM_DIR = "histograms";
    /** The histogram file of the reads worker. */
    public static final String SELECT_HISTOGRAM = "select";
    /** How often a long run prints where it is. */
    static final long PROGRESS_INTERVAL_NS = 5_000_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Worker() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.in));
    }

    /** Runs one mode; returns the exit status. */
    public static int run(String[] args, PrintStream out, java.io.InputStream in) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("worker: " + e.getMessage());
            out.println("usage: Worker updates|prepare-reads|reads --host H --port P [--database D] [--user U]"
                    + " [--password X] [--server-prep-stmts] [--repetitions R] [--threads T] [--loops L]"
                    + " [--warm-up W] [--table-rows N] [--client-index I] [--wait-for-go] --out DIR");
            out.println("       Worker failover --host H --port P [--database D] [--user U] [--password X]"
                    + " [--append-threads A] [--read-threads R] [--keys-per-thread K] [--transactions]"
                    + " [--warm-up-seconds W] [--duration S] [--op-timeout-ms T] --ops-file F --check-file F");
            return 2;
        }
        try {
            switch (o.mode) {
                case "updates" -> updates(o, out);
                case "prepare-reads" -> prepareReads(o, out);
                case "reads" -> reads(o, out, in);
                case "failover" -> {
                    return failover(o, out, in);
                }
                default -> throw new IllegalStateException(o.mode);
            }
            return 0;
        } catch (SQLException e) {
            out.println("worker: " + o.mode + " failed: " + describe(e));
            return 1;
        } catch (IOException | UncheckedIOException e) {
            out.println("worker: " + o.mode + " failed: cannot write results: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            out.println("worker: interrupted: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            out.println("worker: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            out.println("worker: " + o.mode + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static void updates(Options o, PrintStream out) throws SQLException, IOException {
        Target target = o.target();
        UpdateWorkload.Plan plan = new UpdateWorkload.Plan(o.integer("repetitions", 200), o.integer("warm-up", 20));
        Path dir = o.outDir();
        out.println("updates: " + plan.repetitions() + " repetitions of " + UpdateOperation.values().length
                + " operations (after " + plan.warmUp() + " not recorded) against " + target.describe());
        Instant started = Instant.now();
        Map<UpdateOperation, Latencies> result;
        Ticker ticker = new Ticker(out, "updates", "repetitions");
        try (Connection c = target.connect()) {
            result = new UpdateWorkload(System::nanoTime).run(c, plan, (done, total) -> ticker.tick(done, total));
        }
        Instant finished = Instant.now();
        List<Map<String, Object>> ops = new ArrayList<>();
        for (Map.Entry<UpdateOperation, Latencies> e : result.entrySet()) {
            String file = HISTOGRAM_DIR + "/" + e.getKey().fileName + ".hlog";
            HistogramLog.write(dir.resolve(file), e.getValue().histogram(), "mysql-bench " + e.getKey().label
                    + " response times, ns; " + target.describe(), started.toEpochMilli(), finished.toEpochMilli());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("operation", e.getKey().label);
            putStats(m, e.getValue());
            m.put("histogram", file);
            ops.add(m);
            Latencies.Stats s = e.getValue().stats();
            out.printf(java.util.Locale.ROOT, "updates: %-12s mean %.1f µs, p50 %.1f µs, p99 %.1f µs (%d)%n",
                    e.getKey().label, s.meanUs(), s.p50Us(), s.p99Us(), s.count());
        }
        Map<String, Object> summary = header(o, target, started, finished);
        summary.put("repetitions", plan.repetitions());
        summary.put("warmUp", plan.warmUp());
        summary.put("operations", ops);
        JSON.writeValue(dir.resolve(SUMMARY_FILE).toFile(), summary);
    }

    private static void prepareReads(Options o, PrintStream out) throws SQLException {
        Target target = o.target();
        int rows = o.integer("table-rows", ReadWorkload.DEFAULT_TABLE_ROWS);
        try (Connection c = target.connect()) {
            ReadWorkload.prepare(c, rows);
            long count = ReadWorkload.rowCount(c);
            if (count != rows) {
                throw new SQLException(ReadWorkload.TABLE + " holds " + count + " rows after filling, not " + rows);
            }
        }
        out.println("prepare-reads: " + ReadWorkload.TABLE + " holds " + rows + " rows (" + target.describe() + ")");
    }

    private static void reads(Options o, PrintStream out, java.io.InputStream in)
            throws SQLException, IOException, InterruptedException {
        Target target = o.target();
        ReadWorkload.Plan plan = new ReadWorkload.Plan(o.integer("threads", 10), o.integer("loops", 1000),
                o.integer("warm-up", 50), o.integer("table-rows", ReadWorkload.DEFAULT_TABLE_ROWS),
                o.integer("client-index", 0));
        Path dir = o.outDir();
        boolean waitForGo = o.flag("wait-for-go");
        out.println("reads: " + plan.threads() + " threads x " + plan.loops() + " SELECTs of "
                + ReadWorkload.ROWS_PER_SELECT + " rows (after " + plan.warmUpLoops() + " each not recorded) against "
                + target.describe());
        Ticker ticker = new Ticker(out, "reads", "SELECTs");
        long[] startedMs = new long[1];
        BufferedReader stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<ReadWorkload.ThreadResult> results = new ReadWorkload(System::nanoTime).run(() -> {
            try {
                return target.connect();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect: " + describe(e), e);
            }
        }, plan, () -> {
            if (waitForGo) {
                out.println(READY);
                out.flush();
                String line;
                try {
                    while ((line = stdin.readLine()) != null && !line.strip().equals(GO)) {
                        // anything else on stdin is not the signal
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (line == null) {
                    throw new InterruptedException("stdin closed before " + GO);
                }
            }
            startedMs[0] = System.currentTimeMillis();
        }, (done, total) -> ticker.tick(done, total));
        long finishedMs = System.currentTimeMillis();

        Latencies all = new Latencies();
        List<Map<String, Object>> perThread = new ArrayList<>();
        for (ReadWorkload.ThreadResult r : results) {
            all.add(r.latencies());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("thread", r.thread());
            Latencies.Stats s = r.latencies().stats();
            m.put("count", s.count());
            m.put("errors", s.errors());
            m.put("meanUs", finite(s.meanUs()));
            perThread.add(m);
        }
        String file = HISTOGRAM_DIR + "/" + SELECT_HISTOGRAM + ".hlog";
        HistogramLog.write(dir.resolve(file), all.histogram(), "mysql-bench SELECT response times (100 rows), ns; "
                + plan.threads() + " threads; " + target.describe(), startedMs[0], finishedMs);
        Map<String, Object> summary = header(o, target, Instant.ofEpochMilli(startedMs[0]), Instant.ofEpochMilli(finishedMs));
        summary.put("clientIndex", plan.clientIndex());
        summary.put("threads", plan.threads());
        summary.put("loops", plan.loops());
        summary.put("warmUpLoops", plan.warmUpLoops());
        summary.put("tableRows", plan.tableRows());
        summary.put("rowsPerSelect", ReadWorkload.ROWS_PER_SELECT);
        summary.put("measuredSeconds", (finishedMs - startedMs[0]) / 1000.0);
        putStats(summary, all);
        summary.put("histogram", file);
        summary.put("perThread", perThread);
        JSON.writeValue(dir.resolve(SUMMARY_FILE).toFile(), summary);
        Latencies.Stats s = all.stats();
        out.printf(java.util.Locale.ROOT, "reads: mean %.3f ms, p50 %.3f ms, p99 %.3f ms over %d SELECTs, %d errors%n",
                s.meanUs() / 1000, s.p50Us() / 1000, s.p99Us() / 1000, s.count(), s.errors());
        if (s.errors() > 0) {
            out.println("reads: first error: " + all.firstError());
        }
    }

    private static int failover(Options o, PrintStream out, java.io.InputStream in)
            throws SQLException, IOException, InterruptedException {
        FailoverWorkload.Config config = new FailoverWorkload.Config(o.target(), o.integer("append-threads", 2),
                o.integer("read-threads", 2), o.integer("keys-per-thread", 20), o.flag("transactions"),
                o.integer("op-timeout-ms", FailoverWorkload.DEFAULT_OP_TIMEOUT_MS));
        int warmUpSeconds = o.integer("warm-up-seconds", 2);
        int durationSeconds = o.integer("duration", 0);
        if (warmUpSeconds < 0 || durationSeconds < 0) {
            throw new IllegalArgumentException("--warm-up-seconds and --duration: 0 or more");
        }
        Path opsFile = o.file("ops-file");
        Path checkFile = o.file("check-file");
        FailoverWorkload workload = new FailoverWorkload(config);
        out.println("failover: " + config.appendThreads() + " append threads (" + config.keysPerThread() + " keys each"
                + (config.transactions() ? ", a transaction every " + FailoverWorkload.COMMIT_EVERY + " ops" : "")
                + "), " + config.readThreads() + " read threads against " + config.target().describe());
        workload.prepare();

        java.util.Queue<Op> ops = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger printed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long startedMicros = Op.nowMicros();
        Thread runner = Thread.ofPlatform().name("failover-workload").start(() -> {
            try {
                workload.run(stop::get, op -> {
                    ops.add(op);
                    if (!op.ok() && printed.getAndIncrement() < MAX_PRINTED_ERRORS) {
                        out.println("failover: " + op.kind() + " of thread " + op.thread() + " failed: " + op.error());
                        out.flush();
                    }
                });
            } catch (InterruptedException | RuntimeException e) {
                failed.set(e);
            }
        });
        Thread.sleep(warmUpSeconds * 1000L);
        long readyMicros = Op.nowMicros();
        out.println(READY);
        out.flush();
        awaitStop(in, durationSeconds);
        long stopMicros = Op.nowMicros();
        stop.set(true);
        runner.join();
        if (failed.get() != null) {
            throw new IllegalStateException(failed.get().getMessage());
        }

        List<Op> all = new ArrayList<>(ops);
        all.sort(java.util.Comparator.comparingLong(Op::startMicros));
        Op.writeCsv(opsFile, all);

        Map<String, Object> check = new LinkedHashMap<>();
        int status = 0;
        AppendHistory.Check c = null;
        try {
            c = workload.verify();
        } catch (SQLException e) {
            out.println("failover: cannot read the lists back: " + describe(e));
            status = 1;
            check.put("verifyError", describe(e));
        }
        check.put("ok", c != null && c.ok());
        if (c != null) {
            check.put("keys", c.keys());
            check.put("acknowledged", c.acknowledged());
            check.put("indeterminate", c.indeterminate());
            putAnomalies(check, "lost", c.lost());
            putAnomalies(check, "duplicated", c.duplicated());
            putAnomalies(check, "outOfOrder", c.outOfOrder());
            putAnomalies(check, "unexpected", c.unexpected());
        }
        check.put("appendsAcknowledged", workload.history().acknowledgedCount());
        check.put("appendsIndeterminate", workload.history().indeterminateCount());
        check.put("commitsAcknowledged", workload.commitHistory().acknowledgedCount());
        check.put("commitsIndeterminate", workload.commitHistory().indeterminateCount());
        check.put("errors", workload.errors());
        check.put("reconnects", workload.reconnects());
        check.put("connectFailures", workload.connectFailures());
        check.put("ops", all.size());
        Map<String, Map<String, Long>> byKind = new java.util.TreeMap<>();
        for (Op op : all) {
            byKind.computeIfAbsent(op.kind(), k -> new LinkedHashMap<>(Map.of("ok", 0L, "failed", 0L)))
                    .merge(op.ok() ? "ok" : "failed", 1L, Long::sum);
        }
        check.put("opsByKind", byKind);
        check.put("firstErrors", all.stream().filter(op -> !op.ok()).limit(MAX_PRINTED_ERRORS)
                .map(op -> op.kind() + " of thread " + op.thread() + " at " + op.startMicros() + ": " + op.error()).toList());
        check.put("startedMicros", startedMicros);
        check.put("readyMicros", readyMicros);
        check.put("stopMicros", stopMicros);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("target", config.target().describe());
        cfg.put("appendThreads", config.appendThreads());
        cfg.put("readThreads", config.readThreads());
        cfg.put("keysPerThread", config.keysPerThread());
        cfg.put("transactions", config.transactions());
        cfg.put("opTimeoutMs", config.opTimeoutMs());
        cfg.put("warmUpSeconds", warmUpSeconds);
        cfg.put("durationSeconds", durationSeconds);
        check.put("config", cfg);
        Path parent = checkFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(checkFile.toFile(), check);
        out.println("failover: " + all.size() + " ops, " + workload.errors() + " errors, " + workload.reconnects()
                + " reconnects; history check " + (c == null ? "not run" : c.ok() ? "ok" : "FAILED: " + c.lost().size()
                + " lost, " + c.duplicated().size() + " duplicated, " + c.outOfOrder().size() + " out of order, "
                + c.unexpected().size() + " unexpected") + " (" + (c == null ? 0 : c.acknowledged()) + " acknowledged)");
        out.println(DONE);
        out.flush();
        return status;
    }

    private static void putAnomalies(Map<String, Object> m, String name, List<String> anomalies) {
        m.put(name + "Count", anomalies.size());
        m.put(name, anomalies.subList(0, Math.min(anomalies.size(), MAX_LISTED_ANOMALIES)));
    }

    /**
     * Returns on a line {@value #STOP} on stdin, or after {@code durationSeconds} (when positive); without a duration,
     * the end of stdin stops too (nobody is left to say STOP).
     */
    static void awaitStop(java.io.InputStream in, int durationSeconds) throws InterruptedException {
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Thread.ofPlatform().daemon().name("stdin").start(() -> {
            BufferedReader stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            try {
                String line;
                while ((line = stdin.readLine()) != null) {
                    if (line.strip().equals(STOP)) {
                        stop.countDown();
                        return;
                    }
                }
            } catch (IOException e) {
                // as the end of stdin
            }
            if (durationSeconds == 0) {
                stop.countDown();
            }
        });
        if (durationSeconds > 0) {
            stop.await(durationSeconds, java.util.concurrent.TimeUnit.SECONDS);
        } else {
            stop.await();
        }
    }

    private static Map<String, Object> header(Options o, Target target, Instant started, Instant finished) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", o.mode);
        m.put("target", target.describe());
        m.put("serverPreparedStatements", target.serverPreparedStatements());
        m.put("started", started.toString());
        m.put("finished", finished.toString());
        return m;
    }

    private static void putStats(Map<String, Object> m, Latencies l) {
        Latencies.Stats s = l.stats();
        m.put("count", s.count());
        m.put("errors", s.errors());
        m.put("meanUs", finite(s.meanUs()));
        m.put("p50Us", finite(s.p50Us()));
        m.put("p90Us", finite(s.p90Us()));
        m.put("p99Us", finite(s.p99Us()));
        m.put("minUs", finite(s.minUs()));
        m.put("maxUs", finite(s.maxUs()));
        m.put("firstError", l.firstError());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** An SQLException with its SQL state and the causes' messages, one line. */
    static String describe(SQLException e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        if (e.getSQLState() != null) {
            sb.append(" (SQL state ").append(e.getSQLState()).append(')');
        }
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append("; ").append(c.getMessage());
            }
        }
        return sb.toString().replace('\n', ' ');
    }

    /** Prints "what: done/total unit" at most every {@link #PROGRESS_INTERVAL_NS}, and at the end. */
    static final class Ticker {
        private final PrintStream out;
        private final String what;
        private final String unit;
        private long lastNs = System.nanoTime();

        Ticker(PrintStream out, String what, String unit) {
            this.out = out;
            this.what = what;
            this.unit = unit;
        }

        synchronized void tick(long done, long total) {
            long now = System.nanoTime();
            if (done == total || now - lastNs >= PROGRESS_INTERVAL_NS) {
                lastNs = now;
                out.println(what + ": " + done + "/" + total + " " + unit);
                out.flush();
            }
        }
    }

    /** {@code mode --name value … --flag}, by hand: the worker is launched by the orchestrator, not typed. */
    static final class Options {
        private static final List<String> MODES = List.of("updates", "prepare-reads", "reads", "failover");
        private static final List<String> FLAGS = List.of("server-prep-stmts", "wait-for-go", "transactions");
        private static final List<String> VALUES = List.of("host", "port", "database", "user", "password",
                "repetitions", "threads", "loops", "warm-up", "table-rows", "client-index", "out",
                "append-threads", "read-threads", "keys-per-thread", "warm-up-seconds", "duration", "op-timeout-ms",
                "ops-file", "check-file");

        final String mode;
        private final Map<String, String> values = new HashMap<>();
        private final List<String> flags = new ArrayList<>();

        private Options(String mode) {
            this.mode = mode;
        }

        static Options parse(String[] args) {
            if (args.length == 0 || !MODES.contains(args[0])) {
                throw new IllegalArgumentException("the first argument is the mode: " + String.join(", ", MODES));
            }
            Options o = new Options(args[0]);
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                String name = a.substring(2);
                if (FLAGS.contains(name)) {
                    o.flags.add(name);
                } else if (VALUES.contains(name)) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    o.values.put(name, args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!o.values.containsKey("host") || !o.values.containsKey("port")) {
                throw new IllegalArgumentException("--host and --port are required");
            }
            if (o.mode.equals("failover")) {
                if (!o.values.containsKey("ops-file") || !o.values.containsKey("check-file")) {
                    throw new IllegalArgumentException("--ops-file F and --check-file F are required");
                }
            } else if (!o.mode.equals("prepare-reads") && !o.values.containsKey("out")) {
                throw new IllegalArgumentException("--out DIR is required");
            }
            return o;
        }

        Target target() {
            return new Target(values.get("host"), integer("port", 3306), values.getOrDefault("database", "artcp"),
                    values.getOrDefault("user", "artcp"), values.getOrDefault("password", ""),
                    flag("server-prep-stmts"));
        }

        int integer(String name, int fallback) {
            String v = values.get(name);
            if (v == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " '" + v + "' is not a whole number");
            }
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        Path file(String name) {
            return Path.of(values.get(name));
        }

        Path outDir() throws IOException {
            Path dir = Path.of(values.get("out"));
            Files.createDirectories(dir);
            return dir;
        }
    }
}
