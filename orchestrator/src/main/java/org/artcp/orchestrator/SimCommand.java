package org.artcp.orchestrator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.artcp.node.order.DeliveryMode;
import org.artcp.node.sim.CrashPlan;
import org.artcp.node.sim.Scenario;
import org.artcp.node.sim.SimResult;
import org.artcp.node.sim.SimSweep;
import org.artcp.node.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./artcp sim}: the deterministic simulation of the node cores (artcp-node {@code org.artcp.node.sim}).
 * One seed reruns one scenario exactly (with its trace on request); {@code --sweep} runs many.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Deterministic simulation of N AR-TCP node cores: lossy, duplicating, reordering, corrupting "
                + "links, crashes at any instant (the primary mid-multicast, a second node during the election), "
                + "clients issuing causal, read-only and pure-ACK requests; every run is checked against the "
                + "ordering, safe-delivery, read-only, membership and aggregator invariants.",
                "A seed determines the whole scenario; a failing seed printed by a test or a sweep reruns exactly."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp sim --seed 42                        rerun one scenario, print its verdict",
                "  ./artcp sim --seed 42 --trace                ... and every event of it",
                "  ./artcp sim --seed 42 --nodes 4 --delivery safe --crash primary-then-during-election",
                "  ./artcp sim --sweep --scenarios 1000000      the big sweep, with progress",
                "  ./artcp sim --sweep --scenarios 100000 --from 5000000 --threads 2 --out sweep.json"})
public final class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--seed", description = "Run the scenario of this seed.")
    Long seed;

    @Option(names = "--nodes", description = "Override the cluster size: 2, 3 or 4 (default: from the seed).")
    int nodes;

    @Option(names = "--delivery", description = "Override the delivery mode: best-effort or safe (default: from the seed).")
    String delivery;

    @Option(names = "--crash", description = "Override the crash plan: ${COMPLETION-CANDIDATES} (lower case, dashes).",
            completionCandidates = CrashPlans.class)
    String crash;

    @Option(names = "--crash-at", defaultValue = "-1", description = "Fix the first crash point: the crashing node's "
            + "frame-copy index (frame-point plans; default: from the seed).")
    int crashAt;

    @Option(names = "--second-crash-at", defaultValue = "-1", description = "Fix the during-election crash point: "
            + "the second node's frame-copy index once the election began (default: from the seed).")
    int secondCrashAt;

    @Option(names = "--trace", description = "Print the event trace of the scenario (with --seed).")
    boolean trace;

    @Option(names = "--sweep", description = "Run many consecutive seeds.")
    boolean sweep;

    @Option(names = "--scenarios", defaultValue = "1000000", description = "Scenarios in a sweep (default ${DEFAULT-VALUE}).")
    long scenarios;

    @Option(names = "--from", defaultValue = "0", description = "First seed of a sweep (default ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--threads", defaultValue = "1", description = "Threads for a sweep (default ${DEFAULT-VALUE}; the "
            + "machine may be shared).")
    int threads;

    @Option(names = "--out", description = "Also write the sweep's summary as JSON to this file.")
    Path out;

    static final class CrashPlans implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(CrashPlan.values()).map(SimCommand::planName).iterator();
        }
    }

    static String planName(CrashPlan p) {
        return p.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        DeliveryMode mode;
        CrashPlan plan;
        try {
            mode = parseMode(delivery);
            plan = parsePlan(crash);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        if (nodes != 0 && (nodes < 2 || nodes > 4)) {
            return fail("--nodes must be 2, 3 or 4");
        }
        if (sweep == (seed != null)) {
            return fail("give either --seed N or --sweep (see --help)");
        }
        if (seed != null) {
            Scenario sc = Scenario.fromSeed(seed, nodes, mode, plan).withCrashPoints(crashAt, secondCrashAt);
            if (plan != null && sc.plan() != plan) {
                return fail("crash plan " + planName(plan) + " needs at least 3 nodes (this scenario has "
                        + sc.nodes() + "; add --nodes 3 or --nodes 4)");
            }
            o.println("scenario: " + sc);
            SimResult r = Simulation.run(sc, trace);
            if (trace) {
                o.print(r.trace());
            }
            o.println(r.summary());
            o.flush();
            return r.passed() ? 0 : 1;
        }
        if (scenarios < 1 || threads < 1) {
            return fail("--scenarios and --threads must be positive");
        }
        o.printf("sweep: seeds %d .. %d, nodes %s, delivery %s, crash %s, %d thread(s)%n", from, from + scenarios - 1,
                nodes == 0 ? "from seed" : nodes, delivery == null ? "from seed" : delivery,
                crash == null ? "from seed" : crash, threads);
        o.flush();
        Instant started = Instant.now();
        PrintWriterStream progress = new PrintWriterStream(o);
        SimSweep.Summary s = SimSweep.run(from, scenarios, nodes, mode, plan, threads, progress,
                Math.max(1, Math.min(10_000, scenarios / 20)));
        o.print(s.report());
        o.flush();
        if (out != null) {
            Files.writeString(out, json(s, started, mode, plan));
            o.println("wrote " + out);
        }
        return s.failures().isEmpty() ? 0 : 1;
    }

    private String json(SimSweep.Summary s, Instant started, DeliveryMode mode, CrashPlan plan) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"experiment\": \"sim-sweep\",\n");
        b.append("  \"started\": \"").append(started).append("\",\n");
        b.append("  \"finished\": \"").append(Instant.now()).append("\",\n");
        b.append("  \"firstSeed\": ").append(from).append(",\n");
        b.append("  \"scenarios\": ").append(s.scenarios()).append(",\n");
        b.append("  \"nodes\": ").append(nodes == 0 ? "null" : nodes).append(",\n");
        b.append("  \"delivery\": ").append(mode == null ? "null" : "\"" + mode + "\"").append(",\n");
        b.append("  \"crash\": ").append(plan == null ? "null" : "\"" + plan + "\"").append(",\n");
        b.append("  \"threads\": ").append(threads).append(",\n");
        b.append("  \"passed\": ").append(s.passed()).append(",\n");
        b.append("  \"failedSeeds\": [");
        for (int i = 0; i < s.failures().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(s.failures().get(i).scenario().seed());
        }
        b.append("],\n");
        b.append("  \"scenariosByNodes\": {\"2\": ").append(s.perNodes()[2]).append(", \"3\": ").append(s.perNodes()[3])
                .append(", \"4\": ").append(s.perNodes()[4]).append("},\n");
        b.append("  \"frameCopies\": ").append(s.framesSent()).append(",\n");
        b.append("  \"causalDeliveriesPerSurvivor\": ").append(s.causalDelivered()).append(",\n");
        b.append("  \"readOnlyServed\": ").append(s.readOnlyServed()).append(",\n");
        b.append("  \"crashes\": ").append(s.crashes()).append(",\n");
        b.append("  \"primaryChanges\": ").append(s.primaryChanges()).append(",\n");
        b.append("  \"corruptedFramesDropped\": ").append(s.badFramesDropped()).append(",\n");
        b.append("  \"wallSeconds\": ").append(String.format(Locale.ROOT, "%.1f", s.elapsedNs() / 1e9)).append("\n}\n");
        return b.toString();
    }

    private static DeliveryMode parseMode(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "best-effort", "besteffort", "be" -> DeliveryMode.BEST_EFFORT;
            case "safe" -> DeliveryMode.SAFE;
            default -> throw new IllegalArgumentException("--delivery must be best-effort or safe, not " + s);
        };
    }

    private static CrashPlan parsePlan(String s) {
        if (s == null) {
            return null;
        }
        for (CrashPlan p : CrashPlan.values()) {
            if (planName(p).equals(s.toLowerCase(Locale.ROOT)) || p.name().equalsIgnoreCase(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --crash " + s + "; one of " + String.join(", ", new CrashPlans()));
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("artcp sim: " + message);
        spec.commandLine().getErr().flush();
        return 2;
    }

    /** Progress lines through picocli's writer (so tests capturing it see them). */
    private static final class PrintWriterStream extends java.io.PrintStream {
        PrintWriterStream(PrintWriter w) {
            super(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    w.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
                    w.flush();
                }
            }, true, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
