package org.artcp.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes small {@code results/updates/<timestamp>/} and {@code results/reads/<timestamp>/}
 * directories as MysqlBench writes them, with hand-made numbers whose ratios, speed-ups and
 * verdicts the tests know.
 */
final class MysqlFixture {
    static final List<String> OPERATIONS = List.of("create table", "insert", "update", "delete", "drop table");
    /** Standalone means, µs, in operation order. */
    static final double[] STANDALONE_US = {20_000, 400, 500, 450, 9_000};
    /** 2 nodes best-effort: create table 1.1× (met), insert 1.4× (missed), the rest 1.2× (met). */
    static final double[] BE2_US = {22_000, 560, 600, 540, 10_800};
    /** 2 nodes safe: 1.2×, 1.6× (missed), 1.4×, 1.4×, 1.3×. */
    static final double[] SAFE2_US = {24_000, 640, 700, 630, 11_700};

    private MysqlFixture() {}

    /** An updates directory with standalone, 2 nodes best-effort and (when {@code withSafe}) 2 nodes safe. */
    static Path updates(Path dir, boolean withSafe) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = NetpipeFixture.JSON.createObjectNode();
        root.put("experiment", "updates");
        root.put("started", "2026-11-26T22:00:00Z");
        root.put("finished", "2026-11-26T22:10:00Z");
        root.put("repetitions", 200);
        ArrayNode series = root.putArray("series");
        updateSeries(series, "standalone", "standalone", 1, null, STANDALONE_US);
        updateSeries(series, "artcp2-be", "ar-tcp", 2, "best-effort", BE2_US);
        if (withSafe) {
            updateSeries(series, "artcp2-safe", "ar-tcp", 2, "safe", SAFE2_US);
        }
        NetpipeFixture.JSON.writeValue(dir.resolve("summary.json").toFile(), root);
        writeEnvAndConfig(dir, "updates");
        return dir;
    }

    private static void updateSeries(ArrayNode series, String id, String transport, int nodes, String delivery,
                                     double[] means) {
        ObjectNode s = series.addObject();
        s.put("id", id);
        s.put("label", id);
        s.put("transport", transport);
        s.put("nodes", nodes);
        s.put("delivery", delivery);
        s.put("command", "java -cp artcp.jar org.artcp.bench.mysql.Worker updates --host 198.18.0.10 (in client1)");
        ArrayNode ops = s.putArray("operations");
        for (int i = 0; i < OPERATIONS.size(); i++) {
            ObjectNode o = ops.addObject();
            o.put("operation", OPERATIONS.get(i));
            o.put("count", 200);
            o.put("errors", 0);
            o.put("meanUs", means[i]);
            o.put("p50Us", means[i] * 0.95);
            o.put("p90Us", means[i] * 1.2);
            o.put("p99Us", means[i] * 2);
            o.put("maxUs", means[i] * 3);
            o.put("histogram", (String) null);
        }
    }

    /** Standalone means at 10/20/40 threads, µs. */
    static final Map<Integer, Double> STANDALONE_READ_US = Map.of(10, 4_000.0, 20, 8_000.0, 40, 16_000.0);

    /**
     * A reads directory: standalone, and safe rr-np clusters of 2 nodes (40 threads: 9,000 µs, speed-up
     * 1.78 ≥ 1.6: met) and 4 nodes (40 threads: 6,000 µs, speed-up 2.67 < 3.2: missed).
     */
    static Path reads(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = NetpipeFixture.JSON.createObjectNode();
        root.put("experiment", "reads");
        root.put("started", "2026-11-26T22:20:00Z");
        root.put("finished", "2026-11-26T22:50:00Z");
        root.put("loops", 1000);
        root.put("nodeCpu", 0.3);
        ArrayNode series = root.putArray("series");
        for (int threads : List.of(10, 20, 40)) {
            readSeries(series, 1, null, null, threads, STANDALONE_READ_US.get(threads));
        }
        for (int threads : List.of(10, 20, 40)) {
            readSeries(series, 2, "safe", "rr-np", threads, 9_000.0 * threads / 40);
        }
        for (int threads : List.of(10, 40)) {
            readSeries(series, 4, "safe", "rr-np", threads, 6_000.0 * threads / 40);
        }
        NetpipeFixture.JSON.writeValue(dir.resolve("summary.json").toFile(), root);
        writeEnvAndConfig(dir, "reads");
        return dir;
    }

    private static void readSeries(ArrayNode series, int nodes, String delivery, String policy, int threads,
                                   double meanUs) {
        ObjectNode s = series.addObject();
        String id = (nodes == 1 ? "standalone" : "artcp" + nodes + "-safe-" + policy.replace("-", "")) + "-t" + threads;
        s.put("id", id);
        s.put("label", id);
        s.put("transport", nodes == 1 ? "standalone" : "ar-tcp");
        s.put("nodes", nodes);
        s.put("delivery", delivery);
        s.put("readPolicy", policy);
        s.put("threads", threads);
        ArrayNode split = s.putArray("threadsPerClient");
        int clients = threads <= 10 ? 1 : 2;
        for (int c = 0; c < clients; c++) {
            split.add(threads / clients);
        }
        s.put("loops", 1000);
        s.put("count", threads * 1000L);
        s.put("errors", 0);
        s.put("meanUs", meanUs);
        s.put("p50Us", meanUs * 0.9);
        s.put("p90Us", meanUs * 1.5);
        s.put("p99Us", meanUs * 3);
        s.put("maxUs", meanUs * 6);
        ArrayNode perThread = s.putArray("perThreadMeanUs");
        for (int t = 0; t < threads; t++) {
            perThread.add(meanUs * (0.95 + 0.1 * t / threads));
        }
        s.putArray("histograms");
        s.putArray("commands").add("java … Worker reads --threads " + threads / clients + " (in client1)");
    }

    private static void writeEnvAndConfig(Path dir, String experiment) throws IOException {
        ObjectNode env = NetpipeFixture.JSON.createObjectNode();
        env.put("hostname", "test");
        env.put("cpus", 2);
        NetpipeFixture.JSON.writeValue(dir.resolve("env.json").toFile(), env);
        ObjectNode config = NetpipeFixture.JSON.createObjectNode();
        config.put("experiment", experiment);
        config.put("command", "./artcp bench " + experiment + " --quick");
        NetpipeFixture.JSON.writeValue(dir.resolve("config.json").toFile(), config);
    }
}
