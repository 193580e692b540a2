package org.artcp.orchestrator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.artcp.orchestrator.cluster.Cluster;
import org.artcp.orchestrator.cluster.ClusterException;
import org.artcp.orchestrator.cluster.ClusterSpec;
import org.artcp.orchestrator.cluster.Faults;
import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * The failure detector's trade-off on this machine (issue 6): for each failure timeout, how often the nodes
 * wrongly exclude a live peer under load, and how long they take to exclude a dead one.
 *
 * <p>Each round is a fresh 3-node cluster ({@code --app none}, best-effort) with the given heartbeat and
 * timeout. While it runs, the machine is loaded as in the failover bench ({@link Load}): a CPU hog pinned to
 * each core, in the client namespaces, and NetPIPE streams from client2 through the portal to an
 * {@code NPtcp} receiver in every node host. The bench waits out the nodes' start-up grace, then for the soak
 * time injects nothing: every {@code membership:} line a node logs then is a false suspicion (the detector is
 * crash-stop, so the peer stays excluded for the rest of the round). Then it kills a backup
 * ({@link Faults#kill}, node2 and node3 in turn) and takes the detection time as the first survivor's
 * {@code membership:} line that drops the victim, minus the kill instant (the node logs' timestamps have
 * millisecond precision). Results under {@code results/detector/<timestamp>/}: {@code config.json},
 * {@code env.json}, {@code rounds.csv} (one row per round), {@code suspicions.csv} (every false suspicion's
 * log line), {@code summary.json} (per timeout), and each round's cluster directory (the node logs).
 */
public final class DetectorBench {
    /** Lines the nodes log when their live set changes ({@code DataPlane.followMembership}). */
    static final Pattern MEMBERSHIP = Pattern.compile("^(\\S+) membership: live ranks \\[([0-9, ]*)] -> \\[([0-9, ]*)]");
    static final int NODES = 3;
    private static final String PORTAL = Cluster.PORTAL_ADDRESS;
    private static final int NETPIPE_PORT = 5002;
    /** How long the survivors get to log the exclusion of a killed node before the round gives up on it. */
    private static final long DETECTION_WAIT_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What to run.
     *
     * @param failureTimeoutsMs the timeouts to measure, each more than {@code heartbeatMs}
     * @param soakSeconds       per round: how long the loaded cluster runs without a fault
     * @param kills             rounds per timeout, one kill each
     * @param load              load the machine (off: an idle machine, for comparison)
     */
    public record Plan(List<Integer> failureTimeoutsMs, int heartbeatMs, int soakSeconds, int kills, boolean load,
                       Path resultsRoot, boolean keepTestbed) {
        public Plan {
            failureTimeoutsMs = List.copyOf(failureTimeoutsMs);
            if (failureTimeoutsMs.isEmpty()) {
                throw new IllegalArgumentException("--timeouts: give at least one failure timeout");
            }
            for (int t : failureTimeoutsMs) {
                new ClusterSpec(NODES, "best-effort", "rr-np", "none", null, heartbeatMs, t);
            }
            if (soakSeconds < 0 || kills < 1) {
                throw new IllegalArgumentException("--soak must be at least 0 s and --kills at least 1");
            }
        }
    }

    /** One round: a fresh cluster, a soak, one kill. Detection is -1 when no survivor logged the exclusion. */
    public record Round(int failureTimeoutMs, int heartbeatMs, int round, String victim, Instant soakStart,
                        Instant killedAt, double soakSeconds, int falseSuspicions, long detectionFirstMs,
                        long detectionLastMs, String note) {
    }

    /** A membership line of a node log. */
    record MembershipLine(String host, Instant at, List<Integer> from, List<Integer> to, String line) {
    }

    private final Plan plan;
    private final Path repo;
    private final PrintStream progress;

    public DetectorBench(Plan plan, Path repo, PrintStream progress) {
        this.plan = plan;
        this.repo = repo;
        this.progress = progress;
    }

    /** Runs every round and returns the results directory. */
    public Path run() throws IOException, TestbedException, InterruptedException {
        Instant started = Instant.now();
        return BenchTestbed.run(new TestbedConfig(NODES, 2, null, null), plan.keepTestbed(), progress,
                testbed -> run(testbed, started));
    }

    private Path run(Testbed testbed, Instant started) throws IOException, TestbedException, InterruptedException {
        Path dir = ResultsDirectory.create(plan.resultsRoot(), "detector", started);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", "detector");
        config.put("nodes", NODES);
        config.put("app", "none");
        config.put("delivery", "best-effort");
        config.put("heartbeatMs", plan.heartbeatMs());
        config.put("failureTimeoutsMs", plan.failureTimeoutsMs());
        config.put("soakSeconds", plan.soakSeconds());
        config.put("killsPerTimeout", plan.kills());
        config.put("startupGraceMs", STARTUP_GRACE_MS);
        config.put("load", plan.load() ? Load.DESCRIPTION : "none");
        config.put("startedAt", started.toString());
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        JSON.writeValue(dir.resolve("env.json").toFile(), Environment.capture(repo));
        progress.println("bench detector: " + plan.failureTimeoutsMs().size() + " timeouts x " + plan.kills()
                + " rounds (fresh 3-node cluster, " + plan.soakSeconds() + " s soak, one backup killed); load: "
                + (plan.load() ? Load.DESCRIPTION : "none"));
        List<Round> rounds = new ArrayList<>();
        List<String> suspicions = new ArrayList<>();
        suspicions.add("failureTimeoutMs,round,host,at,line");
        for (int timeout : plan.failureTimeoutsMs()) {
            for (int r = 1; r <= plan.kills(); r++) {
                Round round = round(testbed, dir, timeout, r, suspicions);
                rounds.add(round);
                progress.println(String.format(Locale.ROOT, "  timeout %d ms, round %d: %d false suspicion(s) in %.0f s; "
                        + "killed %s, detected after %s%s", timeout, r, round.falseSuspicions(), round.soakSeconds(),
                        round.victim(), round.detectionFirstMs() < 0 ? "-" : round.detectionFirstMs() + " ms",
                        round.note().isEmpty() ? "" : " (" + round.note() + ")"));
                writeRounds(dir, rounds);
                Files.write(dir.resolve("suspicions.csv"), suspicions);
            }
        }
        Map<String, Object> summary = summary(config, rounds);
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        progress.print(table(summary));
        Files.writeString(dir.resolve("table.txt"), table(summary));
        ResultsDirectory.markLatest(dir);
        return dir;
    }

    /** The nodes' start-up grace ({@code NodeProcessConfig}'s default, which the cluster keeps). */
    static final long STARTUP_GRACE_MS = 10_000;

    private Round round(Testbed testbed, Path dir, int timeout, int r, List<String> suspicions)
            throws IOException, TestbedException, InterruptedException {
        ClusterSpec spec = new ClusterSpec(NODES, "best-effort", "rr-np", "none", null, plan.heartbeatMs(), timeout);
        Path runDir = dir.resolve("clusters").resolve("t" + timeout + "-r" + r);
        String victim = r % 2 == 1 ? "node3" : "node2";
        int victimRank = Integer.parseInt(victim.substring(4)) - 1;
        Cluster cluster;
        try {
            cluster = Cluster.start(testbed, spec, runDir, line -> { });
        } catch (ClusterException e) {
            throw new IOException("round " + r + " with timeout " + timeout + " ms: " + e.getMessage(), e);
        }
        Instant ready = Instant.now();
        try (Load load = plan.load() ? Load.start(testbed, runDir) : null) {
            // the nodes suspect nobody before their start-up grace (plus the timeout) from their own start
            Thread.sleep(Math.max(0, STARTUP_GRACE_MS + timeout + 500 - Duration.between(
                    Instant.parse(cluster.state().startedAt()), ready).toMillis()));
            Instant soakStart = Instant.now();
            Thread.sleep(plan.soakSeconds() * 1000L);
            Instant killedAt;
            try {
                killedAt = Faults.kill(victim);
            } catch (ClusterException e) {
                throw new IOException("cannot kill " + victim + ": " + e.getMessage(), e);
            }
            long deadline = System.currentTimeMillis() + DETECTION_WAIT_MS;
            List<String> survivors = List.of("node1", "node2", "node3").stream().filter(h -> !h.equals(victim)).toList();
            List<Long> detections;
            do {
                Thread.sleep(100);
                detections = detections(cluster, survivors, victimRank, killedAt);
            } while (detections.stream().anyMatch(d -> d < 0) && System.currentTimeMillis() < deadline);
            List<MembershipLine> before = new ArrayList<>();
            for (Cluster.Member m : cluster.state().nodes()) {
                for (MembershipLine l : membershipLines(m.host(), Path.of(m.log()))) {
                    if (l.at().isBefore(killedAt)) {
                        before.add(l);
                        suspicions.add(timeout + "," + r + "," + m.host() + "," + l.at() + ",\"" + l.line() + "\"");
                    }
                }
            }
            boolean victimGoneBefore = before.stream().anyMatch(l -> survivors.contains(l.host())
                    && !l.to().contains(victimRank));
            long first = detections.stream().filter(d -> d >= 0).mapToLong(Long::longValue).min().orElse(-1);
            long last = detections.stream().anyMatch(d -> d < 0) ? -1
                    : detections.stream().mapToLong(Long::longValue).max().orElse(-1);
            String note = victimGoneBefore ? "the victim was already excluded by a false suspicion"
                    : first < 0 ? "no survivor logged the exclusion within " + DETECTION_WAIT_MS / 1000 + " s" : "";
            return new Round(timeout, plan.heartbeatMs(), r, victim, soakStart, killedAt,
                    Duration.between(soakStart, killedAt).toMillis() / 1000.0, before.size(),
                    victimGoneBefore ? -1 : first, victimGoneBefore ? -1 : last, note);
        } finally {
            cluster.stop(line -> { });
        }
    }

    /** Per survivor: ms from the kill to its first membership line without the victim, or -1 if none yet. */
    private static List<Long> detections(Cluster cluster, List<String> survivors, int victimRank, Instant killedAt)
            throws IOException {
        List<Long> out = new ArrayList<>();
        for (String host : survivors) {
            Cluster.Member m = cluster.state().nodes().stream().filter(x -> x.host().equals(host)).findFirst().orElseThrow();
            Optional<MembershipLine> hit = membershipLines(host, Path.of(m.log())).stream()
                    .filter(l -> !l.at().isBefore(killedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)))
                    .filter(l -> l.from().contains(victimRank) && !l.to().contains(victimRank)).findFirst();
            out.add(hit.map(l -> Math.max(0, Duration.between(killedAt, l.at()).toMillis())).orElse(-1L));
        }
        return out;
    }

    /** The membership lines of a node log (lines without a parsable timestamp are skipped). */
    static List<MembershipLine> membershipLines(String host, Path log) throws IOException {
        List<MembershipLine> out = new ArrayList<>();
        if (!Files.isRegularFile(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            Optional<MembershipLine> l = parse(host, line);
            l.ifPresent(out::add);
        }
        return out;
    }

    static Optional<MembershipLine> parse(String host, String line) {
        Matcher m = MEMBERSHIP.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new MembershipLine(host, Instant.parse(m.group(1)), ranks(m.group(2)), ranks(m.group(3)),
                    line.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static List<Integer> ranks(String list) {
        return list.isBlank() ? List.of()
                : java.util.Arrays.stream(list.split(",")).map(String::strip).map(Integer::parseInt).toList();
    }

    private static void writeRounds(Path dir, List<Round> rounds) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("failureTimeoutMs,heartbeatMs,round,victim,soakStart,killedAt,soakSeconds,falseSuspicions,"
                + "detectionFirstMs,detectionLastMs,note");
        for (Round r : rounds) {
            lines.add(String.join(",", Integer.toString(r.failureTimeoutMs()), Integer.toString(r.heartbeatMs()),
                    Integer.toString(r.round()), r.victim(), r.soakStart().toString(), r.killedAt().toString(),
                    String.format(Locale.ROOT, "%.3f", r.soakSeconds()), Integer.toString(r.falseSuspicions()),
                    Long.toString(r.detectionFirstMs()), Long.toString(r.detectionLastMs()), "\"" + r.note() + "\""));
        }
        Files.write(dir.resolve("rounds.csv"), lines);
    }

    /** Per timeout: rounds, soak time, false suspicions (and per node-minute), detection min/p50/max. */
    static Map<String, Object> summary(Map<String, Object> config, List<Round> rounds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("experiment", "detector");
        s.put("config", config);
        List<Map<String, Object>> perTimeout = new ArrayList<>();
        for (int timeout : rounds.stream().map(Round::failureTimeoutMs).distinct().toList()) {
            List<Round> rs = rounds.stream().filter(r -> r.failureTimeoutMs() == timeout).toList();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("failureTimeoutMs", timeout);
            t.put("heartbeatMs", rs.getFirst().heartbeatMs());
            t.put("rounds", rs.size());
            double soak = rs.stream().mapToDouble(Round::soakSeconds).sum();
            int suspicions = rs.stream().mapToInt(Round::falseSuspicions).sum();
            t.put("soakSeconds", Math.round(soak * 10) / 10.0);
            t.put("falseSuspicions", suspicions);
            t.put("roundsWithFalseSuspicions", rs.stream().filter(r -> r.falseSuspicions() > 0).count());
            t.put("falseSuspicionsPerHour", soak == 0 ? 0 : Math.round(suspicions * 3600.0 / soak * 10) / 10.0);
            List<Long> first = rs.stream().map(Round::detectionFirstMs).filter(d -> d >= 0).sorted().toList();
            List<Long> last = rs.stream().map(Round::detectionLastMs).filter(d -> d >= 0).sorted().toList();
            t.put("kills", rs.size());
            t.put("detected", first.size());
            t.put("detectionFirstMs", stats(first));
            t.put("detectionLastMs", stats(last));
            perTimeout.add(t);
        }
        s.put("timeouts", perTimeout);
        return s;
    }

    private static Map<String, Object> stats(List<Long> sorted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", sorted.size());
        m.put("min", sorted.isEmpty() ? null : sorted.getFirst());
        m.put("p50", sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2));
        m.put("max", sorted.isEmpty() ? null : sorted.getLast());
        m.put("values", sorted);
        return m;
    }

    /** The summary as the table the bench prints. */
    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> summary) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-9s %-9s %-7s %-17s %-6s %-26s %s%n", "TIMEOUT", "HEARTBEAT", "SOAK",
                "FALSE SUSPICIONS", "KILLS", "DETECTION ms min/p50/max", "ALL SURVIVORS ms min/p50/max"));
        for (Map<String, Object> t : (List<Map<String, Object>>) summary.get("timeouts")) {
            Map<String, Object> f = (Map<String, Object>) t.get("detectionFirstMs");
            Map<String, Object> l = (Map<String, Object>) t.get("detectionLastMs");
            sb.append(String.format(Locale.ROOT, "%-9s %-9s %-7s %-17s %-6s %-26s %s%n", t.get("failureTimeoutMs") + " ms",
                    t.get("heartbeatMs") + " ms", Math.round((Double) t.get("soakSeconds")) + " s",
                    t.get("falseSuspicions") + " (" + t.get("roundsWithFalseSuspicions") + "/" + t.get("rounds") + " rounds)",
                    t.get("detected") + "/" + t.get("kills"), triple(f), triple(l)));
        }
        return sb.toString();
    }

    private static String triple(Map<String, Object> s) {
        return s.get("min") == null ? "-" : s.get("min") + "/" + s.get("p50") + "/" + s.get("max");
    }

    /**
     * The load of the failover bench: a CPU hog ({@code sh} busy loop) pinned to each core, one in client1 on
     * CPU 0 and one in client2 on CPU 1, and NetPIPE streams from client2 through the portal, one after the
     * other (NPtcp up to 64 KiB messages), to an NPtcp receiver restarted in a loop in every node host.
     */
    static final class Load implements AutoCloseable {
        static final String DESCRIPTION = "a busy-loop CPU hog pinned to each core (client1 on CPU 0, client2 on CPU 1) "
                + "and back-to-back NPtcp runs (up to 64 KiB) from client2 through the portal to an NPtcp receiver in "
                + "every node host";
        private final List<Process> processes;

        private Load(List<Process> processes) {
            this.processes = processes;
        }

        static Load start(Testbed testbed, Path runDir) throws TestbedException {
            List<Process> ps = new ArrayList<>();
            Load load = new Load(ps);
            try {
                for (int k = 1; k <= NODES; k++) {
                    ps.add(testbed.spawn("node" + k, List.of("sh", "-c", "while :; do NPtcp -P " + NETPIPE_PORT
                            + " -u 65536 >/dev/null 2>&1; sleep 0.05; done"), runDir.resolve("load-node" + k + ".log")));
                }
                ps.add(testbed.spawn("client2", List.of("sh", "-c", "sleep 0.5; while :; do NPtcp -h " + PORTAL + " -P "
                        + NETPIPE_PORT + " -u 65536 -o /dev/null >/dev/null 2>&1; sleep 0.2; done"),
                        runDir.resolve("load-client2.log")));
                ps.add(testbed.spawn("client1", List.of("taskset", "-c", "0", "sh", "-c", "while :; do :; done"),
                        runDir.resolve("load-hog0.log")));
                ps.add(testbed.spawn("client2", List.of("taskset", "-c", "1", "sh", "-c", "while :; do :; done"),
                        runDir.resolve("load-hog1.log")));
                return load;
            } catch (TestbedException | RuntimeException e) {
                load.close();
                throw e;
            }
        }

        @Override
        public void close() {
            // each loop and whatever it runs now: by pid, children first
            for (Process p : processes) {
                // the loop first, so it starts nothing more, then what it was running
                List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
                p.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            for (Process p : processes) {
                try {
                    p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public String toString() {
            return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(","));
        }
    }
}
